"""The home page's chair period and its chairs' names in one query (issue 17 item 1;
seed §3.2: joint chairs, e.g. 2024 Brandenburg and Berlin)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dmk.bodies.selectors import chair_period_with_names
from tests.factories import BodyFactory, ChairPeriodFactory, StateFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)


def _period(start: datetime.date, end: datetime.date, *states, body=None):
    period = ChairPeriodFactory(body=body or BodyFactory(), start_date=start, end_date=end)
    period.chairs.set(states)
    return period


def test_joint_chairs_are_named_in_german_order_in_one_query():
    brandenburg = StateFactory(code="DE-BB", name_de="Brandenburg", name_en="Brandenburg")
    berlin = StateFactory(code="DE-BE", name_de="Berlin", name_en="Berlin")
    period = _period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), brandenburg, berlin)
    _period(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), brandenburg)
    with CaptureQueriesContext(connection) as queries:
        found, names = chair_period_with_names(DAY)
    assert len(queries.captured_queries) == 1
    assert (found, names) == (period, "Berlin und Brandenburg")
    assert names == period.chair_names


def test_the_names_and_their_conjunction_follow_the_active_language():
    bayern = StateFactory(code="DE-BY", name_de="Bayern", name_en="Bavaria")
    hessen = StateFactory(code="DE-HE", name_de="Hessen", name_en="Hesse")
    period = _period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), hessen, bayern)
    with translation.override("en"):
        assert chair_period_with_names(DAY)[1] == "Bavaria and Hesse"
        assert period.chair_names == "Bavaria and Hesse"
    assert chair_period_with_names(DAY)[1] == "Bayern und Hessen"


def test_no_period_gives_none_and_a_period_without_chairs_an_empty_name():
    assert chair_period_with_names(DAY) == (None, "")
    period = _period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert chair_period_with_names(DAY) == (period, "")
    assert chair_period_with_names(datetime.date(2025, 1, 1)) == (None, "")


def test_of_two_bodies_periods_the_later_start_is_taken_with_only_its_own_chairs():
    hessen = StateFactory(code="DE-HE", name_de="Hessen", name_en="Hesse")
    sachsen = StateFactory(code="DE-SN", name_de="Sachsen", name_en="Saxony")
    _period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), hessen)
    other = BodyFactory(short_name="FMK", name="Fachministerkonferenz")
    later = _period(datetime.date(2024, 3, 1), datetime.date(2025, 2, 28), sachsen, body=other)
    assert chair_period_with_names(DAY) == (later, "Sachsen")
