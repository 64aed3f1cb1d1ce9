"""Reminders to Länder that have not yet registered or submitted (issue 5 item 4, DOMAIN
rule 7: "the platform … warns before [a deadline] passes").

This module holds what the meetings layer can decide on its own: which meetings and
deadlines are due, who a Land's contacts are, the attendance part ("nicht angemeldet"), and
recording + sending a reminder once. Whether a Land has submitted a paper needs the papers
app, one layer up: ``dmk.papers.reminders`` passes that in (``done_state_ids``).

Definitions (all dates Europe/Berlin calendar dates):

- *attendance*: a Land has not registered who represents it (no ``Attendance`` row with a
  role, "nimmt nicht teil" counts as an answer) — reminded before the registration deadline
  (``Body.registration_weeks`` before the meeting);
- *submission*: a Land has no paper submitted for the meeting — reminded before the papers
  deadline (``Body.papers_weeks``);
- a reminder is *due* from ``days_before`` days before its deadline up to the deadline day
  itself, for meetings of the conference (regular and special sessions) that are planned,
  scheduled or invited; never after the deadline passed;
- recipients: the e-mail addresses of the Land's current member, permanent deputy and Land
  staff contacts in the meeting's body;
- each (meeting, Land, kind, deadline) is recorded once in ``Reminder`` (unique constraint),
  so reruns send nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from dmk.bodies.models import Membership, MembershipRole, State
from dmk.core.audit import log_action
from dmk.meetings.models import Meeting, MeetingKind, MeetingState, Reminder, ReminderKind
from dmk.meetings.selectors import meeting_deadlines

#: Default lead time: reminders go out from this many days before a deadline.
DEFAULT_DAYS_BEFORE = 3
#: Roles whose holders receive a Land's reminders (seed §2.2: member, permanent deputy; and
#: the Land's working-level contacts).
CONTACT_ROLES = (
    MembershipRole.MEMBER,
    MembershipRole.PERMANENT_DEPUTY,
    MembershipRole.STATE_STAFF,
)
_OPEN_STATES = (MeetingState.PLANNED, MeetingState.SCHEDULED, MeetingState.INVITED)
_CONFERENCE_KINDS = (MeetingKind.REGULAR, MeetingKind.SPECIAL)


@dataclass(frozen=True)
class DueReminder:
    """A reminder that should go out: ``meeting``, ``state`` (Land), ``kind``
    (``ReminderKind``), ``deadline`` (Europe/Berlin date) and the ``recipients``' addresses."""

    meeting: Meeting
    state: State
    kind: str
    deadline: datetime.date
    recipients: tuple[str, ...]


