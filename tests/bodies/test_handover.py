"""The chair-period handover (DOMAIN rule 10, seed §2.4): the Geschäftsstelle role moves to
the next chair's staff; the archive stays untouched."""

from __future__ import annotations

import datetime

import pytest
from django.core import serializers

from dmk.bodies.models import ChairPeriod, Membership, MembershipRole, Organization, State
from dmk.bodies.services import chair_period_handover, nomination_set
from dmk.core.models import ActivityLog
from dmk.meetings.models import Meeting
from dmk.resolutions.models import Resolution
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _archive() -> str:
    return serializers.serialize(
        "json", [*Meeting.objects.order_by("pk"), *Resolution.objects.order_by("pk")]
    )


def test_handover_moves_the_geschaeftsstelle_and_leaves_the_archive_untouched(public_record):
    p2025 = ChairPeriod.objects.get(start_date=datetime.date(2025, 1, 1))
    p2026 = ChairPeriod.objects.get(start_date=datetime.date(2026, 1, 1))
    plenary = Organization.objects.get(kind=Organization.Kind.PLENARY)
    rp, hh = State.objects.get(code="DE-RP"), State.objects.get(code="DE-HH")
    old_staff = PersonFactory(state=rp)
    Membership.objects.create(
        person=old_staff,
        organization=plenary,
        role=MembershipRole.SECRETARIAT,
        chair_period=p2025,
        on_behalf_of=rp,
    )
    new_staff = [PersonFactory(state=hh), PersonFactory(state=hh)]
    archive_before = _archive()
    counts_before = (Meeting.objects.count(), Resolution.objects.count())
    actor = UserFactory()

    created = chair_period_handover(
        from_period=p2025, to_period=p2026, new_secretariat_persons=new_staff, actor=actor
    )

    old = Membership.objects.get(person=old_staff)
    assert old.end_date == datetime.date(2025, 12, 31)
    assert [m.person for m in created] == new_staff
    assert {m.start_date for m in created} == {datetime.date(2026, 1, 1)}
    secretariat_2026 = Membership.objects.current(datetime.date(2026, 3, 1)).filter(
        role=MembershipRole.SECRETARIAT
    )
    assert set(secretariat_2026.values_list("person_id", flat=True)) == {p.pk for p in new_staff}
    assert (
        Membership.objects.current(datetime.date(2025, 6, 1))
        .filter(role=MembershipRole.SECRETARIAT)
        .get()
        .person
        == old_staff
    )
    assert (Meeting.objects.count(), Resolution.objects.count()) == counts_before
    assert counts_before[1] == 18
    assert _archive() == archive_before
    entry = ActivityLog.objects.get(action="bodies.chair_period.handover")
    assert entry.actor == actor
    assert entry.data["ended"] == [old.pk]


def test_nomination_set_replaces_the_earlier_nomination_of_the_land(public_record):
    p2026 = ChairPeriod.objects.get(start_date=datetime.date(2026, 1, 1))
    by = State.objects.get(code="DE-BY")
    first, second = PersonFactory(state=by), PersonFactory(state=by)
    nomination_set(period=p2026, state=by, role=MembershipRole.MEMBER, person=first, actor=None)
    nomination_set(period=p2026, state=by, role=MembershipRole.MEMBER, person=second, actor=None)
    members = Membership.objects.filter(chair_period=p2026, on_behalf_of=by, role="member")
    assert [m.person for m in members] == [second]
    assert ActivityLog.objects.filter(action="bodies.nomination.set").count() == 2
