"""Meeting life cycle, ordinals, agenda items and attendance (issue 5; DOMAIN rules 3, 5, 7, 9)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dmk.bodies.models import Body, MembershipRole, Organization, State
from dmk.core.models import ActivityLog
from dmk.meetings import services
from dmk.meetings.models import Attendance, Meeting, MeetingKind, MeetingState
from tests.factories import BodyFactory, MeetingFactory, StateFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def secretariat():
    return user_with_role(MembershipRole.SECRETARIAT)


def _plenary():
    body = Body.objects.get(short_name="DMK")
    return body, Organization.objects.get(body=body, name="Digitalministerkonferenz (Plenum)")


def test_next_regular_session_after_the_real_record_is_the_5th_and_a_special_session_consumes_none(
    public_record, secretariat
):
    body, plenary = _plenary()
    special = services.meeting_create(
        actor=secretariat,
        body=body,
        organization=plenary,
        kind=MeetingKind.SPECIAL,
        name="Sonder-DMK 2027",
        start_date=datetime.date(2027, 1, 20),
        today=TODAY,
    )
    regular = services.meeting_create(
        actor=secretariat,
        body=body,
        organization=plenary,
        kind=MeetingKind.REGULAR,
        name="5. Digitalministerkonferenz",
        start_date=datetime.date(2027, 2, 10),
        today=TODAY,
    )
    following = services.meeting_create(
        actor=secretariat,
        body=body,
        organization=plenary,
        kind=MeetingKind.REGULAR,
        name="6. Digitalministerkonferenz",
        start_date=datetime.date(2027, 6, 10),
        today=TODAY,
    )
    assert special.ordinal is None
    assert regular.ordinal == 5
    assert following.ordinal == 6
    assert regular.state == MeetingState.SCHEDULED
    assert ActivityLog.objects.filter(action="meetings.meeting.create").count() == 3


def test_a_working_body_meeting_gets_no_ordinal(secretariat):
    body = BodyFactory()
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        kind=MeetingKind.WORKING_BODY,
        name="AG Datennutzung",
        start_date=datetime.date(2027, 1, 12),
        today=TODAY,
    )
    assert meeting.ordinal is None


def test_a_meeting_date_in_the_past_is_refused_in_german_and_nothing_is_stored(secretariat):
    body = BodyFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            actor=secretariat,
            body=body,
            kind=MeetingKind.REGULAR,
            name="Zu spät",
            start_date=datetime.date(2026, 11, 28),
            today=TODAY,
        )
    assert excinfo.value.message_dict == {
        "start_date": [
            "Das Datum liegt in der Vergangenheit. Bitte wählen Sie ein künftiges Datum."
        ]
    }
    assert Meeting.objects.count() == 0


def test_only_the_geschaeftsstelle_creates_meetings():
    body = BodyFactory()
    member = user_with_role(MembershipRole.MEMBER, StateFactory())
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=member,
            body=body,
            kind=MeetingKind.REGULAR,
            name="X",
            start_date=datetime.date(2027, 1, 1),
            today=TODAY,
        )


def test_the_life_cycle_runs_invited_held_minutes_released_and_is_audited(secretariat):
    meeting = MeetingFactory()
    services.meeting_invite(actor=secretariat, meeting=meeting)
    services.meeting_hold(actor=secretariat, meeting=meeting)
    services.meeting_release_minutes(actor=secretariat, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_RELEASED
    assert set(
        ActivityLog.objects.filter(object_id=str(meeting.pk))
        .exclude(action__startswith="access.")  # the user's back-office group (same pk)
        .values_list("action", flat=True)
    ) == {
        "meetings.meeting.invite",
        "meetings.invitation.send",
        "meetings.meeting.hold",
        "meetings.meeting.release_minutes",
    }


def test_invalid_transitions_are_refused_in_german(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_hold(actor=secretariat, meeting=meeting)
    assert excinfo.value.messages == [
        "Eine Sitzung im Status „terminiert“ kann nicht in den Status „durchgeführt“ wechseln."
    ]
    services.meeting_cancel(actor=secretariat, meeting=meeting)
    with pytest.raises(ValidationError):
        services.meeting_invite(actor=secretariat, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED


def test_a_held_meeting_cannot_be_cancelled(secretariat):
    meeting = MeetingFactory(state=MeetingState.HELD)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=secretariat, meeting=meeting)


def test_agenda_items_get_order_number_and_the_flags_of_rules_3_5_9(secretariat):
    meeting = MeetingFactory()
    hamburg = StateFactory(code="DE-HH", name_de="Hamburg")
    first = services.agenda_item_add(
        actor=secretariat,
        meeting=meeting,
        title="Geschäftsordnung",
        institutional=True,
        lead_states=[hamburg],
    )
    second = services.agenda_item_add(
        actor=secretariat,
        meeting=meeting,
        title="Onlinezugangsgesetz",
        kind="exchange",
        number="2.1",
        in_parliamentary_procedure=True,
        touches_it_planungsrat=True,
    )
    assert (first.order, first.number, first.institutional) == (1, "1", True)
    assert list(first.lead_states.all()) == [hamburg]
    assert (second.order, second.number) == (2, "2.1")
    assert second.in_parliamentary_procedure and second.touches_it_planungsrat


def test_rule_5_a_decision_item_in_parliamentary_procedure_is_refused(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_add(
            actor=secretariat,
            meeting=meeting,
            title="Gesetzentwurf",
            kind="decision",
            in_parliamentary_procedure=True,
        )
    assert excinfo.value.message_dict["kind"] == [
        "Ein Tagesordnungspunkt im parlamentarischen Verfahren kann nur beraten, nicht "
        "inhaltlich beschlossen werden (Regel 5)."
    ]
    assert meeting.agenda_items.count() == 0


def test_a_land_registers_a_further_deputy_named_for_this_meeting():
    meeting = MeetingFactory()
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    staff = user_with_role(MembershipRole.STATE_STAFF, bremen)
    services.attendance_register(
        actor=staff,
        meeting=meeting,
        state=bremen,
        role="further_deputy",
        representative_name="Dr. Anna Beispiel",
    )
    row = Attendance.objects.get(meeting=meeting, state=bremen)
    assert (row.role, row.representative_name, row.registered_by) == (
        "further_deputy",
        "Dr. Anna Beispiel",
        staff,
    )


def test_a_further_deputy_without_a_name_is_refused_and_nothing_stored():
    meeting = MeetingFactory()
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    staff = user_with_role(MembershipRole.STATE_STAFF, bremen)
    with pytest.raises(ValidationError):
        services.attendance_register(
            actor=staff, meeting=meeting, state=bremen, role="further_deputy"
        )
    assert Attendance.objects.count() == 0


def test_a_land_cannot_register_another_land():
    meeting = MeetingFactory()
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    saxony = StateFactory(code="DE-SN", name_de="Sachsen")
    staff = user_with_role(MembershipRole.STATE_STAFF, bremen)
    with pytest.raises(PermissionDenied):
        services.attendance_register(actor=staff, meeting=meeting, state=saxony, role="member")
    assert State.objects.count() == 2
