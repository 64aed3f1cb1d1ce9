"""Reads of meetings, with their related rows loaded (STYLE.md "Selectors")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dmk.access.policy import principal_for
from dmk.meetings.models import Meeting
from dmk.meetings.rules import Deadlines, deadlines


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` may see, newest first, undated planned sessions on top.

    Sessions of the conference are announced publicly (``is_public``); the others need an
    internal role (DOMAIN rule 11, decided by ``dmk.access``). Chairs are prefetched.
    """
    qs = Meeting.objects.select_related("body", "chair_period").prefetch_related("chairs")
    if not principal_for(user).is_internal:
        qs = qs.filter(is_public=True)
    return qs


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
