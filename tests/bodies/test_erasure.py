"""GDPR erasure of a person who has left (issue 3 item 7)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from dmk.bodies.models import Membership, MembershipRole
from dmk.bodies.services import person_erase
from dmk.core.models import ActivityLog
from tests.factories import MembershipFactory, PersonFactory, StateFactory

pytestmark = pytest.mark.django_db


def _left_member():
    state = StateFactory(code="DE-BY", name_de="Bayern")
    person = PersonFactory(
        state=state, title="Dr.", phone="+49 89 1", city="München", given_name="Florian"
    )
    MembershipFactory(
        person=person,
        role=MembershipRole.MEMBER,
        on_behalf_of=state,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    return person


def test_erasure_replaces_personal_data_by_role_and_land():
    person = _left_member()
    user = person.user
    person_erase(person=person, actor=None)
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.title) == ("Mitglied", "Bayern", "")
    assert (person.email, person.phone, person.city, person.user) == ("", "", "", None)
    user.refresh_from_db()
    assert user.is_active is False
    assert user.email == f"geloescht-{user.pk}@invalid.example"
    assert not user.has_usable_password()


def test_erasure_keeps_the_membership_of_the_land():
    person = _left_member()
    person_erase(person=person, actor=None)
    membership = Membership.objects.get()
    assert (membership.person, membership.role, membership.on_behalf_of.code) == (
        person,
        "member",
        "DE-BY",
    )


def test_erasure_is_audited_without_personal_data():
    person = _left_member()
    person_erase(person=person, actor=None)
    entry = ActivityLog.objects.get(action="bodies.person.erased")
    assert entry.data == {"person": person.pk}
    assert "Florian" not in entry.object_repr


def test_a_person_with_a_current_role_cannot_be_erased():
    person = MembershipFactory(role=MembershipRole.MEMBER).person
    with pytest.raises(ValidationError):
        person_erase(person=person, actor=None)
    person.refresh_from_db()
    assert person.given_name == "Erika"
