"""iCalendar (RFC 5545) and iTIP (RFC 5546) for meetings: invitations, updates and
cancellations, and the public feed of meeting dates.

Times are Europe/Berlin with a VTIMEZONE; the UID is stable per meeting
(``meeting-<pk>@<host>``), SEQUENCE is ``Meeting.ical_sequence``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from dmk.meetings.models import Meeting, MeetingState
from dmk.meetings.rules import NonexistentLocalTime, berlin_datetime

BERLIN = ZoneInfo("Europe/Berlin")
DEFAULT_START = datetime.time(10, 0)
DEFAULT_END = datetime.time(17, 0)
PRODID = "-//Digitalministerkonferenz//DMK-Plattform//DE"


def meeting_uid(meeting: Meeting) -> str:
    """The stable UID of ``meeting`` (RFC 5545 §3.8.4.7)."""
    host = urlsplit(settings.BASE_URL).hostname or "dmk.example"
    return f"meeting-{meeting.pk}@{host}"


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A repeated local time means its first occurrence (``berlin_datetime``, issue 18 item
    4); a skipped one, stored before forms refused it, is sent as Python reads it (one hour
    later) rather than breaking the whole feed."""
    try:
        return berlin_datetime(day, time)
    except NonexistentLocalTime:
        return datetime.datetime.combine(day, time, tzinfo=BERLIN)


def _event(meeting: Meeting, *, now: datetime.datetime, cancelled: bool) -> Event:
    start_day = meeting.start_date
    end_day = meeting.end_date or start_day
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("sequence", meeting.ical_sequence)
    event.add("summary", meeting.name)
    event.add("dtstart", _local(start_day, meeting.start_time or DEFAULT_START))
    event.add("dtend", _local(end_day, meeting.end_time or DEFAULT_END))
    location = ", ".join(p for p in (meeting.venue, meeting.place) if p)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str = "REQUEST",
    organizer: str = "",
    attendees: Iterable[str] = (),
    now: datetime.datetime | None = None,
) -> bytes:
    """One meeting as an iTIP message: ``method`` REQUEST (invitation or update) or CANCEL.
    Raises ValueError for an undated meeting or another method.

    Only a REQUEST — the invitation e-mailed to the invitees — carries the video conference
    (issue 5 item 1): as URL (RFC 5545 §3.8.4.6), in the DESCRIPTION and, for a meeting
    without place and venue, as LOCATION. The published feeds below never do."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    if meeting.start_date is None:
        raise ValueError("an undated meeting has no calendar entry")
    now = now or datetime.datetime.now(datetime.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = _event(meeting, now=now, cancelled=method == "CANCEL")
    if method == "REQUEST" and meeting.video_url:
        event.add("url", meeting.video_url)
        event.add("description", f"Videokonferenz: {meeting.video_url}")
        if "LOCATION" not in event:
            event.add("location", meeting.video_url)
    organizer = organizer or settings.DEFAULT_FROM_EMAIL
    event.add("organizer", f"mailto:{organizer}")
    for address in attendees:
        event.add(
            "attendee",
            f"mailto:{address}",
            parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "TRUE"},
        )
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _published_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    now: datetime.datetime | None,
    link: Callable[[Meeting], str] | None = None,
) -> bytes:
    """A published calendar (no METHOD, RFC 5545) of the dated ``meetings``; cancelled ones
    appear with STATUS:CANCELLED. ``link`` gives each event a URL (RFC 5545 §3.8.4.6)."""
    now = now or datetime.datetime.now(datetime.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        if meeting.start_date is None:
            continue
        event = _event(meeting, now=now, cancelled=meeting.state == MeetingState.CANCELLED)
        if link is not None:
            url = link(meeting)
            event.add("url", url)
            event.add("description", f"Einzelheiten im internen Bereich: {url}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def public_feed(meetings: Iterable[Meeting], *, now: datetime.datetime | None = None) -> bytes:
    """The public feed of dated, publicly announced meetings (no METHOD: a published
    calendar, RFC 5545). Cancelled meetings appear with STATUS:CANCELLED."""
    return _published_calendar(
        (m for m in meetings if m.is_public),
        name="Digitalministerkonferenz – Sitzungen",
        now=now,
    )


def personal_feed(
    meetings: Iterable[Meeting],
    *,
    link: Callable[[Meeting], str],
    now: datetime.datetime | None = None,
) -> bytes:
    """A user's personal feed (issue 5 item 5): the dated ``meetings`` the caller selected
    (through ``dmk.access.policy``), each with name, dates, place and ``link(meeting)`` — the
    absolute URL of its portal page — and nothing else (no agenda, no paper titles).
    Cancelled meetings appear with STATUS:CANCELLED."""
    return _published_calendar(
        meetings, name="Digitalministerkonferenz – meine Sitzungen", now=now, link=link
    )
