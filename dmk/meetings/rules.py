"""Pure deadline rules of a meeting (DOMAIN rule 7, seed §2.1).

No database access: callers pass the body's rule set (``Body.invitation_weeks`` …) and the
meeting date. All dates are Europe/Berlin calendar dates; a deadline passes at the end of
its Europe/Berlin day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Deadlines:
    """The three deadlines of a meeting (Europe/Berlin calendar dates, DOMAIN rule 7).

    ``invitation``: invitation and draft agenda sent; ``registration``: items registered;
    ``papers``: papers submitted (later papers are Tischvorlagen).
    """

    invitation: datetime.date
    registration: datetime.date
    papers: datetime.date


def deadlines(
    *,
    meeting_date: datetime.date,
    invitation_weeks: int,
    registration_weeks: int,
    papers_weeks: int,
) -> Deadlines:
    """The deadlines ``n`` weeks before ``meeting_date`` (DOMAIN rule 7; defaults 6/4/2).

    Calendar arithmetic on dates, so a daylight-saving change in between never shifts a
    deadline by a day. Raises ValueError for a negative number of weeks.
    """
    for weeks in (invitation_weeks, registration_weeks, papers_weeks):
        if weeks < 0:
            raise ValueError("weeks must not be negative")
    return Deadlines(
        invitation=meeting_date - datetime.timedelta(weeks=invitation_weeks),
        registration=meeting_date - datetime.timedelta(weeks=registration_weeks),
        papers=meeting_date - datetime.timedelta(weeks=papers_weeks),
    )


def is_past(deadline: datetime.date, now: datetime.datetime) -> bool:
    """Whether ``deadline`` (a Europe/Berlin date) has passed at ``now`` (an aware datetime).

    A deadline passes at the end of its Europe/Berlin day (DOMAIN rule 7): on the deadline
    day itself, up to 23:59:59 Berlin time, it has not passed. Raises ValueError for a naive
    ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(BERLIN).date() > deadline


def is_tischvorlage(*, papers_deadline: datetime.date, submitted_at: datetime.datetime) -> bool:
    """Whether a paper submitted at ``submitted_at`` (aware) is a Tischvorlage: submitted after
    the papers deadline has passed (DOMAIN rule 7)."""
    return is_past(papers_deadline, submitted_at)


def days_left(deadline: datetime.date, now: datetime.datetime) -> int:
    """Whole Europe/Berlin calendar days from ``now`` to ``deadline`` (0 on the day itself,
    negative once passed)."""
    return (deadline - now.astimezone(BERLIN).date()).days
