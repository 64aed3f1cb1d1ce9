"""The archive's year list from a loose index scan (issue 17 item 1):
``dmk.resolutions.selectors.decision_years`` must give exactly the years Django's
``dates("decided_on", "year")`` gives, for every visibility and every filter, in one query."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution
from dmk.resolutions.selectors import decision_years, resolution_list
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _add(days: list[tuple[datetime.date | None, str]]) -> None:
    meeting = MeetingFactory(is_public=True)
    Resolution.objects.bulk_create(
        Resolution(
            body=meeting.body,
            meeting=meeting,
            slug=f"y{n}",
            title=f"Beschluss {n}",
            visibility=visibility,
            decided_on=day,
        )
        for n, (day, visibility) in enumerate(days)
    )


def _django_years(queryset) -> list[int]:
    return [day.year for day in queryset.dates("decided_on", "year", order="DESC")]


def test_the_years_are_those_with_a_public_resolution_newest_first_across_year_boundaries():
    _add(
        [
            (datetime.date(2024, 12, 31), Visibility.PUBLIC),
            (datetime.date(2025, 1, 1), Visibility.PUBLIC),
            (datetime.date(2025, 12, 31), Visibility.PUBLIC),
            (datetime.date(2021, 6, 30), Visibility.PUBLIC),
            (datetime.date(2023, 1, 1), Visibility.INTERNAL),  # not for the website
            (datetime.date(2019, 3, 3), Visibility.DRAFT),
            (None, Visibility.PUBLIC),  # no date, no year
        ]
    )
    archive = resolution_list(user=AnonymousUser())

    assert decision_years(archive) == [2025, 2024, 2021]
    assert decision_years(Resolution.objects.all()) == [2025, 2024, 2023, 2021, 2019]
    assert decision_years(archive.filter(title="Beschluss 3")) == [2021]
    assert decision_years(archive.filter(title="Beschluss 6")) == []


def test_no_resolutions_no_years():
    assert decision_years(Resolution.objects.all()) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(
                st.none(),
                st.dates(
                    min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)
                ),
            ),
            st.sampled_from([Visibility.PUBLIC, Visibility.INTERNAL]),
        ),
        max_size=25,
    )
)
def test_the_years_equal_djangos_dates_for_any_record(rows):
    Resolution.objects.all().delete()
    _add(rows)
    archive = resolution_list(user=AnonymousUser())

    assert decision_years(archive) == _django_years(archive)
    assert decision_years(Resolution.objects.all()) == _django_years(Resolution.objects.all())


def test_the_years_take_one_query_whatever_the_number_of_years():
    _add([(datetime.date(2000 + n, 5, 5), Visibility.PUBLIC) for n in range(20)])
    with CaptureQueriesContext(connection) as queries:
        years = decision_years(resolution_list(user=AnonymousUser()))
    assert years == list(range(2019, 1999, -1))
    assert len(queries.captured_queries) == 1


def test_each_step_reads_the_archive_index():
    """Every step of the walk is an index lookup (``resolution_archive_order_idx``), never a
    scan of the table and never a sort (EXPLAIN on either database)."""
    _add([(datetime.date(2000 + n % 25, 1 + n % 12, 1), Visibility.PUBLIC) for n in range(300)])
    with CaptureQueriesContext(connection) as queries:
        decision_years(resolution_list(user=AnonymousUser()))
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert not re.search(r"\bSort\b|Seq Scan", plan), plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert not re.search(r"SCAN resolutions_resolution\b(?! USING)", plan), plan
    assert "resolution_archive_order_idx" in plan
