"""Reads of meetings, with their related rows loaded (STYLE.md "Selectors")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dmk.access.policy import principal_for
from dmk.meetings.models import Meeting


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
