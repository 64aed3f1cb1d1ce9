"""Presence and representation in session ballots (DOMAIN rules 1 and 4; issue 6, the
newcomer's report: no roll call, votes of absent or unrepresented Länder accepted, ballots
for meetings that have not begun)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dmk.bodies.models import Body, MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings.models import Attendance, MeetingState
from dmk.meetings.services import attendance_set_present
from dmk.voting.models import Ballot, Vote
from dmk.voting.selectors import states_user_may_vote_for
from dmk.voting.services import (
    VotingError,
    ballot_open,
    vote_cast,
    vote_transfer_create,
    written_procedure_start,
    written_vote_cast,
)
from tests.factories import MembershipFactory, PersonFactory, user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_item, make_meeting, make_session

pytestmark = pytest.mark.django_db

NOT_PRESENT = "{land} ist nicht als anwesend festgestellt und kann nicht abstimmen."


@pytest.fixture
def session(public_record):
    return make_session()


@pytest.fixture
def ballot(session):
    return ballot_open(agenda_item=session.items[0], user=session.secretariat)


def _attendance(session, code):
    return Attendance.objects.get(meeting=session.meeting, state=session.state(code))


def _mark_absent(session, *codes):
    present = [s.pk for s in session.states if s.code not in codes]
    attendance_set_present(actor=session.secretariat, meeting=session.meeting, state_ids=present)


def _transfer_hessen_to_hamburg(session):
    hessen, hamburg = session.state("DE-HE"), session.state("DE-HH")
    vote_transfer_create(
        meeting=session.meeting,
        from_state=hessen,
        to_state=hamburg,
        from_agenda_item=session.items[0],
        user=session.secretariat,
    )
    return hessen, hamburg


# --- rule 1: only the registered representative of a present Land casts its vote ------------


def test_nrw_registered_its_deputy_so_the_member_is_refused_and_the_deputy_votes(session, ballot):
    """The newcomer's case (rule 1): NRW registered its permanent deputy for this meeting,
    so the member (also present in the portal) may not cast NRW's vote; the deputy may."""
    nrw = session.state("DE-NW")
    deputy = user_with_role(MembershipRole.PERMANENT_DEPUTY, nrw, email="stv-nw@land.example")
    Attendance.objects.filter(meeting=session.meeting, state=nrw).update(role="permanent_deputy")

    with pytest.raises(VotingError) as refused:
        vote_cast(ballot=ballot, user=session.member("DE-NW"), state=nrw, choice="yes")
    vote_cast(ballot=ballot, user=deputy, state=nrw, choice="no")

    assert refused.value.message == (
        "Für Nordrhein-Westfalen ist in dieser Sitzung diese Vertretung gemeldet: ständige "
        "Stellvertretung. Nur diese Person gibt die Stimme des Landes ab; die Geschäftsstelle "
        "kann die Anmeldung ändern oder die Stimme im Auftrag erfassen."
    )
    assert list(Vote.objects.values_list("state__code", "choice", "cast_by")) == [
        ("DE-NW", "no", deputy.pk)
    ]


def test_the_voting_page_offers_nrw_only_to_the_registered_deputy(session, ballot):
    """Rule 1: the page lists a Land only for the person who represents it now."""
    nrw = session.state("DE-NW")
    deputy = user_with_role(MembershipRole.PERMANENT_DEPUTY, nrw, email="stv-nw@land.example")
    Attendance.objects.filter(meeting=session.meeting, state=nrw).update(role="permanent_deputy")

    member_options = states_user_may_vote_for(ballot=ballot, user=session.member("DE-NW"))
    deputy_options = states_user_may_vote_for(ballot=ballot, user=deputy)

    assert member_options == []
    assert deputy_options == [(nrw, None)]


def test_a_person_named_in_the_attendance_is_the_only_one_who_votes(session, ballot):
    """Rule 1: an attendance naming a person admits only that person's user — here the
    permanent deputy; the member, whom an attendance without a person would admit, is
    refused."""
    hessen = session.state("DE-HE")
    deputy = user_with_role(MembershipRole.PERMANENT_DEPUTY, hessen, email="stv-he@land.example")
    Attendance.objects.filter(meeting=session.meeting, state=hessen).update(
        person=deputy.person, role=""
    )

    with pytest.raises(VotingError, match=f"diese Vertretung gemeldet: {deputy.person}"):
        vote_cast(ballot=ballot, user=session.member("DE-HE"), state=hessen, choice="yes")
    vote = vote_cast(ballot=ballot, user=deputy, state=hessen, choice="yes")

    assert vote.cast_by == deputy


