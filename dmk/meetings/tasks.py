"""Background jobs of the meetings app (django-tasks, backend ``queue``)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from dmk.meetings.ical import meeting_calendar
from dmk.meetings.models import Meeting

logger = logging.getLogger(__name__)

#: Attempts per message before the task fails; waits 2, 4, … seconds in between
#: (``DMK_MAIL_RETRY_DELAY`` seconds as base, 0 in tests).
MAX_ATTEMPTS = 3


def _send_with_retries(message: EmailMessage) -> None:
    delay = getattr(settings, "DMK_MAIL_RETRY_DELAY", 2)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            message.send(fail_silently=False)
            return
        except OSError:
            logger.warning("sending to %s failed (attempt %s)", message.to, attempt)
            if attempt == MAX_ATTEMPTS:
                raise
            time.sleep(delay * 2 ** (attempt - 1))


@task(queue_name="default", backend="queue")
def send_meeting_calendar_task(meeting_id: int, method: str, recipients: list[str]) -> int:
    """E-mail ``recipients`` (one message each) the invitation (``method`` REQUEST), update or
    cancellation (CANCEL) of meeting ``meeting_id`` with an iCalendar attachment (RFC 5545,
    iTIP RFC 5546/6047). Each message is tried up to MAX_ATTEMPTS times. Returns the number
    of messages sent."""
    meeting = Meeting.objects.get(pk=meeting_id)
    when = meeting.start_date.strftime("%d.%m.%Y") if meeting.start_date else ""
    if method == "CANCEL":
        subject = f"Abgesagt: {meeting.name} am {when}"
        body = (
            f"Sehr geehrte Damen und Herren,\n\ndie Sitzung „{meeting.name}“ am {when} ist "
            "abgesagt.\n\nMit freundlichen Grüßen\nDie Geschäftsstelle der "
            "Digitalministerkonferenz\n"
        )
    else:
        subject = f"Einladung: {meeting.name} am {when}"
        if meeting.ical_sequence > 0:
            subject = f"Geänderte Einladung: {meeting.name} am {when}"
        body = (
            f"Sehr geehrte Damen und Herren,\n\nhiermit laden wir Sie zur Sitzung "
            f"„{meeting.name}“ am {when} in {meeting.place or 'noch offen'} ein. Den Termin "
            "finden Sie im Anhang für Ihren Kalender; Tagesordnung und Vorlagen stehen im "
            "internen Bereich der DMK-Plattform.\n\nMit freundlichen Grüßen\nDie "
            "Geschäftsstelle der Digitalministerkonferenz\n"
        )
    sent = 0
    for address in recipients:
        ics = meeting_calendar(meeting, method=method, attendees=[address])
        message = EmailMessage(subject=subject, body=body, to=[address])
        message.attach("einladung.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        _send_with_retries(message)
        sent += 1
    return sent
