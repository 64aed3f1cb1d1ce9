"""Invitations by e-mail with an iCalendar attachment, received by a real SMTP server (issue 5
item 5; RFC 5545, RFC 5546 iTIP): stable UID, SEQUENCE raised on change, CANCEL on
cancellation, VTIMEZONE Europe/Berlin; the public feed ``/sitzungen.ics``."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from dmk.bodies.models import MembershipRole
from dmk.meetings import services
from dmk.meetings.models import MeetingState
from tests.factories import MeetingFactory, StateFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(settings):
    handler = _Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DMK_MAIL_RETRY_DELAY = 0
    yield handler
    controller.stop()


@pytest.fixture
def people():
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    member = user_with_role(MembershipRole.MEMBER, bremen, email="senatorin@bremen.example")
    secretariat = user_with_role(MembershipRole.SECRETARIAT, email="gs@hamburg.example")
    return {"member": member, "secretariat": secretariat}


def _calendar(message) -> Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_the_invitation_reaches_a_real_smtp_server_with_an_ics_request(
    inbox, people, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        name="5. Digitalministerkonferenz",
        start_date=datetime.date(2027, 2, 10),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(16, 0),
        place="Hamburg",
        venue="Rathaus",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=people["secretariat"], meeting=meeting)

    assert sorted(m["To"] for m in inbox.messages) == [
        "gs@hamburg.example",
        "senatorin@bremen.example",
    ]
    message = inbox.messages[0]
    assert message["Subject"] == "Einladung: 5. Digitalministerkonferenz am 10.02.2027"
    cal = _calendar(message)
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART").isoformat() == "2027-02-10T10:00:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2027-02-10T16:00:00+01:00"
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert str(event["LOCATION"]) == "Rathaus, Hamburg"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_a_change_raises_the_sequence_and_a_cancellation_sends_cancel_with_the_same_uid(
    inbox, people, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(start_date=datetime.date(2027, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=people["secretariat"], meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            actor=people["secretariat"],
            meeting=meeting,
            start_date=datetime.date(2027, 4, 14),  # summer time
            start_time=datetime.time(9, 30),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=people["secretariat"], meeting=meeting)

    to_member = [m for m in inbox.messages if m["To"] == "senatorin@bremen.example"]
    calendars = [_calendar(m) for m in to_member]
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert {str(e["UID"]) for e in events} == {f"meeting-{meeting.pk}@127.0.0.1"}
    assert events[1].decoded("DTSTART").isoformat() == "2027-04-14T09:30:00+02:00"
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert to_member[2]["Subject"].startswith("Abgesagt: ")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.ical_sequence) == (MeetingState.CANCELLED, 2)


def test_a_meeting_cancelled_before_invitations_sends_nothing(
    inbox, people, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=people["secretariat"], meeting=meeting)
    assert inbox.messages == []


def test_the_public_feed_lists_public_dated_meetings_only(client):
    public = MeetingFactory(
        name="5. Digitalministerkonferenz", start_date=datetime.date(2027, 2, 10)
    )
    MeetingFactory(name="Interne Arbeitssitzung", is_public=False)
    MeetingFactory(name="Geplant ohne Datum", start_date=None)
    response = client.get("/sitzungen.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert [(str(e["SUMMARY"]), str(e["UID"])) for e in cal.walk("VEVENT")] == [
        ("5. Digitalministerkonferenz", f"meeting-{public.pk}@127.0.0.1")
    ]
    assert "METHOD" not in cal


class _FlakyInbox(_Inbox):
    """Answers the first DATA with a temporary failure (451), then accepts."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts == 1:
            return "451 4.3.0 Bitte später erneut versuchen"
        return await super().handle_DATA(server, session, envelope)


def test_a_temporary_smtp_failure_is_retried_and_the_mail_delivered_once(
    settings, people, django_capture_on_commit_callbacks
):
    handler = _FlakyInbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.DMK_MAIL_RETRY_DELAY = 0
        people["secretariat"].person.memberships.all().delete()  # one recipient only
        office = UserFactory(is_superuser=True)  # Geschäftsstelle without a membership
        meeting = MeetingFactory(start_date=datetime.date(2027, 2, 10))
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_invite(actor=office, meeting=meeting)
    finally:
        controller.stop()
    assert handler.attempts == 2
    assert [m["To"] for m in handler.messages] == ["senatorin@bremen.example"]
