"""Membership rules of issue 3 item 2, in the database and as German form errors
(DOMAIN rules 1 and 10, seed §2.2–§2.4)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dmk.bodies.forms import MembershipForm
from dmk.bodies.models import Membership, MembershipRole
from dmk.bodies.services import membership_create
from dmk.core.models import ActivityLog
from dmk.meetings.models import Meeting
from tests.factories import (
    ChairPeriodFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def _meeting(period) -> Meeting:
    return Meeting.objects.create(
        body=period.body,
        kind="regular",
        name="3. DMK",
        slug="3-dmk-test",
        chair_period=period,
        start_date=datetime.date(2026, 5, 7),
    )


def _form(**data) -> MembershipForm:
    return MembershipForm(data={k: getattr(v, "pk", v) for k, v in data.items()})


def test_a_second_member_of_one_land_in_one_period_is_refused_by_the_database():
    """DOMAIN rule 10: one member per Land and chair period."""
    first = MembershipFactory(role=MembershipRole.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            role=MembershipRole.MEMBER,
            on_behalf_of=first.on_behalf_of,
            organization=first.organization,
            chair_period=first.chair_period,
        )


def test_a_second_member_of_one_land_in_one_period_is_a_german_form_error():
    """DOMAIN rule 10: one member per Land and chair period."""
    first = MembershipFactory(role=MembershipRole.MEMBER)
    form = _form(
        person=PersonFactory(),
        organization=first.organization,
        role="member",
        on_behalf_of=first.on_behalf_of,
        chair_period=first.chair_period,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Für dieses Land ist in dieser Vorsitzperiode bereits eine Person in dieser Rolle benannt."
    ]


def test_a_second_permanent_deputy_of_one_land_is_refused_by_the_database():
    first = MembershipFactory(role=MembershipRole.PERMANENT_DEPUTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            role=MembershipRole.PERMANENT_DEPUTY,
            on_behalf_of=first.on_behalf_of,
            organization=first.organization,
            chair_period=first.chair_period,
        )


def test_member_and_permanent_deputy_of_one_land_may_coexist():
    first = MembershipFactory(role=MembershipRole.MEMBER)
    MembershipFactory(
        role=MembershipRole.PERMANENT_DEPUTY,
        on_behalf_of=first.on_behalf_of,
        organization=first.organization,
        chair_period=first.chair_period,
    )
    assert Membership.objects.count() == 2


def test_a_further_deputy_without_a_meeting_is_refused_by_the_database():
    """Seed §2.2: a further deputy is named only for one meeting."""
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role=MembershipRole.FURTHER_DEPUTY, meeting=None)


def test_a_further_deputy_without_a_meeting_is_a_german_form_error():
    period = ChairPeriodFactory()
    form = _form(
        person=PersonFactory(),
        organization=OrganizationFactory(),
        role="further_deputy",
        on_behalf_of=StateFactory(),
        chair_period=period,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Eine weitere Stellvertretung wird nur für eine bestimmte Sitzung benannt. "
        "Bitte wählen Sie die Sitzung."
    ]


def test_a_further_deputy_for_a_named_meeting_is_accepted():
    period = ChairPeriodFactory()
    form = _form(
        person=PersonFactory(),
        organization=OrganizationFactory(),
        role="further_deputy",
        on_behalf_of=StateFactory(),
        chair_period=period,
        meeting=_meeting(period),
    )
    assert form.is_valid(), form.errors
    assert form.save().voting_right is True


def test_a_meeting_on_another_role_is_refused_by_the_database():
    period = ChairPeriodFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role=MembershipRole.MEMBER, meeting=_meeting(period))


@pytest.mark.parametrize(
    "role",
    [
        MembershipRole.GUEST,
        MembershipRole.PERMANENT_GUEST,
        MembershipRole.SECRETARIAT,
        MembershipRole.STATE_STAFF,
    ],
)
def test_guests_secretariat_and_staff_never_have_voting_right(role):
    """DOMAIN rule 1, seed §2.3: guests and the Geschäftsstelle never vote."""
    assert MembershipFactory(role=role).voting_right is False


@pytest.mark.parametrize(
    "role",
    [MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY],
)
def test_members_and_permanent_deputies_have_voting_right(role):
    assert MembershipFactory(role=role).voting_right is True


def test_overlapping_memberships_in_the_same_role_are_a_german_form_error():
    """Issue 3 item 2: memberships of one person do not overlap in the same role."""
    first = MembershipFactory(
        role=MembershipRole.SECRETARIAT,
        on_behalf_of=None,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    form = _form(
        person=first.person,
        organization=first.organization,
        role="secretariat",
        start_date="2026-06-01",
        end_date="2026-12-31",
    )
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Diese Person hat in diesem Gremium für diesen Zeitraum bereits dieselbe Rolle. "
        "Mitgliedschaften in derselben Rolle dürfen sich nicht überschneiden."
    ]
    assert form.data["start_date"] == "2026-06-01"


def test_consecutive_memberships_in_the_same_role_are_accepted():
    first = MembershipFactory(
        role=MembershipRole.SECRETARIAT,
        on_behalf_of=None,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    form = _form(
        person=first.person,
        organization=first.organization,
        role="secretariat",
        start_date="2026-07-01",
    )
    assert form.is_valid(), form.errors


def test_membership_create_refuses_an_overlap_and_stores_nothing():
    first = MembershipFactory(role=MembershipRole.SECRETARIAT, on_behalf_of=None)
    # the first membership put its person into the back-office group (audited, issue 11)
    entries_before = list(ActivityLog.objects.values_list("action", flat=True))
    with pytest.raises(ValidationError):
        membership_create(
            person=first.person,
            organization=first.organization,
            role=MembershipRole.SECRETARIAT,
            chair_period=first.chair_period,
            actor=None,
        )
    assert Membership.objects.count() == 1
    assert entries_before == ["access.backoffice_group.added"]
    assert list(ActivityLog.objects.values_list("action", flat=True)) == entries_before


def test_a_member_without_a_land_is_a_german_form_error():
    form = _form(person=PersonFactory(), organization=OrganizationFactory(), role="member")
    assert not form.is_valid()
    assert form.errors["on_behalf_of"] == [
        "Mitglieder und Stellvertretungen werden immer für ein Land benannt."
    ]


def test_membership_create_is_audited():
    person = PersonFactory()
    state = StateFactory()
    membership = membership_create(
        person=person,
        organization=OrganizationFactory(),
        role=MembershipRole.MEMBER,
        on_behalf_of=state,
        chair_period=ChairPeriodFactory(),
        actor=person.user,
    )
    entry = ActivityLog.objects.get()
    assert entry.action == "bodies.membership.created"
    assert entry.object_id == str(membership.pk)
    assert entry.data["state"] == state.code
