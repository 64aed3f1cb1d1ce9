"""The demo holds a prepared next session of the chair Hamburg (issue 5 "Done when")."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from dmk.accounts.models import User
from dmk.bodies.models import State
from dmk.demo.meeting import load_demo_meeting
from dmk.demo.organisation import load_demo
from dmk.meetings.models import Meeting
from dmk.papers.models import Consultation
from dmk.resolutions.services import resolution_adopt
from dmk.voting.models import Ballot
from dmk.voting.selectors import proposal_texts
from dmk.voting.services import VotingError, ballot_close, ballot_open, vote_cast

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_session_is_the_5th_in_hamburg_with_agenda_papers_and_attendance(
    public_record, django_capture_on_commit_callbacks
):
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        result = load_demo_meeting(today=TODAY)
    meeting = result.meeting
    assert (meeting.ordinal, meeting.state, meeting.start_date) == (
        5,
        "invited",
        # ten weeks ahead would be 2027-02-11, after Hamburg's chair period (2026): the
        # latest Thursday at least ten days before the period's end instead
        datetime.date(2026, 12, 17),
    )
    assert meeting.chair_period.start_date == datetime.date(2026, 1, 1)
    assert [s.code for s in meeting.chairs.all()] == ["DE-HH"]
    items = list(meeting.agenda_items.order_by("order"))
    assert len(items) == 7
    assert [i.order for i in items if i.institutional] == [2]
    assert [i.order for i in items if i.in_parliamentary_procedure] == [4]
    assert [i.order for i in items if i.touches_it_planungsrat] == [3]
    authors = sorted(
        Consultation.objects.filter(meeting=meeting).values_list(
            "paper__author_state__code", flat=True
        )
    )
    assert authors == ["DE-BY", "DE-HH", "DE-NW", "DE-SN"]
    assert sorted(meeting.attendances.values_list("state__code", flat=True)) == [
        "DE-BE",
        "DE-BY",
        "DE-HH",
        "DE-NW",
        "DE-SN",
    ]
    assert meeting.guest_invitations.count() == 1


def test_loading_the_demo_session_twice_changes_nothing(public_record):
    from io import StringIO

    load_demo()
    call_command("load_demo_meeting", stdout=StringIO())
    counts = (Meeting.objects.count(), Consultation.objects.count())
    out = StringIO()
    call_command("load_demo_meeting", stdout=out)
    assert (Meeting.objects.count(), Consultation.objects.count()) == counts
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("5. Digitalministerkonferenz am ")
    slug = Meeting.objects.get(name="5. Digitalministerkonferenz").slug
    assert lines[0].endswith(f"(bereits vorhanden): /intern/sitzungen/{slug}/")
    assert "/intern/sitzungsleitung/" in lines[1]
    assert [line.split("(")[-1].split(")")[0] for line in lines[2:]] == [
        "abgeschlossen",
        "läuft",
    ]


def test_the_demo_special_session_can_be_run_from_the_cockpit_today(
    public_record, django_capture_on_commit_callbacks
):
    """Issue 6 newcomer report item 5 ("Done when": the demo's session can be run): the
    fictional video-conference session is held on the day of loading with 14 Länder present
    (Mecklenburg-Vorpommern and the Saarland absent), a decision item with a paper and an
    institutional item and no ballot; a ballot opens, the present Länder vote (Bayern and
    NRW through their demo members, the rest recorded by the Geschäftsstelle), an absent
    Land is refused, and the adopted resolution is numbered in this year."""
    today = timezone.localdate()
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        result = load_demo_meeting(today=today)
    special = result.special_session
    items = list(special.agenda_items.order_by("order"))
    present = set(special.attendances.filter(present=True).values_list("state__code", flat=True))
    secretariat = User.objects.get(email="geschaeftsstelle@dmk.example")
    states = {s.code: s for s in State.objects.all()}

    assert (special.name, special.kind, special.start_date, special.state) == (
        "Sondersitzung (Videokonferenz) – Demo",
        "special",
        today,
        "held",  # issue 12 item 7: its minutes are out for comment; ballots still possible
    )
    assert [(i.institutional, i.consultations.count()) for i in items] == [(False, 1), (True, 0)]
    assert present == set(states) - {"DE-MV", "DE-SL"}
    assert Ballot.objects.filter(agenda_item__meeting=special).count() == 0

    ballot = ballot_open(agenda_item=items[0], user=secretariat)
    for code, email in (("DE-BY", "mitglied.by@dmk.example"), ("DE-NW", "mitglied.nw@dmk.example")):
        vote_cast(
            ballot=ballot, user=User.objects.get(email=email), state=states[code], choice="yes"
        )
    for code in sorted(present - {"DE-BY", "DE-NW"}):
        vote_cast(ballot=ballot, user=secretariat, state=states[code], choice="yes", on_behalf=True)
    with pytest.raises(VotingError, match="Saarland ist nicht als anwesend festgestellt"):
        vote_cast(
            ballot=ballot, user=secretariat, state=states["DE-SL"], choice="yes", on_behalf=True
        )
    outcome = ballot_close(ballot=ballot, user=secretariat)
    resolution = resolution_adopt(
        ballot=ballot,
        title=items[0].title,
        text_html=proposal_texts(special)[items[0].pk],
        user=secretariat,
    )

    assert (outcome.yes, outcome.absent, outcome.adopted, outcome.unanimous) == (14, 2, True, True)
    assert resolution.number_year == today.year
    assert "Videokonferenzen" in resolution.text_html


@pytest.mark.parametrize(
    ("today", "expected", "period_year"),
    [
        # ten weeks ahead still lies in Hamburg's period: the Thursday on or after
        (datetime.date(2026, 3, 2), datetime.date(2026, 5, 14), 2026),
        # late in the year: the latest Thursday ten days before the period ends
        (datetime.date(2026, 11, 29), datetime.date(2026, 12, 17), 2026),
        # under two weeks left: the session falls into 2027, whose chair is not in the record
        (datetime.date(2026, 12, 10), datetime.date(2027, 2, 18), None),
    ],
)
def test_the_demo_session_stays_in_the_current_chair_period(
    public_record, today, expected, period_year
):
    from dmk.bodies.models import Body
    from dmk.demo.meeting import _next_session_date

    start, period = _next_session_date(body=Body.objects.get(short_name="DMK"), today=today)
    assert start == expected
    assert (period.start_date.year if period else None) == period_year


def test_a_demo_load_that_fails_halfway_stores_nothing(public_record, monkeypatch):
    """``load_demo_meeting`` is one transaction: a failure in the agenda leaves no session."""
    from dmk.meetings import services as meeting_services

    load_demo()

    def broken(**kwargs):
        raise RuntimeError("agenda broken")

    monkeypatch.setattr(meeting_services, "agenda_item_add", broken)
    before = Meeting.objects.count()
    with pytest.raises(RuntimeError, match="agenda broken"):
        load_demo_meeting(today=TODAY)
    assert Meeting.objects.count() == before
