"""The configurable rotation order of the chair (issue 3 item 4; rules of procedure, seed
§2.1 "Vorsitzreihenfolge"): the pure rule, the body setting, the back office and /vorsitz/."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dmk.bodies.models import Body
from dmk.bodies.rules import planned_chairs
from tests.factories import BodyFactory, ChairPeriodFactory, StateFactory, UserFactory
from tests.helpers import login_with_second_factor

ROTATION = ["DE-BB", "DE-BE", "DE-RP", "DE-HH", "DE-BY"]


@pytest.mark.parametrize(
    ("last", "years", "expected"),
    [
        # one chair: continue after it
        (["DE-HH"], [2027, 2028], [(2027, "DE-BY"), (2028, "DE-BB")]),
        # joint chairs (2024: Brandenburg and Berlin): after the later one in rotation order
        (["DE-BE", "DE-BB"], [2025], [(2025, "DE-RP")]),
        # a chair outside the rotation is ignored; none in it: start at the beginning
        (["DE-HH", "DE-XX"], [2027], [(2027, "DE-BY")]),
        (["DE-XX"], [2027, 2028], [(2027, "DE-BB"), (2028, "DE-BE")]),
        ([], [2027], [(2027, "DE-BB")]),
        # more years than Länder: wraps around
        (
            ["DE-BY"],
            list(range(2027, 2034)),
            [
                (2027, "DE-BB"),
                (2028, "DE-BE"),
                (2029, "DE-RP"),
                (2030, "DE-HH"),
                (2031, "DE-BY"),
                (2032, "DE-BB"),
                (2033, "DE-BE"),
            ],
        ),
        (["DE-HH"], [], []),
    ],
)
def test_planned_chairs_table(last, years, expected):
    assert planned_chairs(ROTATION, last, years) == expected


def test_no_rotation_means_no_plan_and_duplicates_are_refused():
    assert planned_chairs([], ["DE-HH"], [2027, 2028]) == []
    with pytest.raises(ValueError, match="twice"):
        planned_chairs(["DE-HH", "DE-HH"], [], [2027])


@given(
    rotation=st.lists(
        st.sampled_from([f"DE-{a}{b}" for a in "ABC" for b in "XYZ"]), unique=True, min_size=1
    ),
    data=st.data(),
)
def test_planned_chairs_properties(rotation, data):
    """Each planned year follows its predecessor in the rotation; every Land comes up once
    per round; the first follows the last chair."""
    last = data.draw(st.lists(st.sampled_from(rotation), unique=True, max_size=2))
    years = list(range(2030, 2030 + 2 * len(rotation)))
    plan = planned_chairs(rotation, last, years)
    assert [year for year, _code in plan] == years
    codes = [code for _year, code in plan]
    assert sorted(codes[: len(rotation)]) == sorted(rotation)
    for before, after in itertools.pairwise(codes):
        assert rotation.index(after) == (rotation.index(before) + 1) % len(rotation)
    expected_first = (max(rotation.index(c) for c in last) + 1) % len(rotation) if last else 0
    assert codes[0] == rotation[expected_first]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rotation", "message"),
    [
        (["DE-HH", "DE-HH"], "nur einmal"),
        (["Hamburg"], "Unbekannte Länderkennung"),
        (["DE-QQ"], "nicht angelegt"),
        ("DE-HH", "Liste"),
    ],
)
def test_the_rotation_setting_is_validated_in_german(rotation, message):
    StateFactory(code="DE-HH", name_de="Hamburg")
    body = BodyFactory()
    body.chair_rotation = rotation
    with pytest.raises(ValidationError) as exc:
        body.full_clean()
    assert message in " ".join(exc.value.message_dict["chair_rotation"])


def _periods_and_rotation():
    hh = StateFactory(code="DE-HH", name_de="Hamburg")
    by = StateFactory(code="DE-BY", name_de="Bayern")
    nw = StateFactory(code="DE-NW", name_de="Nordrhein-Westfalen")
    body = BodyFactory()
    period = ChairPeriodFactory(body=body)
    period.chairs.set([hh])
    return body, (hh, by, nw)


@pytest.mark.django_db
def test_the_back_office_edits_the_rotation_as_codes(client):
    body, _states = _periods_and_rotation()
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    url = f"/verwaltung/konferenzen/edit/{body.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "founded_on"}
    data.update(abstention_breaks_unanimity="", chair_rotation="de-hh, DE-BY;DE-NW")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    body.refresh_from_db()
    assert body.chair_rotation == ["DE-HH", "DE-BY", "DE-NW"]

    data["chair_rotation"] = "DE-HH, DE-HH"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Jedes Land darf in der Vorsitzfolge nur einmal vorkommen" in response.content.decode()
    body.refresh_from_db()
    assert body.chair_rotation == ["DE-HH", "DE-BY", "DE-NW"]


@pytest.mark.django_db
def test_vorsitz_page_shows_the_planned_order_only_when_one_is_set(client):
    body, _states = _periods_and_rotation()
    page = client.get("/vorsitz/").content.decode()
    assert "Vorgesehene Vorsitzfolge" not in page

    Body.objects.filter(pk=body.pk).update(chair_rotation=["DE-BY", "DE-HH", "DE-NW"])
    response = client.get("/vorsitz/")
    assert [(y, s.code) for y, s in response.context["planned"]] == [
        (2027, "DE-NW"),
        (2028, "DE-BY"),
        (2029, "DE-HH"),
    ]
    page = response.content.decode()
    assert "Vorgesehene Vorsitzfolge" in page
    assert "nach der Geschäftsordnung vorgesehene Vorsitzfolge" in page
    assert "<li>2027: Nordrhein-Westfalen</li>" in page
    # the recorded period keeps its chair; the plan only follows it
    assert [p.chair_names for p in response.context["periods"]] == ["Hamburg"]
