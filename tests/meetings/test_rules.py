"""Deadline rules (DOMAIN rule 7): calendar dates in Europe/Berlin."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from dmk.meetings.rules import Deadlines, days_left, deadlines, is_past, is_tischvorlage

BERLIN = ZoneInfo("Europe/Berlin")
UTC = datetime.UTC


def test_rule_7_deadlines_of_a_meeting_on_2024_04_19_are_6_4_2_weeks_before():
    assert deadlines(
        meeting_date=datetime.date(2024, 4, 19),
        invitation_weeks=6,
        registration_weeks=4,
        papers_weeks=2,
    ) == Deadlines(
        invitation=datetime.date(2024, 3, 8),
        registration=datetime.date(2024, 3, 22),
        papers=datetime.date(2024, 4, 5),
    )


def test_rule_7_deadlines_across_the_daylight_saving_change_stay_calendar_dates():
    # Summer time starts on 2026-03-29; the meeting is after it, the deadlines before.
    assert deadlines(
        meeting_date=datetime.date(2026, 4, 10),
        invitation_weeks=6,
        registration_weeks=4,
        papers_weeks=2,
    ) == Deadlines(
        invitation=datetime.date(2026, 2, 27),
        registration=datetime.date(2026, 3, 13),
        papers=datetime.date(2026, 3, 27),
    )


def test_rule_7_negative_weeks_are_refused():
    with pytest.raises(ValueError):
        deadlines(
            meeting_date=datetime.date(2026, 4, 10),
            invitation_weeks=-1,
            registration_weeks=4,
            papers_weeks=2,
        )


@pytest.mark.parametrize(
    ("deadline", "now", "expected"),
    [
        # winter time (UTC+1)
        (datetime.date(2026, 3, 13), datetime.datetime(2026, 3, 13, 23, 30, tzinfo=BERLIN), False),
        (datetime.date(2026, 3, 13), datetime.datetime(2026, 3, 14, 0, 30, tzinfo=BERLIN), True),
        # summer time (UTC+2)
        (datetime.date(2026, 4, 10), datetime.datetime(2026, 4, 10, 23, 30, tzinfo=BERLIN), False),
        (datetime.date(2026, 4, 10), datetime.datetime(2026, 4, 11, 0, 30, tzinfo=BERLIN), True),
        # the same instants given in UTC: 22:30 UTC on 10 April is 00:30 Berlin on the 11th
        (datetime.date(2026, 4, 10), datetime.datetime(2026, 4, 10, 21, 30, tzinfo=UTC), False),
        (datetime.date(2026, 4, 10), datetime.datetime(2026, 4, 10, 22, 30, tzinfo=UTC), True),
        (datetime.date(2026, 3, 13), datetime.datetime(2026, 3, 13, 22, 30, tzinfo=UTC), False),
        (datetime.date(2026, 3, 13), datetime.datetime(2026, 3, 13, 23, 30, tzinfo=UTC), True),
    ],
)
def test_rule_7_a_deadline_passes_at_the_end_of_its_berlin_day(deadline, now, expected):
    assert is_past(deadline, now) is expected


def test_rule_7_is_past_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        is_past(datetime.date(2026, 4, 10), datetime.datetime(2026, 4, 10, 12, 0))


def test_rule_7_a_paper_after_the_papers_deadline_is_a_tischvorlage():
    deadline = datetime.date(2024, 4, 5)
    assert not is_tischvorlage(
        papers_deadline=deadline,
        submitted_at=datetime.datetime(2024, 4, 5, 23, 59, tzinfo=BERLIN),
    )
    assert is_tischvorlage(
        papers_deadline=deadline,
        submitted_at=datetime.datetime(2024, 4, 6, 0, 1, tzinfo=BERLIN),
    )


def test_rule_7_days_left_counts_berlin_calendar_days():
    now = datetime.datetime(2026, 4, 10, 22, 30, tzinfo=UTC)  # 00:30 on 11 April in Berlin
    assert days_left(datetime.date(2026, 4, 11), now) == 0
    assert days_left(datetime.date(2026, 4, 13), now) == 2
    assert days_left(datetime.date(2026, 4, 10), now) == -1
