"""The handover screen ``/intern/vorsitz/uebergabe/`` (issue 3 item 4, "a handover service
that moves the Geschäftsstelle role to the next chair's staff at the period change, audited,
leaving every archived record untouched"; DOMAIN rule 10, seed §2.4)."""

from __future__ import annotations

import datetime

import pytest
from django.core import serializers
from django.utils import timezone

from dmk.bodies.models import ChairPeriod, Membership, MembershipRole
from dmk.bodies.selectors import handover_preview
from dmk.core.audit import log_action
from dmk.core.models import ActivityLog
from dmk.meetings.models import AgendaItem, Meeting
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

URL = "/intern/vorsitz/uebergabe/"


@pytest.fixture
def setup():
    """This year's period (chair Land A, Geschäftsstelle: the logged-in ``office`` user and
    one colleague) and next year's (chair Land B, two Land-staff persons of B)."""
    year = timezone.localdate().year
    body = BodyFactory()
    plenary = OrganizationFactory(body=body)
    land_a = StateFactory(code="DE-RP", name_de="Rheinland-Pfalz")
    land_b = StateFactory(code="DE-HH", name_de="Hamburg")
    now = ChairPeriod.objects.create(
        body=body, start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31)
    )
    now.chairs.set([land_a])
    nxt = ChairPeriod.objects.create(
        body=body,
        start_date=datetime.date(year + 1, 1, 1),
        end_date=datetime.date(year + 1, 12, 31),
    )
    nxt.chairs.set([land_b])

    def membership(person, role, state, **kwargs):
        return Membership.objects.create(
            person=person,
            organization=plenary,
            role=role,
            on_behalf_of=state,
            chair_period=kwargs.pop("chair_period", now),
            **kwargs,
        )

    office = UserFactory()
    office_person = PersonFactory(user=office, state=land_a, family_name="Altamt")
    colleague = PersonFactory(user=None, state=land_a, family_name="Altkollege")
    for person in (office_person, colleague):
        membership(person, MembershipRole.SECRETARIAT, land_a)
    new_staff = [
        PersonFactory(user=None, state=land_b, family_name=name) for name in ("Neuer", "Neuling")
    ]
    for person in new_staff:
        membership(person, MembershipRole.STATE_STAFF, land_b)
    # not the next chair's staff: Land A's staff, and B's staff who left before the change
    membership(PersonFactory(user=None, state=land_a), MembershipRole.STATE_STAFF, land_a)
    membership(
        PersonFactory(user=None, state=land_b),
        MembershipRole.STATE_STAFF,
        land_b,
        end_date=datetime.date(year, 6, 30),
    )
    membership(PersonFactory(user=None, state=land_a), MembershipRole.MEMBER, land_a)
    AgendaItemFactory(meeting=MeetingFactory(body=body, organization=plenary))
    log_action("test.before", actor=office, obj=now, data={})
    return {
        "office": office,
        "old": [office_person, colleague],
        "new": new_staff,
        "now": now,
        "next": nxt,
    }


def _archive() -> str:
    """Everything the handover must leave untouched: meetings, agenda items, every
    membership but the Geschäftsstelle's, and the audit log so far."""
    return serializers.serialize(
        "json",
        [
            *Meeting.objects.order_by("pk"),
            *AgendaItem.objects.order_by("pk"),
            *Membership.objects.exclude(role=MembershipRole.SECRETARIAT).order_by("pk"),
            *ActivityLog.objects.order_by("pk"),
        ],
    )


def _secretariat(day: datetime.date) -> set[int]:
    return set(
        Membership.objects.current(day)
        .filter(role=MembershipRole.SECRETARIAT)
        .values_list("person_id", flat=True)
    )


def test_preview_then_confirmed_handover_moves_the_role_and_keeps_the_archive(client, setup):
    now, nxt = setup["now"], setup["next"]
    old_ids = {p.pk for p in setup["old"]}
    new_ids = {p.pk for p in setup["new"]}
    login_with_second_factor(client, setup["office"])

    response = client.get(URL)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.from_period, preview.to_period) == (now, nxt)
    assert [p.family_name for p in preview.losing] == ["Altamt", "Altkollege"]
    assert [p.family_name for p in preview.gaining] == ["Neuer", "Neuling"]
    page = response.content.decode()
    assert "Verliert die Rolle „Geschäftsstelle“" in page and "Neuling" in page

    archive = _archive()
    response = client.post(URL, {"uebergabe": response.context["token"]})
    assert "Bitte bestätigen Sie die Übergabe mit dem Häkchen." in response.content.decode()
    assert _secretariat(nxt.start_date) == old_ids  # nothing written
    assert not ActivityLog.objects.filter(action="bodies.chair_period.handover").exists()

    response = client.post(URL, {"uebergabe": f"{now.pk}-{nxt.pk}", "confirm": "yes"})
    assert response.status_code == 200
    assert "Die Geschäftsstelle ist von der Vorsitzperiode" in response.content.decode()
    assert _secretariat(now.end_date) == old_ids
    assert _secretariat(nxt.start_date) == new_ids
    assert set(
        Membership.objects.filter(role=MembershipRole.SECRETARIAT, person_id__in=old_ids)
        .values_list("end_date", flat=True)
        .distinct()
    ) == {now.end_date}
    entry = ActivityLog.objects.get(action="bodies.chair_period.handover")
    assert entry.actor == setup["office"]
    assert len(entry.data["ended"]) == 2 and len(entry.data["created"]) == 2
    # the archive is untouched (the new audit entry comes after it)
    assert _archive().startswith(archive[:-1])

    # a second POST of the same form: a clear German message, nothing written twice
    response = client.post(URL, {"uebergabe": f"{now.pk}-{nxt.pk}", "confirm": "yes"})
    assert response.status_code == 200
    assert "Diese Übergabe ist bereits erfolgt" in response.content.decode()
    assert ActivityLog.objects.filter(action="bodies.chair_period.handover").count() == 1
    assert _secretariat(nxt.start_date) == new_ids


def test_the_preview_still_starts_from_the_old_period_after_the_change(setup):
    """Run in January: the old period's Geschäftsstelle is still open, so it is handed over."""
    preview = handover_preview(setup["next"].start_date + datetime.timedelta(days=10))
    assert (preview.from_period, preview.to_period) == (setup["now"], setup["next"])
    assert preview.pending


def test_without_a_next_period_nothing_happens_and_the_page_says_so(client, setup):
    setup["next"].delete()
    login_with_second_factor(client, setup["office"])
    response = client.get(URL)
    assert "noch nicht angelegt" in response.content.decode()
    response = client.post(URL, {"uebergabe": "", "confirm": "yes"})
    assert response.status_code == 200
    assert "Es ist noch keine folgende Vorsitzperiode angelegt." in response.content.decode()
    assert not ActivityLog.objects.filter(action="bodies.chair_period.handover").exists()


def test_only_the_geschaeftsstelle_may_hand_over(client, setup):
    member = Membership.objects.filter(role=MembershipRole.MEMBER).get().person
    member.user = UserFactory()
    member.save()
    login_with_second_factor(client, member.user)
    token = f"{setup['now'].pk}-{setup['next'].pk}"
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"uebergabe": token, "confirm": "yes"}).status_code == 403
    assert _secretariat(setup["next"].start_date) == {p.pk for p in setup["old"]}
    assert not ActivityLog.objects.filter(action="bodies.chair_period.handover").exists()
