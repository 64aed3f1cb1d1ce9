"""Tests of the voting services with the 16 real Länder (DOMAIN rules 1–6; seed §2.2, §3.1)."""

from __future__ import annotations

import pytest

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings.models import Attendance
from dmk.voting.models import Ballot, BallotState, Vote, VoteTransfer
from dmk.voting.rules import MajorityRule
from dmk.voting.selectors import states_user_may_vote_for
from dmk.voting.services import (
    VotingError,
    ballot_close,
    ballot_open,
    protocol_declaration_add,
    vote_cast,
    vote_transfer_create,
    vote_transfer_revoke,
)
from tests.factories import user_with_role
from tests.voting.scenario import make_item, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


def _cast_all(session, ballot, choices: dict[str, str]) -> None:
    for code, choice in choices.items():
        vote_cast(
            ballot=ballot, user=session.member(code), state=session.state(code), choice=choice
        )


def _choices(session, yes: int, no: int = 0, abstain: int = 0) -> dict[str, str]:
    codes = [s.code for s in session.states]
    result = {}
    for code in codes[:yes]:
        result[code] = "yes"
    for code in codes[yes : yes + no]:
        result[code] = "no"
    for code in codes[yes + no : yes + no + abstain]:
        result[code] = "abstain"
    return result


# --- DOMAIN rule 2: two thirds of all 16 Länder -------------------------------------------------


