"""The back-office group "Geschäftsstelle" follows the Geschäftsstelle membership: one source
of truth (issue 11 Build 1; DOMAIN rule 10, seed §2.4). The handover moves both."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dmk.access.backoffice import secretariat_group_sync
from dmk.accounts.groups import SECRETARIAT_GROUP_NAME
from dmk.bodies.models import ChairPeriod, Membership, MembershipRole
from dmk.bodies.services import chair_period_handover
from dmk.core.models import ActivityLog
from tests.factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


def _in_group(user) -> bool:
    return user.groups.filter(name=SECRETARIAT_GROUP_NAME).exists()


@pytest.fixture
def periods():
    """Two consecutive chair periods of one body (this year and next), its plenary, the chair
    Länder A (now) and B (next)."""
    year = timezone.localdate().year
    body = BodyFactory()
    plenary = OrganizationFactory(body=body)
    land_a = StateFactory(code="DE-RP", name_de="Rheinland-Pfalz")
    land_b = StateFactory(code="DE-HH", name_de="Hamburg")
    now = ChairPeriod.objects.create(
        body=body, start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31)
    )
    nxt = ChairPeriod.objects.create(
        body=body,
        start_date=datetime.date(year + 1, 1, 1),
        end_date=datetime.date(year + 1, 12, 31),
    )
    return {"plenary": plenary, "now": now, "next": nxt, "a": land_a, "b": land_b}


def _staff(periods, land, period, role=MembershipRole.SECRETARIAT):
    user = UserFactory()
    person = PersonFactory(user=user, state=land)
    Membership.objects.create(
        person=person,
        organization=periods["plenary"],
        role=role,
        on_behalf_of=land,
        chair_period=period,
    )
    return user


def test_a_geschaeftsstelle_membership_puts_its_user_into_the_group_and_a_change_removes_it(
    periods,
):
    user = _staff(periods, periods["a"], periods["now"])
    assert _in_group(user)
    entry = ActivityLog.objects.get(action="access.backoffice_group.added")
    assert entry.object_id == str(user.pk)

    membership = Membership.objects.get(person__user=user)
    membership.role = MembershipRole.STATE_STAFF
    membership.save()

    assert not _in_group(user)
    assert ActivityLog.objects.filter(action="access.backoffice_group.removed").count() == 1


def test_a_group_membership_given_by_hand_ends_at_the_next_login(periods):
    """Nobody is Geschäftsstelle by the group alone: at login the group follows the role."""
    user = UserFactory()
    PersonFactory(user=user)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP_NAME))
    client = Client()

    login_with_second_factor(client, user)

    assert not _in_group(user)
    assert client.get("/verwaltung/").status_code in (302, 403)


def test_the_handover_moves_the_role_and_the_back_office_access_together(periods):
    old = _staff(periods, periods["a"], periods["now"])
    newcomer_person = PersonFactory(user=UserFactory(), state=periods["b"])
    assert _in_group(old) and not _in_group(newcomer_person.user)

    chair_period_handover(
        from_period=periods["now"],
        to_period=periods["next"],
        new_secretariat_persons=[newcomer_person],
        actor=old,
    )

    # until the last day of the old period nothing changes …
    assert _in_group(old) and not _in_group(newcomer_person.user)
    assert secretariat_group_sync(day=periods["now"].end_date) == ([], [])
    # … and on the first day of the new one (the daily sync) both move
    added, removed = secretariat_group_sync(day=periods["next"].start_date)
    assert (added, removed) == ([newcomer_person.user.pk], [old.pk])
    assert _in_group(newcomer_person.user) and not _in_group(old)


def test_a_handover_run_after_the_change_moves_the_access_at_once(periods):
    """A handover run in January (the new period has begun): the old staff's role ends with
    the old period, the new staff's begins — the group follows in the same transaction."""
    year = periods["now"].start_date.year
    last = ChairPeriod.objects.create(
        body=periods["now"].body,
        start_date=datetime.date(year - 1, 1, 1),
        end_date=datetime.date(year - 1, 12, 31),
    )
    old = _staff(periods, periods["a"], last)
    assert _in_group(old)  # no end date yet: still the Geschäftsstelle
    newcomer = PersonFactory(user=UserFactory(), state=periods["b"])

    chair_period_handover(
        from_period=last, to_period=periods["now"], new_secretariat_persons=[newcomer], actor=old
    )

    assert _in_group(newcomer.user)
    assert not _in_group(old)


def test_the_daily_command_syncs_every_account(periods, capsys):
    keeper = _staff(periods, periods["a"], periods["now"])
    stray = UserFactory()
    stray.groups.add(Group.objects.get(name=SECRETARIAT_GROUP_NAME))

    call_command("sync_secretariat_group")

    assert _in_group(keeper) and not _in_group(stray)
    assert "0 Konten hinzugefügt, 1 Konten entfernt." in capsys.readouterr().out
