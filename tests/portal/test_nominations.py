"""The nomination board (issue 3 item 3, DOMAIN rule 10): 16 Länder × member / permanent
deputy or "fehlt"; Länder users name their own Land, the Geschäftsstelle any Land."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.bodies.models import ChairPeriod, Membership, MembershipRole, Organization, Person, State
from dmk.core.models import ActivityLog
from tests.factories import PersonFactory, UserFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))


def _user(role: str, code: str | None) -> object:
    state = State.objects.get(code=code) if code else None
    user = UserFactory()
    person = PersonFactory(user=user, state=state)
    Membership.objects.create(
        person=person,
        organization=Organization.objects.get(kind="plenary"),
        role=role,
        on_behalf_of=state,
        chair_period=None,
    )
    return user


def public_record_period() -> ChairPeriod:
    return ChairPeriod.objects.get(start_date=datetime.date(2026, 1, 1))


def test_board_shows_16_laender_and_counts_what_is_missing(client, public_record):
    by = State.objects.get(code="DE-BY")
    member = PersonFactory(state=by, user=None, given_name="Florian", family_name="Zirngibl")
    Membership.objects.create(
        person=member,
        organization=Organization.objects.get(kind="plenary"),
        role=MembershipRole.MEMBER,
        on_behalf_of=by,
        chair_period=public_record_period(),
    )
    login_with_second_factor(client, _user("secretariat", "DE-HH"))
    response = client.get("/intern/nominierungen/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 16
    assert response.context["missing"] == 31
    bayern = next(r for r in rows if r["state"].code == "DE-BY")
    assert (bayern["member"], bayern["deputy"]) == (member, None)
    assert response.content.decode().count(">fehlt<") == 31
    assert all(r["editable"] for r in rows)


def test_land_staff_names_the_member_of_their_own_land(client, public_record):
    user = _user("state_staff", "DE-BY")
    candidate = PersonFactory(state=State.objects.get(code="DE-BY"), user=None)
    login_with_second_factor(client, user)
    response = client.post(
        "/intern/nominierungen/DE-BY/", {"role": "member", "person": candidate.pk}
    )
    assert response.status_code == 302
    nomination = Membership.objects.get(role="member", chair_period=public_record_period())
    assert (nomination.person, nomination.on_behalf_of.code) == (candidate, "DE-BY")
    assert ActivityLog.objects.get(action="bodies.nomination.set").actor == user


def test_a_user_of_land_b_cannot_edit_the_nominations_of_land_a(client, public_record):
    """DOMAIN rule 10: each Land names its own member and deputy."""
    login_with_second_factor(client, _user("member", "DE-NW"))
    candidate = PersonFactory(state=State.objects.get(code="DE-BY"), user=None)
    assert client.get("/intern/nominierungen/DE-BY/").status_code == 403
    response = client.post(
        "/intern/nominierungen/DE-BY/", {"role": "member", "person": candidate.pk}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(role="member").count() == 1  # the NW user's own


def test_a_person_of_another_land_is_a_german_form_error(client, public_record):
    login_with_second_factor(client, _user("secretariat", "DE-HH"))
    stranger = PersonFactory(state=State.objects.get(code="DE-NW"), user=None)
    response = client.post(
        "/intern/nominierungen/DE-BY/", {"role": "member", "person": stranger.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    ]
    assert Person.objects.filter(memberships__role="member").count() == 0


def test_a_guest_cannot_open_the_board(client, public_record):
    login_with_second_factor(client, _user("permanent_guest", None))
    assert client.get("/intern/nominierungen/").status_code == 403


def test_board_query_count_is_the_same_for_1_and_3_nominations(
    client, public_record, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_with_second_factor(client, _user("secretariat", "DE-HH"))
    plenary = Organization.objects.get(kind="plenary")

    def nominate(code: str) -> None:
        state = State.objects.get(code=code)
        Membership.objects.create(
            person=PersonFactory(state=state, user=None),
            organization=plenary,
            role=MembershipRole.MEMBER,
            on_behalf_of=state,
            chair_period=public_record_period(),
        )

    nominate("DE-BY")
    client.get("/intern/nominierungen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/intern/nominierungen/")
    nominate("DE-NW")
    nominate("DE-SN")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/intern/nominierungen/")


def _nominate_everybody() -> None:
    plenary = Organization.objects.get(kind="plenary")
    for state in State.objects.all():
        for role in (MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY):
            Membership.objects.create(
                person=PersonFactory(state=state, user=None),
                organization=plenary,
                role=role,
                on_behalf_of=state,
                chair_period=public_record_period(),
            )


def test_rule_10_when_no_nomination_is_missing_the_board_says_all_are_there(client, public_record):
    _nominate_everybody()
    login_with_second_factor(client, _user("secretariat", "DE-HH"))
    response = client.get("/intern/nominierungen/")
    content = response.content.decode()
    assert response.context["missing"] == 0
    assert '<p class="kern-body">Alle Benennungen liegen vor.</p>' in content
    assert "Es fehlen noch 0 Benennungen." not in content


def test_rule_10_one_missing_nomination_is_counted_in_the_singular(client, public_record):
    _nominate_everybody()
    Membership.objects.filter(
        role=MembershipRole.PERMANENT_DEPUTY, on_behalf_of__code="DE-BY"
    ).delete()
    login_with_second_factor(client, _user("secretariat", "DE-HH"))
    content = client.get("/intern/nominierungen/").content.decode()
    assert '<p class="kern-body">Es fehlt noch 1 Benennung.</p>' in content