def test_ten_yes_of_sixteen_laender_are_rejected_under_domain_rule_2(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    _cast_all(session, ballot, _choices(session, yes=10, no=0, abstain=6))

    outcome = ballot_close(ballot=ballot, user=session.secretariat)

    ballot.refresh_from_db()
    assert (outcome.yes, outcome.abstain, outcome.absent, outcome.threshold) == (10, 6, 0, 11)
    assert outcome.adopted is False
    assert (ballot.state, ballot.yes, ballot.threshold, ballot.adopted) == ("closed", 10, 11, False)
    assert ballot.members == 16


def test_eleven_yes_of_sixteen_laender_are_adopted_and_absent_laender_are_not_yes(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    _cast_all(session, ballot, _choices(session, yes=11))

    outcome = ballot_close(ballot=ballot, user=session.secretariat)

    ballot.refresh_from_db()
    assert (ballot.yes, ballot.no, ballot.abstain, ballot.absent) == (11, 0, 0, 5)
    assert (ballot.adopted, ballot.unanimous) == (True, True)
    assert outcome.reason_de == (
        "11 von 16 Ländern haben zugestimmt; erforderlich sind 11. Einstimmig angenommen."
    )


def test_one_no_vote_makes_an_adopted_result_not_unanimous_under_domain_rule_3(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    _cast_all(session, ballot, _choices(session, yes=15, no=1))

    ballot_close(ballot=ballot, user=session.secretariat)

    ballot.refresh_from_db()
    assert (ballot.adopted, ballot.unanimous) == (True, False)


# --- DOMAIN rules 3 and 5: institutional items, parliamentary procedure ----------------------


def test_an_institutional_item_is_voted_by_unanimity_under_domain_rule_3(session):
    item = make_item(session.meeting, 10, institutional=True)

    ballot = ballot_open(
        agenda_item=item, user=session.secretariat, rule=MajorityRule.TWO_THIRDS_OF_MEMBERS
    )

    assert ballot.rule == "unanimity"


def test_an_institutional_item_with_one_no_is_rejected_under_domain_rule_3(session):
    item = make_item(session.meeting, 10, institutional=True)
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    _cast_all(session, ballot, _choices(session, yes=15, no=1))

    outcome = ballot_close(ballot=ballot, user=session.secretariat)

    assert (outcome.adopted, outcome.unanimous) == (False, False)


def test_a_ballot_on_an_item_in_parliamentary_procedure_is_refused_under_domain_rule_5(session):
    item = make_item(session.meeting, 10, in_parliamentary_procedure=True)

    with pytest.raises(VotingError) as excinfo:
        ballot_open(agenda_item=item, user=session.secretariat)

    assert "parlamentarischen Verfahren" in excinfo.value.message
    assert Ballot.objects.count() == 0


def test_only_the_geschaeftsstelle_opens_a_ballot(session):
    with pytest.raises(VotingError) as excinfo:
        ballot_open(agenda_item=session.items[0], user=session.member("DE-BY"))

    assert excinfo.value.message == "Nur die Geschäftsstelle darf die Sitzung leiten."


def test_a_second_open_ballot_on_the_same_item_is_refused(session):
    ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        ballot_open(agenda_item=session.items[0], user=session.secretariat)

    assert excinfo.value.message == "Zu diesem TOP läuft bereits eine Abstimmung."


# --- DOMAIN rule 1: who casts a Land's vote ------------------------------------------------------


def test_a_guests_vote_is_refused_under_domain_rule_1(session):
    guest = user_with_role(MembershipRole.GUEST)
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        vote_cast(ballot=ballot, user=guest, state=session.state("DE-BY"), choice="yes")

    assert "Gäste stimmen nicht ab" in excinfo.value.message
    assert Vote.objects.count() == 0


def test_the_geschaeftsstelle_voting_for_itself_is_refused_under_domain_rule_1(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        vote_cast(
            ballot=ballot, user=session.secretariat, state=session.state("DE-BY"), choice="yes"
        )

    assert "Die Geschäftsstelle hat kein Stimmrecht" in excinfo.value.message
    assert Vote.objects.count() == 0


def test_the_geschaeftsstelle_records_a_vote_on_behalf_of_a_land_and_it_is_audited(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    vote = vote_cast(
        ballot=ballot,
        user=session.secretariat,
        state=session.state("DE-BY"),
        choice="no",
        on_behalf=True,
    )

    assert (vote.state.code, vote.choice, vote.recorded_by, vote.cast_by) == (
        "DE-BY",
        "no",
        session.secretariat,
        None,
    )
    entry = ActivityLog.objects.get(action="voting.vote.cast")
    assert entry.actor == session.secretariat
    assert entry.data == {
        "ballot": ballot.pk,
        "state": "DE-BY",
        "choice": "no",
        "cabinet_reservation": False,
        "erfasst_durch": "gs@dmk.example",
    }


def test_a_member_cannot_record_a_vote_on_behalf_of_a_land(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError):
        vote_cast(
            ballot=ballot,
            user=session.member("DE-BE"),
            state=session.state("DE-BY"),
            choice="yes",
            on_behalf=True,
        )


def test_a_member_cannot_cast_another_lands_vote_under_domain_rule_1(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        vote_cast(
            ballot=ballot, user=session.member("DE-BE"), state=session.state("DE-BY"), choice="yes"
        )

    assert excinfo.value.message == ("Sie können nur die Stimme Ihres eigenen Landes abgeben.")


def test_land_staff_have_no_vote_under_domain_rule_1(session):
    staff = user_with_role(MembershipRole.STATE_STAFF, session.state("DE-BY"))
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError):
        vote_cast(ballot=ballot, user=staff, state=session.state("DE-BY"), choice="yes")


def test_a_permanent_deputy_casts_the_lands_vote_under_domain_rule_1(session):
    """Rule 1: the permanent deputy votes when registered as the Land's representative."""
    deputy = user_with_role(MembershipRole.PERMANENT_DEPUTY, session.state("DE-HH"))
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-HH")).update(
        role="permanent_deputy"
    )
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    vote = vote_cast(ballot=ballot, user=deputy, state=session.state("DE-HH"), choice="abstain")

    assert (vote.state.code, vote.cast_by) == ("DE-HH", deputy)


def test_a_change_before_closing_updates_the_one_row_and_is_audited(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    by = session.state("DE-BY")
    vote_cast(ballot=ballot, user=session.member("DE-BY"), state=by, choice="no")

    vote_cast(
        ballot=ballot,
        user=session.member("DE-BY"),
        state=by,
        choice="yes",
        cabinet_reservation=True,
    )

    vote = Vote.objects.get(ballot=ballot, state=by)
    assert (vote.choice, vote.cabinet_reservation) == ("yes", True)
    assert Vote.objects.filter(ballot=ballot).count() == 1
    entry = ActivityLog.objects.get(action="voting.vote.changed")
    assert entry.data["previous_choice"] == "no"
    assert entry.data["choice"] == "yes"


def test_a_vote_after_closing_is_refused(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    ballot_close(ballot=ballot, user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        vote_cast(
            ballot=ballot, user=session.member("DE-BY"), state=session.state("DE-BY"), choice="yes"
        )

    assert excinfo.value.message.startswith("Die Abstimmung ist geschlossen")


def test_a_ballot_cannot_be_closed_twice(session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    ballot_close(ballot=ballot, user=session.secretariat)

    with pytest.raises(VotingError):
        ballot_close(ballot=ballot, user=session.secretariat)

    assert Ballot.objects.get(pk=ballot.pk).state == BallotState.CLOSED


# --- DOMAIN rule 4: vote transfer ----------------------------------------------------------------


def _transfer(session, a: str, b: str, item_index: int = 0) -> VoteTransfer:
    return vote_transfer_create(
        meeting=session.meeting,
        from_state=session.state(a),
        to_state=session.state(b),
        from_agenda_item=session.items[item_index],
        user=session.secretariat,
    )


def test_the_receiving_land_casts_the_transferred_vote_separately_under_domain_rule_4(session):
    transfer = _transfer(session, "DE-SL", "DE-RP")
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    rp = session.member("DE-RP")

    own = vote_cast(ballot=ballot, user=rp, state=session.state("DE-RP"), choice="yes")
    carried = vote_cast(ballot=ballot, user=rp, state=session.state("DE-SL"), choice="no")

    assert (own.choice, own.via_transfer) == ("yes", None)
    assert (carried.state.code, carried.choice, carried.via_transfer) == ("DE-SL", "no", transfer)
    assert carried.cast_by == rp
    assert [(s.code, t) for s, t in states_user_may_vote_for(ballot=ballot, user=rp)] == [
        ("DE-RP", None),
        ("DE-SL", transfer),
    ]


def test_a_land_with_an_active_transfer_cannot_vote_itself_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP")
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    with pytest.raises(VotingError) as excinfo:
        vote_cast(
            ballot=ballot, user=session.member("DE-SL"), state=session.state("DE-SL"), choice="yes"
        )

    assert excinfo.value.message == (
        "Saarland hat sein Stimmrecht an Rheinland-Pfalz übertragen und kann nicht selbst "
        "abstimmen, solange die Übertragung gilt."
    )
    assert states_user_may_vote_for(ballot=ballot, user=session.member("DE-SL")) == []


def test_a_transfer_applies_only_from_its_agenda_item_onwards_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP", item_index=1)
    earlier = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    vote = vote_cast(
        ballot=earlier, user=session.member("DE-SL"), state=session.state("DE-SL"), choice="yes"
    )

    assert vote.via_transfer is None


def test_after_revoking_a_transfer_the_land_votes_itself_again_under_domain_rule_4(session):
    transfer = _transfer(session, "DE-SL", "DE-RP")
    vote_transfer_revoke(transfer=transfer, user=session.member("DE-SL"))
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)

    vote = vote_cast(
        ballot=ballot, user=session.member("DE-SL"), state=session.state("DE-SL"), choice="yes"
    )

    assert vote.cast_by == session.member("DE-SL")
    assert transfer.revoked_at is not None
    with pytest.raises(VotingError):
        vote_cast(
            ballot=ballot, user=session.member("DE-RP"), state=session.state("DE-SL"), choice="no"
        )


def test_a_transfer_to_itself_is_refused_under_domain_rule_4(session):
    with pytest.raises(VotingError) as excinfo:
        _transfer(session, "DE-SL", "DE-SL")

    assert excinfo.value.message == ("Ein Land kann seine Stimme nicht auf sich selbst übertragen.")
    assert VoteTransfer.objects.count() == 0


def test_passing_on_a_received_vote_is_refused_as_a_chain_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP")

    with pytest.raises(VotingError) as excinfo:
        _transfer(session, "DE-RP", "DE-HE")

    assert "Ketten von Übertragungen sind nicht zulässig" in excinfo.value.message
    assert VoteTransfer.objects.count() == 1


def test_a_land_that_transferred_cannot_receive_a_vote_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP")

    with pytest.raises(VotingError) as excinfo:
        _transfer(session, "DE-HE", "DE-SL")

    assert excinfo.value.message == (
        "Saarland hat seine eigene Stimme übertragen und kann keine Stimme empfangen."
    )


def test_a_land_transfers_only_once_at_a_time_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP")

    with pytest.raises(VotingError) as excinfo:
        _transfer(session, "DE-SL", "DE-HE")

    assert excinfo.value.message == "Saarland hat seine Stimme bereits übertragen."


def test_a_transfer_to_an_absent_land_is_refused_under_domain_rule_4(session):
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-RP")).update(
        present=False
    )

    with pytest.raises(VotingError) as excinfo:
        _transfer(session, "DE-SL", "DE-RP")

    assert excinfo.value.message == (
        "Rheinland-Pfalz ist nicht anwesend; eine Stimme kann nur auf ein anwesendes Land "
        "übertragen werden."
    )


def test_a_member_of_another_land_cannot_transfer_a_lands_vote(session):
    with pytest.raises(VotingError):
        vote_transfer_create(
            meeting=session.meeting,
            from_state=session.state("DE-SL"),
            to_state=session.state("DE-RP"),
            from_agenda_item=session.items[0],
            user=session.member("DE-HE"),
        )


def test_the_transferred_vote_counts_for_the_transferring_land_under_domain_rule_4(session):
    _transfer(session, "DE-SL", "DE-RP")
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    choices = _choices(session, yes=10)
    choices.pop("DE-SL", None)
    _cast_all(session, ballot, choices)
    vote_cast(
        ballot=ballot, user=session.member("DE-RP"), state=session.state("DE-SL"), choice="yes"
    )

    outcome = ballot_close(ballot=ballot, user=session.secretariat)

    assert (outcome.yes, outcome.absent, outcome.adopted) == (11, 5, True)
    assert Vote.objects.get(ballot=ballot, state=session.state("DE-SL")).cast_by == (
        session.member("DE-RP")
    )


# --- DOMAIN rule 6: declarations -----------------------------------------------------------------


def test_a_land_adds_a_protocol_declaration_under_domain_rule_6(session):
    declaration = protocol_declaration_add(
        agenda_item=session.items[0],
        state=session.state("DE-BY"),
        text="  Bayern trägt den Beschluss unter Haushaltsvorbehalt mit.  ",
        user=session.member("DE-BY"),
    )

    assert declaration.text == "Bayern trägt den Beschluss unter Haushaltsvorbehalt mit."
    with pytest.raises(VotingError):
        protocol_declaration_add(
            agenda_item=session.items[0],
            state=session.state("DE-BY"),
            text="Fremde Erklärung",
            user=session.member("DE-BE"),
        )
