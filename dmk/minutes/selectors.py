"""Reads of minutes, always for a viewing user (DOMAIN rule 11; issue 12)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dmk.access.policy import can_view_minutes, minutes_comment_state_ids
from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.minutes.models import Minutes, MinutesComment, MinutesVersion


def minutes_for_user(*, user: Any, meeting: Meeting) -> Minutes | None:
    """The minutes of ``meeting`` if they exist and ``user`` may read them, else None."""
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting__body").first()
    if minutes is None or not can_view_minutes(user, minutes):
        return None
    return minutes


def minutes_versions(minutes: Minutes) -> QuerySet[MinutesVersion]:
    """Every version, oldest first, with its author."""
    return minutes.versions.select_related("created_by").order_by("number")


def minutes_comments(minutes: Minutes) -> list[MinutesComment]:
    """Every comment, oldest first, with Land, item and author loaded. Comments are internal
    like the minutes themselves: every reader of the minutes sees them."""
    return list(
        minutes.comments.select_related("state", "agenda_item", "author").order_by(
            "created_at", "pk"
        )
    )


def comment_states(*, user: Any) -> list[State]:
    """The Länder ``user`` may comment for (``policy.minutes_comment_state_ids``), by name."""
    return list(State.objects.filter(pk__in=minutes_comment_state_ids(user)).order_by("name_de"))


def approval_item_choices(minutes: Minutes) -> QuerySet[AgendaItem]:
    """Agenda items of later meetings of the same body that are not yet held, in date and
    agenda order: where the minutes can be put to the vote (issue 12 item 2)."""
    meeting = minutes.meeting
    later = Meeting.objects.filter(body_id=meeting.body_id).exclude(pk=meeting.pk)
    later = later.filter(
        state__in=[MeetingState.PLANNED, MeetingState.SCHEDULED, MeetingState.INVITED]
    )
    if meeting.start_date:
        later = later.filter(start_date__gte=meeting.start_date)
    return (
        AgendaItem.objects.filter(meeting__in=later)
        .select_related("meeting")
        .order_by("meeting__start_date", "meeting__pk", "order")
    )
