"""Reminders that need the papers app (issue 5 item 4): Länder that have not yet submitted a
paper for a meeting, and the entry points that send both kinds of reminder (attendance and
submission). The machinery lives one layer down in ``dmk.meetings.reminders``; this module
only adds what needs ``Consultation``.

"Nicht eingereicht": the Land is the author Land of no paper submitted for the meeting
(a ``Consultation`` of the meeting with ``submitted_at`` set). Reminded from
``settings.DMK_REMINDER_DAYS_BEFORE`` days before the papers deadline (DOMAIN rule 7).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dmk.meetings.models import Meeting, Reminder, ReminderKind
from dmk.meetings.reminders import (
    DueReminder,
    attendance_reminders,
    days_before_default,
    due_reminders,
    reminder_meetings,
    reminders_send,
)
from dmk.meetings.services import require_secretariat
from dmk.papers.models import Consultation


def submitted_state_ids(meeting: Meeting) -> set[int]:
    """Author Länder of the papers submitted for ``meeting``."""
    return set(
        Consultation.objects.filter(
            meeting=meeting, submitted_at__isnull=False, paper__author_state__isnull=False
        )
        .values_list("paper__author_state_id", flat=True)
        .distinct()
    )


def all_due_reminders(
    *,
    today: datetime.date,
    days_before: int,
    meetings: list[Meeting] | None = None,
    ignore_lead_time: bool = False,
) -> list[DueReminder]:
    """Due attendance and submission reminders on ``today`` (Europe/Berlin date), not yet
    recorded; see ``dmk.meetings.reminders.due_reminders`` for the window."""
    options = {
        "today": today,
        "days_before": days_before,
        "meetings": meetings,
        "ignore_lead_time": ignore_lead_time,
    }
    return attendance_reminders(**options) + due_reminders(
        kind=ReminderKind.SUBMISSION, done_state_ids=submitted_state_ids, **options
    )


def send_due_reminders(
    *,
    today: datetime.date | None = None,
    days_before: int | None = None,
    dry_run: bool = False,
) -> list[DueReminder]:
    """Send every reminder due on ``today`` (default: today in Europe/Berlin), each at most
    once per deadline; ``days_before`` defaults to ``settings.DMK_REMINDER_DAYS_BEFORE``.
    With ``dry_run`` nothing is recorded or sent. Returns the reminders that are (or would
    be) sent."""
    today = today or timezone.localdate()
    days = days_before_default() if days_before is None else days_before
    due = all_due_reminders(today=today, days_before=days, meetings=list(reminder_meetings(today)))
    if dry_run:
        return due
    recorded = {(r.meeting_id, r.state_id, r.kind) for r in reminders_send(due=due)}
    return [d for d in due if (d.meeting.pk, d.state.pk, d.kind) in recorded]


def meeting_reminders_send(
    *, actor: Any, meeting: Meeting, today: datetime.date | None = None
) -> list[Reminder]:
    """The Geschäftsstelle's button: remind now every Land that has not registered or not
    submitted for ``meeting``, whatever the lead time, as long as the deadline has not
    passed; reminders already sent for the same deadline are not repeated. Raises
    PermissionDenied unless ``actor`` is Geschäftsstelle. Returns the reminders recorded."""
    require_secretariat(actor, body=meeting.body_id)
    today = today or timezone.localdate()
    if not reminder_meetings(today).filter(pk=meeting.pk).exists():
        return []
    due = all_due_reminders(today=today, days_before=0, meetings=[meeting], ignore_lead_time=True)
    return reminders_send(due=due, actor=actor)