def test_a_further_deputy_named_for_this_meeting_votes_when_registered(session, ballot):
    """Rule 1: "else the further deputy named for that meeting"."""
    sachsen = session.state("DE-SN")
    person = PersonFactory(state=sachsen)
    MembershipFactory(
        person=person,
        role=MembershipRole.FURTHER_DEPUTY,
        on_behalf_of=sachsen,
        meeting=session.meeting,
    )
    Attendance.objects.filter(meeting=session.meeting, state=sachsen).update(
        role="further_deputy", representative_name=str(person)
    )

    with pytest.raises(VotingError, match="diese Vertretung gemeldet"):
        vote_cast(ballot=ballot, user=session.member("DE-SN"), state=sachsen, choice="yes")
    vote = vote_cast(ballot=ballot, user=person.user, state=sachsen, choice="yes")

    assert vote.cast_by == person.user


def test_an_absent_land_is_refused_on_its_own_device_and_on_behalf(session, ballot):
    """Rule 1: a Land votes only while present — also when the Geschäftsstelle records."""
    _mark_absent(session, "DE-SL")
    saarland = session.state("DE-SL")

    with pytest.raises(VotingError) as own:
        vote_cast(ballot=ballot, user=session.member("DE-SL"), state=saarland, choice="yes")
    with pytest.raises(VotingError) as behalf:
        vote_cast(
            ballot=ballot, user=session.secretariat, state=saarland, choice="yes", on_behalf=True
        )

    expected = NOT_PRESENT.format(land="Saarland")
    assert own.value.message.startswith(expected)
    assert behalf.value.message.startswith(expected)
    assert Vote.objects.count() == 0


def test_a_land_that_never_registered_is_refused_even_on_behalf(session, ballot):
    """The newcomer's case: the Geschäftsstelle recorded votes for Länder that had not
    registered at all (rule 1)."""
    bremen = session.state("DE-HB")
    Attendance.objects.filter(meeting=session.meeting, state=bremen).delete()

    with pytest.raises(VotingError, match="Bremen ist nicht als anwesend festgestellt"):
        vote_cast(
            ballot=ballot, user=session.secretariat, state=bremen, choice="no", on_behalf=True
        )

    assert Vote.objects.count() == 0


def test_the_receiving_land_absent_at_cast_time_is_refused_under_rule_4(session, ballot):
    """Rule 4: the receiving Land casts the transferred vote and must be present — checked
    again when the vote is cast, not only when the transfer was made."""
    hessen, _hamburg = _transfer_hessen_to_hamburg(session)
    _mark_absent(session, "DE-HH", "DE-HE")

    with pytest.raises(VotingError) as own:
        vote_cast(ballot=ballot, user=session.member("DE-HH"), state=hessen, choice="yes")
    with pytest.raises(VotingError) as behalf:
        vote_cast(
            ballot=ballot, user=session.secretariat, state=hessen, choice="yes", on_behalf=True
        )

    assert own.value.message.startswith(NOT_PRESENT.format(land="Hamburg"))
    assert behalf.value.message.startswith(NOT_PRESENT.format(land="Hamburg"))
    assert Vote.objects.count() == 0


def test_a_present_receiving_land_casts_the_vote_of_an_absent_transferring_land(session, ballot):
    """Rule 4: the transferring Land may leave; its vote is cast by the present receiver."""
    hessen, hamburg = _transfer_hessen_to_hamburg(session)
    _mark_absent(session, "DE-HE")

    vote = vote_cast(ballot=ballot, user=session.member("DE-HH"), state=hessen, choice="no")

    assert (vote.state, vote.via_transfer.to_state, vote.cast_by) == (
        hessen,
        hamburg,
        session.member("DE-HH"),
    )


def test_a_land_marked_present_without_registration_is_represented_by_its_member(session, ballot):
    """Roll call without registration: role empty (person unknown), the member represents
    (rule 1: "the member if present"); the permanent deputy does not."""
    brandenburg = session.state("DE-BB")
    Attendance.objects.filter(meeting=session.meeting, state=brandenburg).delete()
    deputy = user_with_role(
        MembershipRole.PERMANENT_DEPUTY, brandenburg, email="stv-bb@land.example"
    )
    attendance_set_present(
        actor=session.secretariat,
        meeting=session.meeting,
        state_ids=[s.pk for s in session.states],
    )

    with pytest.raises(VotingError, match="diese Vertretung gemeldet: Mitglied"):
        vote_cast(ballot=ballot, user=deputy, state=brandenburg, choice="yes")
    vote = vote_cast(ballot=ballot, user=session.member("DE-BB"), state=brandenburg, choice="yes")

    assert (_attendance(session, "DE-BB").role, vote.cast_by) == ("", session.member("DE-BB"))


def test_the_written_procedure_has_no_presence_rule(session):
    """Rule 8: the Umlaufverfahren has no session and no presence; an absent Land answers."""
    _mark_absent(session, *[s.code for s in session.states])

    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Umlauf", user=session.secretariat
    )

    vote = written_vote_cast(
        procedure=procedure,
        user=session.member("DE-SL"),
        state=session.state("DE-SL"),
        choice="yes",
    )

    assert vote.cast_by == session.member("DE-SL")


# --- the roll call (Anwesenheit feststellen) --------------------------------------------------


