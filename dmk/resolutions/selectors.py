"""Reads of resolutions, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from dmk.access.policy import visible, visible_followups
from dmk.bodies.models import State
from dmk.core.links import slug_url
from dmk.resolutions.models import PENDING_STATUSES, FollowUp, Resolution
from dmk.voting.models import Vote
from dmk.voting.selectors import ballot_table
from dmk.voting.wording import ballot_outcome_sentence, unknown_votes_sentence


def resolution_list(*, user: Any) -> QuerySet[Resolution]:
    """Resolutions ``user`` may see, newest first, with meeting, topics and initiating
    Länder loaded."""
    return visible(
        user,
        Resolution.objects.select_related("meeting", "body", "paper").prefetch_related(
            "topics", "initiating_states"
        ),
    )


def archive_rows(resolutions: QuerySet[Resolution]) -> QuerySet[Any]:
    """``resolutions`` (already narrowed by :func:`resolution_list` and filters) as the
    values one archive row shows (``website/resolution_index.html``): dicts with ``pk``,
    ``slug``, ``title``, ``title_is_exact``, ``decided_on`` (a Europe/Berlin calendar date or
    None), ``initiating_note``, ``meeting_slug`` and ``meeting_name``. Same rows, same order;
    one query for any page. Complete a page's rows with :func:`archive_page`."""
    return (
        resolutions.select_related(None)
        .prefetch_related(None)
        .values(
            "pk",
            "slug",
            "title",
            "title_is_exact",
            "decided_on",
            "initiating_note",
            meeting_slug=F("meeting__slug"),
            meeting_name=F("meeting__name"),
        )
    )


def archive_page(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of one archive page (from :func:`archive_rows`), each completed with ``url``
    and ``meeting_url`` (in the active language) and ``initiating_states``: the names of
    the initiating Länder in the active language, in the order of ``State`` (German name).

    Issue 17 item 1: one query for the Länder of the whole page, no model objects and no
    per-row related managers — half the cost of ``prefetch_related`` for 50 rows."""
    rows = list(rows)
    through = Resolution.initiating_states.through
    names: dict[int, list[str]] = {row["pk"]: [] for row in rows}
    pairs = (
        through.objects.filter(resolution_id__in=names)
        .order_by("state__name_de", "state_id")
        .values_list("resolution_id", "state__name_de", "state__name_en")
    )
    for resolution_id, name_de, name_en in pairs:
        names[resolution_id].append(State.localized_name(name_de, name_en))
    for row in rows:
        row["url"] = slug_url("website:resolution_detail", row["slug"])
        row["meeting_url"] = slug_url("website:meeting_detail", row["meeting_slug"])
        row["initiating_states"] = names[row["pk"]]
    return rows


#: SQL for "1 January of the year of ``y.d``" per database vendor (``decision_years``).
_YEAR_START = {
    "postgresql": "make_date(CAST(EXTRACT(YEAR FROM y.d) AS integer), 1, 1)",
    "sqlite": "date(y.d, 'start of year')",
}


def decision_years(resolutions: QuerySet[Resolution]) -> list[int]:
    """The calendar years (ints, newest first) in which at least one of ``resolutions`` was
    decided (``decided_on``, a Europe/Berlin calendar date); resolutions without a date
    count for no year. Same list as ``resolutions.dates("decided_on", "year",
    order="DESC")``.

    One query that walks the archive index from year to year (a "loose index scan": a
    recursive query asking for the latest date before 1 January of the year last found),
    so it reads one index entry per year instead of every row: 0.6 ms instead of 9 ms at
    10,000 resolutions on PostgreSQL (issue 17 item 1, the archive's filter form). Any
    filter of ``resolutions`` (``dmk.access.policy.visible``) is kept: its SQL is the
    subquery of each step. Other database vendors get Django's ``dates()``.
    """
    base = resolutions.prefetch_related(None).order_by().filter(decided_on__isnull=False)
    connection = connections[base.db]
    year_start = _YEAR_START.get(connection.vendor)
    if year_start is None:
        return [day.year for day in base.dates("decided_on", "year", order="DESC")]
    sql, params = base.values("decided_on").query.sql_with_params()
    query = (
        "WITH RECURSIVE y(d) AS ("  # noqa: S608 - Django's own SQL, values as parameters
        f" SELECT MAX(s.decided_on) FROM ({sql}) s"
        " UNION ALL"
        f" SELECT (SELECT MAX(s.decided_on) FROM ({sql}) s WHERE s.decided_on < {year_start})"
        " FROM y WHERE y.d IS NOT NULL"
        ") SELECT d FROM y WHERE d IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, (*params, *params))
        # SQLite answers MAX() of a date column as text: the year is its first four digits
        return [int(str(day)[:4]) for (day,) in cursor.fetchall()]


def resolution_outcome_sentence(
    resolution: Resolution, *, states: list[State] | None = None
) -> str:
    """How ``resolution`` was voted on, in the one wording of
    :func:`dmk.voting.wording.outcome_sentence` (issue 11, Build 3; DOMAIN rules 1–3): for a
    resolution adopted on the platform the verdict with the counts and the Länder that voted
    no, abstained or did not vote; for one of the historic record whose per-Land votes were
    never published (``vote_table_known`` False, or no closed ballot) the honest sentence that
    they are not known — no counts are invented. ``states``: all Länder by German name, if the
    caller has them; ``resolution.ballot.votes`` may be prefetched."""
    ballot = resolution.ballot if resolution.vote_table_known and resolution.ballot_id else None
    if ballot is None or ballot.is_open:
        return unknown_votes_sentence()
    return ballot_outcome_sentence(ballot, states=states)


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
