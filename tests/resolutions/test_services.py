"""Tests of adopting and releasing resolutions (issue 6 item 6; DOMAIN rules 3, 6, 11)."""

from __future__ import annotations

import datetime

import pytest

from dmk.bodies.models import Body
from dmk.core.enums import Visibility
from dmk.core.models import ActivityLog
from dmk.resolutions.models import Resolution, ResolutionStatus
from dmk.resolutions.selectors import resolution_list
from dmk.resolutions.services import (
    resolution_adopt,
    resolution_release,
    resolution_replace,
    resolution_withdraw,
)
from dmk.voting.services import VotingError, ballot_close, ballot_open, vote_cast
from tests.voting.scenario import make_item, make_meeting, make_session, register_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


def _closed_ballot(session, item, yes: int = 11, no: int = 0):
    register_all(item.meeting)  # only present Länder vote (DOMAIN rule 1)
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    for index, state in enumerate(session.states[: yes + no]):
        choice = "yes" if index < yes else "no"
        vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice=choice)
    ballot_close(ballot=ballot, user=session.secretariat)
    ballot.refresh_from_db()
    return ballot


def _adopt(session, ballot, day: datetime.date, title: str = "Beschluss"):
    return resolution_adopt(
        ballot=ballot,
        title=title,
        text_html="<p>Text</p>",
        user=session.secretariat,
        decided_on=day,
    )


def test_numbers_run_per_calendar_year_across_meetings_and_restart_next_year(session):
    # Ballots open only once a meeting has begun (issue 6 newcomer report item 3): all three
    # meetings lie in the past.
    spring = make_meeting(slug="fruehjahr-2025", day=datetime.date(2025, 6, 12))
    first = _adopt(
        session, _closed_ballot(session, make_item(spring, 1)), datetime.date(2025, 6, 12)
    )
    other = make_meeting(slug="herbstsitzung-2025", day=datetime.date(2025, 11, 6))
    second = _adopt(
        session, _closed_ballot(session, make_item(other, 1)), datetime.date(2025, 11, 6)
    )
    third = _adopt(session, _closed_ballot(session, session.items[0]), datetime.date(2026, 6, 11))

    assert [first.number, second.number, third.number] == [
        "DMK 2025/01",
        "DMK 2025/02",
        "DMK 2026/01",
    ]
    assert (second.meeting, third.number_seq) == (other, 1)


def test_the_number_follows_the_bodys_configured_scheme(session):
    Body.objects.filter(short_name="DMK").update(resolution_number_format="Beschluss {year}/{seq}")

    resolution = _adopt(
        session, _closed_ballot(session, session.items[0]), datetime.date(2026, 6, 11)
    )

    assert resolution.number == "Beschluss 2026/1"


def test_an_adopted_resolution_carries_the_vote_result_and_sanitised_text(session):
    ballot = _closed_ballot(session, session.items[0], yes=15, no=1)

    resolution = resolution_adopt(
        ballot=ballot,
        title="Digitale Souveränität",
        text_html=(
            '<p onclick="x()">Die DMK <strong>beschließt</strong>.</p><script>alert(1)</script>'
        ),
        user=session.secretariat,
        decided_on=datetime.date(2026, 6, 11),
    )

    assert resolution.text_html == "<p>Die DMK <strong>beschließt</strong>.</p>"
    assert (resolution.unanimous, resolution.vote_table_known) == (False, True)
    assert (resolution.status, resolution.visibility) == (
        ResolutionStatus.ADOPTED,
        Visibility.DRAFT,
    )
    assert resolution.agenda_item == session.items[0]
    assert resolution.ballot.votes.count() == 16
    assert ActivityLog.objects.filter(action="resolutions.resolution.adopted").count() == 1


def test_a_resolution_is_public_only_after_the_geschaeftsstelle_releases_it(session):
    resolution = _adopt(
        session, _closed_ballot(session, session.items[0]), datetime.date(2026, 6, 11)
    )
    assert resolution not in resolution_list(user=None)

    with pytest.raises(VotingError):
        resolution_release(resolution=resolution, user=session.member("DE-BY"))
    resolution_release(resolution=resolution, user=session.secretariat)

    assert resolution in resolution_list(user=None)
    assert Resolution.objects.get(pk=resolution.pk).visibility == Visibility.PUBLIC


def test_a_rejected_ballot_gives_no_resolution(session):
    ballot = _closed_ballot(session, session.items[0], yes=10)

    with pytest.raises(VotingError) as excinfo:
        _adopt(session, ballot, datetime.date(2026, 6, 11))

    assert excinfo.value.message == (
        "Der Antrag hat die erforderliche Mehrheit nicht erreicht; es gibt keinen Beschluss."
    )
    assert Resolution.objects.filter(ballot=ballot).count() == 0


def test_an_open_ballot_gives_no_resolution(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError):
        _adopt(session, ballot, datetime.date(2026, 6, 11))


def test_withdrawn_and_replaced_resolutions_stay_in_the_archive(session):
    old = _adopt(session, _closed_ballot(session, session.items[0]), datetime.date(2026, 6, 11))
    new = _adopt(session, _closed_ballot(session, session.items[1]), datetime.date(2026, 6, 11))
    gone = _adopt(session, _closed_ballot(session, session.items[2]), datetime.date(2026, 6, 11))

    resolution_replace(resolution=old, by=new, user=session.secretariat)
    resolution_withdraw(resolution=gone, user=session.secretariat)

    old.refresh_from_db()
    gone.refresh_from_db()
    assert (old.status, old.replaced_by, old.number) == ("replaced", new, "DMK 2026/01")
    assert (gone.status, gone.number) == ("withdrawn", "DMK 2026/03")
