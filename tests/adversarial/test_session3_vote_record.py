"""Issue 11 Build 2, Build 6 and defect 9: the vote record is exactly right.

- A Land's cast vote is never replaced silently: a second person of the same Land (or the
  Geschäftsstelle recording on its behalf) is refused with a message naming who voted; only
  an explicit, audited correction of the Geschäftsstelle with a reason replaces it, and the
  per-Land table shows it (DOMAIN rules 1 and 6).
- A transferred vote is obvious: the receiving Land's representative sees and casts
  "Stimme für Saarland (übertragen)" next to its own (DOMAIN rule 4).
- An unknown Land id is answered about the Land; a member refused on a written procedure is
  told the written procedure's reason, not the session's.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dmk.bodies.models import Body, MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings.models import Attendance, AttendanceRole
from dmk.voting.models import Vote, WrittenProcedure
from dmk.voting.services import (
    VotingError,
    ballot_close,
    ballot_open,
    vote_cast,
    vote_correct,
    vote_transfer_create,
    written_procedure_start,
)
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


def _client(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def _deputy_registered(session, code: str):
    """Land ``code``'s permanent deputy, registered (after the member voted) as the Land's
    representative at the meeting."""
    state = session.state(code)
    deputy = user_with_role(
        MembershipRole.PERMANENT_DEPUTY, state, email=f"vertretung-{code.lower()}@land.example"
    )
    Attendance.objects.filter(meeting=session.meeting, state=state).update(
        role=AttendanceRole.PERMANENT_DEPUTY
    )
    return deputy


def test_a_second_person_of_the_land_is_refused_with_the_name_of_who_voted(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    member = session.member("DE-BY")
    vote_cast(ballot=ballot, user=member, state=session.state("DE-BY"), choice="yes")
    deputy = _deputy_registered(session, "DE-BY")

    with pytest.raises(VotingError) as refused:
        vote_cast(ballot=ballot, user=deputy, state=session.state("DE-BY"), choice="no")
    response = _client(deputy).post(
        reverse("portal:voting_ballot", args=[ballot.pk]),
        {"state": session.state("DE-BY").pk, "choice": "no"},
    )

    message = refused.value.message
    assert message.startswith("Für Bayern ist bereits eine Stimme abgegeben: „Ja“, von ")
    assert member.get_full_name() in message
    assert "berichtigt die Geschäftsstelle" in message
    assert response.status_code == 400
    assert "Für Bayern ist bereits eine Stimme abgegeben" in response.content.decode()
    vote = Vote.objects.get(ballot=ballot, state=session.state("DE-BY"))
    assert (vote.choice, vote.cast_by, vote.corrected_by) == ("yes", member, None)
    assert not ActivityLog.objects.filter(action="voting.vote.changed").exists()


def test_the_person_who_voted_may_still_change_their_own_vote_before_closing(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    member = session.member("DE-BY")
    vote_cast(ballot=ballot, user=member, state=session.state("DE-BY"), choice="yes")

    vote = vote_cast(ballot=ballot, user=member, state=session.state("DE-BY"), choice="no")

    assert vote.choice == "no"
    entry = ActivityLog.objects.get(action="voting.vote.changed")
    assert entry.data["previous_choice"] == "yes"


def test_the_geschaeftsstelle_replaces_a_cast_vote_only_by_a_correction_with_reason(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    member = session.member("DE-HB")
    vote_cast(ballot=ballot, user=member, state=session.state("DE-HB"), choice="yes")
    client = _client(session.secretariat)
    url = reverse("portal:voting_cockpit_record", args=[session.meeting.slug, ballot.pk])

    silent = client.post(url, {"state": session.state("DE-HB").pk, "choice": "no"})
    with pytest.raises(VotingError):
        vote_correct(
            ballot=ballot,
            user=session.secretariat,
            state=session.state("DE-HB"),
            choice="no",
            reason="   ",
        )
    corrected = client.post(
        url,
        {
            "state": session.state("DE-HB").pk,
            "choice": "no",
            "reason": "Bremen hat sich in der Sitzung mündlich mit Nein erklärt.",
        },
    )

    assert silent.status_code == 400
    assert "Für Bremen ist bereits eine Stimme abgegeben" in silent.content.decode()
    assert corrected.status_code == 302
    vote = Vote.objects.get(ballot=ballot, state=session.state("DE-HB"))
    assert (vote.choice, vote.previous_choice, vote.cast_by) == ("no", "yes", member)
    assert vote.corrected_by == session.secretariat
    entry = ActivityLog.objects.get(action="voting.vote.corrected")
    assert entry.data["previous_choice"] == "yes"
    assert entry.data["choice"] == "no"
    assert entry.data["reason"] == "Bremen hat sich in der Sitzung mündlich mit Nein erklärt."
    # the member cannot overwrite the correction afterwards
    with pytest.raises(VotingError):
        vote_cast(ballot=ballot, user=member, state=session.state("DE-HB"), choice="yes")
    ballot_close(ballot=ballot, user=session.secretariat)
    table = client.get(reverse("portal:voting_status", args=[ballot.pk])).content.decode()
    assert "berichtigt von „Ja“ durch" in table
    assert "Grund: Bremen hat sich in der Sitzung mündlich mit Nein erklärt." in table


def test_only_the_ballots_own_geschaeftsstelle_corrects_and_only_while_open(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    vote_cast(
        ballot=ballot, user=session.member("DE-HB"), state=session.state("DE-HB"), choice="yes"
    )
    other = Body.objects.create(short_name="GMK", name="Gesundheitsministerkonferenz")
    from dmk.bodies.models import Membership, Organization

    other_office = user_with_role(MembershipRole.MEMBER, None, email="gs@gmk.example")
    Membership.objects.filter(person__user=other_office).update(
        role=MembershipRole.SECRETARIAT,
        organization=Organization.objects.create(body=other, name="GMK", kind="plenary"),
    )

    with pytest.raises(VotingError):
        vote_correct(
            ballot=ballot,
            user=other_office,
            state=session.state("DE-HB"),
            choice="no",
            reason="Übergriff",
        )
    ballot_close(ballot=ballot, user=session.secretariat)
    with pytest.raises(VotingError) as closed:
        vote_correct(
            ballot=ballot,
            user=session.secretariat,
            state=session.state("DE-HB"),
            choice="no",
            reason="zu spät",
        )

    assert "geschlossen" in closed.value.message
    assert Vote.objects.get(ballot=ballot, state=session.state("DE-HB")).choice == "yes"


def test_the_receiving_land_sees_and_casts_the_transferred_vote_next_to_its_own(session):
    """DOMAIN rule 4 and issue 11 Build 6: Saarland transferred its vote to Berlin."""
    saarland, berlin = session.state("DE-SL"), session.state("DE-BE")
    vote_transfer_create(
        meeting=session.meeting,
        from_state=saarland,
        to_state=berlin,
        from_agenda_item=session.items[0],
        user=session.secretariat,
    )
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    client = _client(session.member("DE-BE"))

    page = client.get(reverse("portal:voting_ballot", args=[ballot.pk])).content.decode()
    cast = client.post(
        reverse("portal:voting_ballot", args=[ballot.pk]), {"state": saarland.pk, "choice": "no"}
    )
    cockpit = _client(session.secretariat).get(
        reverse("portal:voting_cockpit", args=[session.meeting.slug])
    )

    assert "Stimme für Saarland (übertragen)" in page
    assert "Stimme für Saarland (übertragen) abgeben" in page
    assert "Stimme für Berlin abgeben" in page
    assert "Saarland hat seine Stimme ab TOP 1 an Berlin übertragen." in page
    assert cast.status_code == 302
    vote = Vote.objects.get(ballot=ballot, state=saarland)
    assert (vote.choice, vote.cast_by, vote.via_transfer.to_state) == (
        "no",
        session.member("DE-BE"),
        berlin,
    )
    assert "Saarland: hat abgestimmt (Stimme übertragen an Berlin)" in cockpit.content.decode()


def test_an_unknown_land_id_is_answered_about_the_land(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Umlauf", user=session.secretariat
    )
    client = _client(session.member("DE-BY"))

    on_ballot = client.post(
        reverse("portal:voting_ballot", args=[ballot.pk]), {"state": "999999", "choice": "yes"}
    )
    on_written = client.post(
        reverse("portal:written_detail", args=[procedure.pk]),
        {"state": "999999", "choice": "yes"},
    )

    for response in (on_ballot, on_written):
        text = response.content.decode()
        assert response.status_code == 400
        assert "Dieses Land ist nicht bekannt. Bitte wählen Sie ein Land aus der Liste." in text
        assert "Bitte wählen Sie Ja, Nein oder Enthaltung." not in text


def test_a_member_closing_a_written_procedure_is_told_the_written_procedures_reason(session):
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Umlauf", user=session.secretariat
    )

    response = _client(session.member("DE-BY")).post(
        reverse("portal:written_detail", args=[procedure.pk]), {"action": "close"}
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "Nur die Geschäftsstelle kann ein Umlaufverfahren vorzeitig abschließen." in text
    assert "Sitzung leiten" not in text
    assert WrittenProcedure.objects.get(pk=procedure.pk).state == "open"


def test_a_written_answer_is_replaced_only_by_its_author_or_a_correction(session):
    """Issue 11 Build 2 for the Umlaufverfahren (DOMAIN rule 8)."""
    from dmk.voting.models import WrittenVote
    from dmk.voting.services import written_vote_cast, written_vote_correct

    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Umlauf", user=session.secretariat
    )
    bayern = session.state("DE-BY")
    member = session.member("DE-BY")
    written_vote_cast(procedure=procedure, user=member, state=bayern, choice="yes")
    deputy = user_with_role(MembershipRole.PERMANENT_DEPUTY, bayern, email="v-by@land.example")

    with pytest.raises(VotingError) as refused:
        written_vote_cast(procedure=procedure, user=deputy, state=bayern, choice="no")
    with pytest.raises(VotingError):
        written_vote_cast(
            procedure=procedure, user=session.secretariat, state=bayern, choice="no", on_behalf=True
        )
    written_vote_cast(procedure=procedure, user=member, state=bayern, choice="abstain")
    written_vote_correct(
        procedure=procedure,
        user=session.secretariat,
        state=bayern,
        choice="no",
        reason="Schriftliche Berichtigung des Landes vom selben Tag.",
    )

    assert refused.value.message.startswith(
        "Für Bayern ist bereits eine Antwort abgegeben: „Ja“, von "
    )
    vote = WrittenVote.objects.get(procedure=procedure, state=bayern)
    assert (vote.choice, vote.previous_choice, vote.cast_by) == ("no", "abstain", member)
    assert ActivityLog.objects.filter(action="voting.written_vote.corrected").count() == 1


def test_a_ballot_correction_that_changes_nothing_is_refused_and_audited_once(session):
    """Issue 11 Build 2, DOMAIN rule 6: like the written procedure's, a ballot correction
    must change the vote or its Kabinettsvorbehalt; a double submit is refused."""
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    vote_cast(
        ballot=ballot, user=session.member("DE-HB"), state=session.state("DE-HB"), choice="yes"
    )

    def correct(**kwargs):
        return vote_correct(
            ballot=ballot,
            user=session.secretariat,
            state=session.state("DE-HB"),
            **({"choice": "no", "reason": "mündlich berichtigt"} | kwargs),
        )

    with pytest.raises(VotingError) as same:
        correct(choice="yes")
    correct()
    with pytest.raises(VotingError) as again:
        correct()

    assert (same.value.field, same.value.message) == (
        "choice",
        "Die Berichtigung ändert nichts: Die Stimme von Bremen ist bereits „Ja“ ohne "
        "Kabinettsvorbehalt. Wählen Sie eine andere Stimme oder ändern Sie den "
        "Kabinettsvorbehalt.",
    )
    assert again.value.message.startswith(
        "Die Berichtigung ändert nichts: Die Stimme von Bremen ist bereits „Nein“ ohne"
    )
    assert ActivityLog.objects.filter(action="voting.vote.corrected").count() == 1
    assert Vote.objects.get(ballot=ballot, state=session.state("DE-HB")).choice == "no"


def test_who_may_correct_a_ballot_vote_is_checked_before_the_input(session):
    """A member's refusal says nothing about the ballot's votes: the permission comes first,
    before the choice, the reason or whether the Land has voted."""
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as refused:
        vote_correct(
            ballot=ballot,
            user=session.member("DE-BY"),
            state=session.state("DE-HE"),
            choice="vielleicht",
            reason="",
        )

    assert refused.value.message == "Nur die Geschäftsstelle darf die Sitzung leiten."
    assert refused.value.field is None
