"""Background jobs of the meetings app (django-tasks, backend ``queue``)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from dmk.meetings.documents import invitation_pdf
from dmk.meetings.ical import meeting_calendar
from dmk.meetings.models import Meeting, Reminder, ReminderKind

logger = logging.getLogger(__name__)

#: Attempts per message before the task fails; waits 2, 4, … seconds in between
#: (``DMK_MAIL_RETRY_DELAY`` seconds as base, 0 in tests).
MAX_ATTEMPTS = 3


def send_with_retries(message: EmailMessage) -> None:
    """Send ``message`` (its subject made one line), trying up to ``MAX_ATTEMPTS`` times with
    growing waits on connection errors (``OSError``); re-raises the last error."""
    # The subject carries the meeting's name; a line break in it (pasted into the form)
    # would make Django refuse the header (BadHeaderError) and the mail would never go out.
    message.subject = " ".join(str(message.subject).split())
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
    iTIP RFC 5546/6047) and — except for a cancellation — the invitation with its agenda as
    a PDF/UA-1 file (issue 12 item 4). Each message is tried up to MAX_ATTEMPTS times.
    Returns the number of messages sent."""
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
        if meeting.place:
            where = f"in {meeting.place}"
        elif meeting.video_url:
            where = "per Videokonferenz"
        else:
            where = "(Ort noch offen)"
        video = f"Videokonferenz: {meeting.video_url}\n\n" if meeting.video_url else ""
        body = (
            f"Sehr geehrte Damen und Herren,\n\nhiermit laden wir Sie zur Sitzung "
            f"„{meeting.name}“ am {when} {where} ein. Den Termin "
            "finden Sie im Anhang für Ihren Kalender; Tagesordnung und Vorlagen stehen im "
            f"internen Bereich der DMK-Plattform.\n\n{video}Mit freundlichen Grüßen\nDie "
            "Geschäftsstelle der Digitalministerkonferenz\n"
        )
    # The invitation with its agenda as a tagged PDF (issue 12 item 4), next to the .ics.
    pdf = invitation_pdf(meeting) if method != "CANCEL" else None
    sent = 0
    for address in recipients:
        ics = meeting_calendar(meeting, method=method, attendees=[address])
        message = EmailMessage(subject=subject, body=body, to=[address])
        message.attach("einladung.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        if pdf is not None:
            message.attach("einladung.pdf", pdf, "application/pdf")
        send_with_retries(message)
        sent += 1
    return sent


def _reminder_text(reminder: Reminder) -> tuple[str, str]:
    """Subject and plain-text body (German, formal) of ``reminder``."""
    meeting = reminder.meeting
    when = meeting.start_date.strftime("%d.%m.%Y") if meeting.start_date else ""
    deadline = reminder.deadline.strftime("%d.%m.%Y")
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.BASE_URL.rstrip("/") + reverse(
            "portal:meeting_detail", kwargs={"slug": meeting.slug}
        )
    land = reminder.state.name_de
    if reminder.kind == ReminderKind.ATTENDANCE:
        subject = f"Erinnerung: Anmeldung zur Sitzung „{meeting.name}“ am {when}"
        request = (
            f"für die Sitzung „{meeting.name}“ am {when} hat das Land {land} noch nicht "
            f"gemeldet, wer es vertritt. Bitte melden Sie die Vertretung bis zum {deadline} "
            "(24 Uhr) im internen Bereich der DMK-Plattform:"
        )
    else:
        subject = f"Erinnerung: Vorlagenfrist für die Sitzung „{meeting.name}“ am {when}"
        request = (
            f"für die Sitzung „{meeting.name}“ am {when} hat das Land {land} bisher keine "
            f"Vorlage eingereicht. Die Vorlagenfrist endet am {deadline} um 24 Uhr; später "
            "eingereichte Vorlagen sind Tischvorlagen und brauchen die Zustimmung des "
            "Vorsitzes. Wenn Ihr Land keine Vorlage einbringen möchte, ist diese Nachricht "
            "gegenstandslos. Vorlagen reichen Sie im internen Bereich der DMK-Plattform ein:"
        )
    body = (
        f"Sehr geehrte Damen und Herren,\n\n{request}\n{link}\n\nMit freundlichen Grüßen\n"
        "Die Geschäftsstelle der Digitalministerkonferenz\n"
    )
    return subject, body


@task(queue_name="default", backend="queue")
def send_reminder_task(reminder_id: int) -> int:
    """E-mail reminder ``reminder_id`` (issue 5 item 4) to each of its recipients (one plain
    text message each, up to MAX_ATTEMPTS tries) and set its ``sent_at``. A reminder already
    sent is not sent again. Returns the number of messages sent."""
    reminder = Reminder.objects.select_related("meeting", "state").get(pk=reminder_id)
    if reminder.sent_at is not None:
        return 0
    subject, body = _reminder_text(reminder)
    sent = 0
    for address in reminder.recipients:
        send_with_retries(EmailMessage(subject=subject, body=body, to=[address]))
        sent += 1
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return sent