def test_the_roll_call_sets_exactly_the_ticked_laender_and_audits(session):
    """Item 1: exactly the given Länder are present afterwards, all others absent; a Land
    without registration gets a row (role empty); the audit lists both groups."""
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-BY")).delete()
    ticked = {"DE-BY", "DE-BE", "DE-HH"}

    attendance_set_present(
        actor=session.secretariat,
        meeting=session.meeting,
        state_ids=[s.pk for s in session.states if s.code in ticked],
    )

    present = set(
        Attendance.objects.filter(meeting=session.meeting, present=True).values_list(
            "state__code", flat=True
        )
    )
    log = ActivityLog.objects.get(action="meetings.attendance.present")
    assert present == ticked
    assert Attendance.objects.filter(meeting=session.meeting).count() == 16
    assert (_attendance(session, "DE-BY").role, _attendance(session, "DE-BE").role) == (
        "",
        "member",
    )
    assert log.data["present"] == ["DE-BY", "DE-BE", "DE-HH"]  # by Land name
    assert len(log.data["absent"]) == 13 and "DE-NW" in log.data["absent"]


def test_only_the_geschaeftsstelle_takes_the_roll_call(session):
    with pytest.raises(PermissionDenied):
        attendance_set_present(actor=session.member("DE-BY"), meeting=session.meeting, state_ids=[])

    assert Attendance.objects.filter(meeting=session.meeting, present=True).count() == 16


def test_the_cockpit_roll_call_form_and_toggle(client, session):
    """Item 1 through the cockpit: one POST with the ticked boxes, then a per-Land toggle."""
    login_with_second_factor(client, session.secretariat)
    url = f"/intern/sitzungsleitung/{session.meeting.slug}/anwesenheit/"
    page = client.get(f"/intern/sitzungsleitung/{session.meeting.slug}/")
    ticked = [session.state("DE-BW").pk, session.state("DE-SN").pk]

    saved = client.post(url, {"present": ticked}, follow=True)
    toggled = client.post(url, {"toggle": session.state("DE-HB").pk}, follow=True)

    assert "Anwesenheit feststellen" in page.text
    assert 'name="present"' in page.text
    assert "Die Anwesenheit ist festgestellt: 2 von 16 Ländern anwesend." in saved.text
    assert "Die Anwesenheit ist festgestellt: 3 von 16 Ländern anwesend." in toggled.text
    assert set(
        Attendance.objects.filter(meeting=session.meeting, present=True).values_list(
            "state__code", flat=True
        )
    ) == {"DE-BW", "DE-SN", "DE-HB"}


@pytest.mark.parametrize("role", ["member_by", "guest"])
def test_the_roll_call_is_forbidden_for_everybody_but_the_geschaeftsstelle(client, session, role):
    user = (
        session.member("DE-BY")
        if role == "member_by"
        else user_with_role(MembershipRole.GUEST, email="gast@bund.example")
    )
    login_with_second_factor(client, user)

    response = client.post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/anwesenheit/", {"present": []}
    )

    assert response.status_code == 403
    assert Attendance.objects.filter(meeting=session.meeting, present=True).count() == 16


def test_garbage_in_the_roll_call_is_a_german_message_not_a_500(client, session):
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/anwesenheit/",
        {"present": ["abc", "999999"]},
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie nur Länder aus der Liste." in response.text
    assert Attendance.objects.filter(meeting=session.meeting, present=True).count() == 16


# --- item 3: ballots only while the meeting runs -----------------------------------------------


def test_a_ballot_for_a_meeting_in_the_future_is_refused(session):
    future = make_meeting(slug="zukunft", day=timezone.localdate() + datetime.timedelta(days=1))
    item = make_item(future, 1)

    with pytest.raises(VotingError) as refused:
        ballot_open(agenda_item=item, user=session.secretariat)

    assert refused.value.message == (
        "Die Sitzung hat noch nicht begonnen; Abstimmungen sind erst ab dem Sitzungstag möglich."
    )
    assert Ballot.objects.count() == 0


def test_a_ballot_on_the_meeting_day_is_allowed(session):
    today = make_meeting(slug="heute", day=timezone.localdate())

    ballot = ballot_open(agenda_item=make_item(today, 1), user=session.secretariat)

    assert ballot.is_open


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (MeetingState.CANCELLED, "Die Sitzung ist abgesagt; Abstimmungen sind nicht möglich."),
        (
            MeetingState.MINUTES_RELEASED,
            "Das Protokoll der Sitzung ist freigegeben; Abstimmungen sind nicht mehr möglich.",
        ),
    ],
)
def test_a_ballot_for_a_cancelled_or_minuted_meeting_is_refused(session, state, message):
    session.meeting.state = state
    session.meeting.save(update_fields=["state"])

    with pytest.raises(VotingError) as refused:
        ballot_open(agenda_item=session.items[0], user=session.secretariat)

    assert refused.value.message == message
    assert Ballot.objects.count() == 0