def days_before_default() -> int:
    """``settings.DMK_REMINDER_DAYS_BEFORE`` (default 3 days)."""
    return int(getattr(settings, "DMK_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def reminder_meetings(today: datetime.date) -> QuerySet[Meeting]:
    """Open, dated sessions of the conference on or after ``today`` (the ones whose Länder
    may be reminded), soonest first, with their body loaded."""
    return (
        Meeting.objects.filter(
            state__in=_OPEN_STATES, kind__in=_CONFERENCE_KINDS, start_date__gte=today
        )
        .select_related("body")
        .order_by("start_date", "pk")
    )


def reminder_deadline(meeting: Meeting, kind: str) -> datetime.date | None:
    """The deadline a reminder of ``kind`` refers to: the registration deadline for
    attendance, the papers deadline for submissions (DOMAIN rule 7); None if undated."""
    found = meeting_deadlines(meeting)
    if found is None:
        return None
    return found.registration if kind == ReminderKind.ATTENDANCE else found.papers


def land_contacts(meeting: Meeting, state: State) -> tuple[str, ...]:
    """E-mail addresses (lower case, sorted, unique) of ``state``'s current member, permanent
    deputy and Land staff in ``meeting``'s body; a person's own address, else their
    account's."""
    rows = (
        Membership.objects.current()
        .filter(organization__body=meeting.body, on_behalf_of=state, role__in=CONTACT_ROLES)
        .values_list("person__email", "person__user__email")
    )
    return tuple(sorted({(own or account).lower() for own, account in rows if own or account}))


def attendance_done_state_ids(meeting: Meeting) -> set[int]:
    """Länder that answered the attendance registration of ``meeting`` (any role, including
    "nimmt nicht teil")."""
    return set(meeting.attendances.exclude(role="").values_list("state_id", flat=True).distinct())


def due_reminders(
    *,
    kind: str,
    done_state_ids: Callable[[Meeting], Iterable[int]],
    today: datetime.date,
    days_before: int,
    meetings: Iterable[Meeting] | None = None,
    ignore_lead_time: bool = False,
) -> list[DueReminder]:
    """The reminders of ``kind`` due on ``today`` (a Europe/Berlin date) and not yet recorded.

    ``done_state_ids(meeting)`` names the Länder that need no reminder; ``meetings`` defaults
    to :func:`reminder_meetings`. A reminder is due from ``days_before`` days before its
    deadline to the deadline day; ``ignore_lead_time`` (the Geschäftsstelle's button) drops
    the lower bound. Länder without any contact address are left out. Sorted by meeting,
    then Land name.
    """
    if kind not in ReminderKind.values:
        raise ValueError(f"unknown reminder kind {kind!r}")
    states = list(State.objects.order_by("name_de"))
    result: list[DueReminder] = []
    for meeting in reminder_meetings(today) if meetings is None else meetings:
        deadline = reminder_deadline(meeting, kind)
        if deadline is None or deadline < today:
            continue
        if not ignore_lead_time and (deadline - today).days > days_before:
            continue
        done = set(done_state_ids(meeting))
        done |= set(
            Reminder.objects.filter(meeting=meeting, kind=kind, deadline=deadline).values_list(
                "state_id", flat=True
            )
        )
        for state in states:
            if state.pk in done:
                continue
            recipients = land_contacts(meeting, state)
            if recipients:
                result.append(DueReminder(meeting, state, kind, deadline, recipients))
    return result


def attendance_reminders(
    *,
    today: datetime.date,
    days_before: int,
    meetings: Iterable[Meeting] | None = None,
    ignore_lead_time: bool = False,
) -> list[DueReminder]:
    """Due reminders to Länder that have not registered attendance (see module docstring)."""
    return due_reminders(
        kind=ReminderKind.ATTENDANCE,
        done_state_ids=attendance_done_state_ids,
        today=today,
        days_before=days_before,
        meetings=meetings,
        ignore_lead_time=ignore_lead_time,
    )


def reminders_send(*, due: Iterable[DueReminder], actor: Any = None) -> list[Reminder]:
    """Record each of ``due`` once and, after commit, e-mail it (``send_reminder_task`` on
    the ``queue`` backend). A reminder recorded meanwhile (a parallel run) is skipped.
    Audited as ``meetings.reminder.sent``; ``actor`` None means the scheduled job. Returns
    the reminders recorded now."""
    from dmk.meetings.tasks import send_reminder_task

    recorded: list[Reminder] = []
    for item in due:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    meeting=item.meeting,
                    state=item.state,
                    kind=item.kind,
                    deadline=item.deadline,
                    recipients=list(item.recipients),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                log_action(
                    "meetings.reminder.sent",
                    actor=actor,
                    obj=reminder,
                    data={
                        "meeting": item.meeting.pk,
                        "state": item.state.code,
                        "kind": item.kind,
                        "deadline": item.deadline.isoformat(),
                        "recipients": len(item.recipients),
                    },
                )
                transaction.on_commit(lambda pk=reminder.pk: send_reminder_task.enqueue(pk))
        except IntegrityError:
            continue
        recorded.append(reminder)
    return recorded
