"""DOMAIN rule 9 (seed §1.4): items touching the IT-Planungsrat's remit are marked, and its
named contact person is a guest of such items."""

from __future__ import annotations

import pytest

from dmk.bodies.models import MembershipRole, Organization
from dmk.core.models import ActivityLog
from dmk.meetings.models import GuestInvitation
from dmk.meetings.services import agenda_item_add
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.helpers import secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_person(db):
    it_plr = OrganizationFactory(name="IT-Planungsrat", kind=Organization.Kind.IT_PLANUNGSRAT)
    person = PersonFactory(user=None, given_name="Iris", family_name="Kontakt")
    MembershipFactory(
        person=person, organization=it_plr, role=MembershipRole.GUEST, on_behalf_of=None
    )
    return person


def test_rule_9_item_invites_the_it_planungsrat_contact_as_guest_of_that_item(contact_person):
    meeting = MeetingFactory()
    actor = secretariat_user()

    item = agenda_item_add(
        actor=actor, meeting=meeting, title="Föderale Cloud", touches_it_planungsrat=True
    )

    invitation = GuestInvitation.objects.get(meeting=meeting, person=contact_person)
    assert list(invitation.agenda_items.all()) == [item]
    assert item.touches_it_planungsrat is True
    entry = ActivityLog.objects.filter(action="meetings.guest.invite").get()
    assert entry.data == {"person": contact_person.pk, "agenda_items": [item.pk], "rule": 9}


def test_rule_9_a_second_item_is_added_to_the_same_invitation(contact_person):
    meeting = MeetingFactory()
    actor = secretariat_user()
    first = agenda_item_add(actor=actor, meeting=meeting, title="A", touches_it_planungsrat=True)
    second = agenda_item_add(actor=actor, meeting=meeting, title="B", touches_it_planungsrat=True)

    invitation = GuestInvitation.objects.get(meeting=meeting, person=contact_person)
    assert set(invitation.agenda_items.all()) == {first, second}


def test_rule_9_items_without_the_flag_invite_nobody(contact_person):
    meeting = MeetingFactory()
    agenda_item_add(actor=secretariat_user(), meeting=meeting, title="Haushalt")
    assert GuestInvitation.objects.filter(meeting=meeting).count() == 0


def test_rule_9_a_contact_invited_to_the_whole_meeting_stays_invited_to_all_of_it(
    contact_person,
):
    meeting = MeetingFactory()
    GuestInvitation.objects.create(meeting=meeting, person=contact_person)

    agenda_item_add(
        actor=secretariat_user(), meeting=meeting, title="Register", touches_it_planungsrat=True
    )

    invitation = GuestInvitation.objects.get(meeting=meeting, person=contact_person)
    assert invitation.agenda_items.count() == 0  # no items = the whole meeting
