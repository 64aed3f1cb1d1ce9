"""Reads of resolutions, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dmk.access.policy import visible, visible_followups
from dmk.bodies.models import State
from dmk.resolutions.models import PENDING_STATUSES, FollowUp, Resolution
from dmk.voting.models import Vote
from dmk.voting.selectors import ballot_table


def resolution_list(*, user: Any) -> QuerySet[Resolution]:
    """Resolutions ``user`` may see, newest first, with meeting, topics and initiating
    Länder loaded."""
    return visible(
        user,
        Resolution.objects.select_related("meeting", "body", "paper").prefetch_related(
            "topics", "initiating_states"
        ),
    )


def followup_list(
    *,
    user: Any,
    today: datetime.date,
    state: State | None = None,
    status: str = "",
    overdue: bool = False,
) -> QuerySet[FollowUp]:
    """Follow-ups ``user`` may see (:func:`dmk.access.policy.visible_followups`), earliest
    due first, with resolution, body and Land loaded; optionally only those of Land
    ``state``, with ``status`` (a ``FollowUpStatus`` value) or overdue on ``today`` (a
    Europe/Berlin date: still open or in progress and due before ``today``; issue 6 item 6)."""
    followups = visible_followups(
        user, FollowUp.objects.select_related("resolution", "organization", "state")
    ).order_by("due_date", "pk")
    if state is not None:
        followups = followups.filter(state=state)
    if status:
        followups = followups.filter(status=status)
    if overdue:
        followups = followups.filter(status__in=PENDING_STATUSES, due_date__lt=today)
    return followups


def public_vote_table(
    resolution: Resolution,
    *,
    states: Sequence[State] | None = None,
    votes: Iterable[Vote] | None = None,
) -> list[dict[str, Any]] | None:
    """The per-Land vote table of ``resolution`` for its public page (issue 6 item 6), or
    None when there is none to show: an imported resolution whose per-Land votes are not
    known (``vote_table_known`` False) or one without a closed ballot.

    One row per Land (all 16, by German name): ``state`` (a State), ``choice`` (the
    ``Choice`` value or ``""`` when the Land did not vote), ``label`` (German: "Ja",
    "Nein", "Enthaltung", "nicht abgegeben") and ``transferred_to`` (the State that cast this
    Land's vote under a Stimmrechtsübertragung, DOMAIN rule 4, else None). Deliberately
    without the Kabinettsvorbehalt, the persons who cast or recorded the votes and the times:
    DOMAIN rule 6 keeps reservations and Protokollerklärungen out of what is published with
    the resolution, and persons are not public.

    A caller that shows many resolutions at once (the OParl lists, issue 16) passes the
    Länder (``states``, all of them by German name) and the ballot's ``votes`` (with
    ``state`` and ``via_transfer__to_state`` loaded) it has already read; the rule stays here.
    """
    if not resolution.vote_table_known or resolution.ballot_id is None:
        return None
    ballot = resolution.ballot
    if ballot is None or ballot.is_open:
        return None
    if states is not None and votes is not None:
        by_state = {v.state_id: v for v in votes}
        table = [{"state": s, "vote": by_state.get(s.pk)} for s in states]
    else:
        table = ballot_table(ballot)
    rows = []
    for row in table:
        vote = row["vote"]
        transfer = vote.via_transfer if vote is not None else None
        rows.append(
            {
                "state": row["state"],
                "choice": vote.choice if vote is not None else "",
                "label": vote.get_choice_display() if vote is not None else _("nicht abgegeben"),
                "transferred_to": transfer.to_state if transfer is not None else None,
            }
        )
    return rows
