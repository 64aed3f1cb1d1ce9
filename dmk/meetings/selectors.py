"""Reads of meetings, with their related rows loaded (STYLE.md "Selectors")."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from dmk.access.policy import visible_meetings
from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingState
from dmk.meetings.rules import Deadlines, deadlines


def meeting_list(*, user: Any, today: datetime.date | None = None) -> QuerySet[Meeting]:
    """Meetings ``user`` may see: dated sessions on or after ``today`` first, then undated
    (planned) ones, then past ones; within each group the newest date first, then the newest
    row. ``today`` is a Europe/Berlin calendar date (default: today).

    Sessions of the conference are announced publicly (``is_public``); the others need an
    internal role in the meeting's body (DOMAIN rule 11, issue 11 item 1; decided by
    ``dmk.access.policy.visible_meetings``). Chairs are prefetched.
    """
    today = today or timezone.localdate()
    group = Case(
        When(start_date__gte=today, then=Value(0)),
        When(start_date__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs = (
        Meeting.objects.select_related("body", "chair_period")
        .prefetch_related("chairs")
        .order_by(group, F("start_date").desc(nulls_last=True), "-pk")
    )
    return visible_meetings(user, qs)


def next_planned_meeting(*, body: Any, today: datetime.date) -> Meeting | None:
    """The next meeting of ``body`` itself (regular or special session, not a working body's)
    whose agenda is still open: planned, scheduled or invited, dated ``today`` (a
    Europe/Berlin date) or later, soonest first. An undated meeting does not count: without a
    date it is not "next" and has no deadlines (DOMAIN rule 7); the record holds such
    announcements that never got a date. None if the body has no such meeting. Used for a
    written procedure stopped by a demand for oral treatment "at the next meeting" (rule 8)."""
    return (
        Meeting.objects.filter(
            body=body,
            kind__in=[MeetingKind.REGULAR, MeetingKind.SPECIAL],
            state__in=[MeetingState.PLANNED, MeetingState.SCHEDULED, MeetingState.INVITED],
            start_date__gte=today,
        )
        .order_by("start_date", "pk")
        .first()
    )


def present_state_ids(meeting: Meeting) -> set[int]:
    """Primary keys of the Länder marked present at ``meeting`` (DOMAIN rule 4 needs this)."""
    return set(meeting.attendances.filter(present=True).values_list("state_id", flat=True))


def meeting_deadlines(meeting: Meeting) -> Deadlines | None:
    """The deadlines of ``meeting`` from its body's rule set (DOMAIN rule 7), or None for an
    undated meeting. Europe/Berlin calendar dates."""
    if meeting.start_date is None:
        return None
    body = meeting.body
    return deadlines(
        meeting_date=meeting.start_date,
        invitation_weeks=body.invitation_weeks,
        registration_weeks=body.registration_weeks,
        papers_weeks=body.papers_weeks,
    )


def upcoming_and_past(*, user: Any, today: datetime.date) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings ``user`` may see, split at ``today`` (a Europe/Berlin date): upcoming (today or
    later, or undated — soonest first) and past (newest first). Two queries plus prefetch."""
    qs = meeting_list(user=user)
    upcoming = list(
        qs.filter(Q(start_date__gte=today) | Q(start_date__isnull=True)).order_by(
            F("start_date").asc(nulls_last=True), "pk"
        )
    )
    past = list(qs.filter(start_date__lt=today))
    return upcoming, past


def meeting_for_user(*, user: Any, slug: str) -> Meeting | None:
    """The meeting ``slug`` if ``user`` may see it, with agenda items (and their lead Länder)
    prefetched; else None."""
    return (
        meeting_list(user=user)
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.prefetch_related("lead_states").order_by("order"),
            )
        )
        .filter(slug=slug)
        .first()
    )


def attendance_board(meeting: Meeting) -> list[tuple[State, Attendance | None]]:
    """All Länder (by name) with their registration for ``meeting`` or None (the
    Geschäftsstelle's 16-Länder board, issue 5 item 6). Two queries."""
    rows = {a.state_id: a for a in meeting.attendances.all()}
    return [(state, rows.get(state.pk)) for state in State.objects.order_by("name_de")]
