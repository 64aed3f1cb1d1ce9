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


# --- Local times on a daylight-saving night (issue 18 item 4) ---------------------------------


class NonexistentLocalTime(ValueError):
    """A Europe/Berlin wall-clock time that the spring clock change skips (e.g. 28.03.2027
    02:30). ``message`` is the German text for the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_nonexistent(moment: datetime.datetime) -> bool:
    back = moment.astimezone(datetime.UTC).astimezone(BERLIN)
    return back.replace(tzinfo=None) != moment.replace(tzinfo=None)


def is_ambiguous(day: datetime.date, time: datetime.time) -> bool:
    """True when ``time`` on ``day`` occurs twice in Europe/Berlin (the autumn clock change:
    31.10.2027 02:00–02:59 is first CEST, UTC+2, then CET, UTC+1)."""
    moment = datetime.datetime.combine(day, time, tzinfo=BERLIN)
    return moment.utcoffset() != moment.replace(fold=1).utcoffset() and not _is_nonexistent(moment)


def berlin_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The aware Europe/Berlin datetime of wall-clock ``time`` on calendar date ``day``.

    Rules (STYLE.md "Times are aware datetimes in Europe/Berlin"):
    - a time the spring change skips (02:00–02:59 on the last Sunday of March) does not exist:
      :class:`NonexistentLocalTime` is raised with a German message naming the clock change;
    - a time the autumn change repeats (02:00–02:59 on the last Sunday of October) means its
      **first occurrence** (``fold=0``, still summer time, UTC+2).
    """
    moment = datetime.datetime.combine(day, time.replace(fold=0), tzinfo=BERLIN)
    if _is_nonexistent(moment):
        from django.utils.translation import gettext

        skip = moment.replace(fold=1).utcoffset() - moment.utcoffset()  # type: ignore[operator]
        gap_start = datetime.time(time.hour)
        gap_end = (datetime.datetime.combine(day, gap_start) + abs(skip)).time()
        raise NonexistentLocalTime(
            gettext(
                "Die Uhrzeit %(time)s Uhr gibt es am %(day)s in Deutschland nicht: In dieser "
                "Nacht beginnt die Sommerzeit, die Uhren werden um %(start)s Uhr auf %(end)s "
                "Uhr vorgestellt. Bitte wählen Sie eine andere Uhrzeit."
            )
            % {
                "time": time.strftime("%H:%M"),
                "day": day.strftime("%d.%m.%Y"),
                "start": gap_start.strftime("%H:%M"),
                "end": gap_end.strftime("%H:%M"),
            }
        )
    return moment


def utc_offset_label(moment: datetime.datetime) -> str:
    """``"UTC+2"`` / ``"UTC+1"`` (whole hours) or ``"UTC+5:30"`` for an aware datetime."""
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def berlin_time_label(day: datetime.date, time: datetime.time) -> str:
    """``time`` as a German reader sees it: "10:00 Uhr"; a time the autumn change repeats
    gets its UTC offset and the rule of :func:`berlin_datetime` ("02:30 Uhr (UTC+2, das erste
    Mal in der Nacht der Zeitumstellung)"). Raises :class:`NonexistentLocalTime` like
    :func:`berlin_datetime`."""
    from django.utils.translation import gettext

    moment = berlin_datetime(day, time)
    text = gettext("%(time)s Uhr") % {"time": time.strftime("%H:%M")}
    if is_ambiguous(day, time):
        text += " " + gettext("(%(offset)s, das erste Mal in der Nacht der Zeitumstellung)") % {
            "offset": utc_offset_label(moment)
        }
    return text
