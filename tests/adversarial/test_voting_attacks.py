"""Attacks on the voting pages (DOMAIN rules 1 and 4): voting for another Land, a guest, Land
staff or the Geschäftsstelle voting, transfers to oneself and chains, through the views."""

from __future__ import annotations

import pytest
from django.test import Client

from dmk.bodies.models import Body, MembershipRole
from dmk.meetings.models import Attendance
from dmk.voting.models import Vote, VoteTransfer, WrittenProcedure
from dmk.voting.services import ballot_open, vote_transfer_create, written_procedure_start
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


@pytest.fixture
def ballot(session):
    return ballot_open(agenda_item=session.items[0], user=session.secretariat)


def _client(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def test_a_land_b_member_cannot_cast_land_as_vote_rule_1(session, ballot):
    response = _client(session.member("DE-BE")).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "no"}
    )

    assert response.status_code == 400
    assert "Sie können nur die Stimme Ihres eigenen Landes abgeben" in response.text
    assert Vote.objects.count() == 0


def test_the_member_cannot_cast_the_vote_while_the_deputy_is_registered_rule_1(session, ballot):
    """The newcomer's NRW case through the voting page: NRW registered its permanent deputy,
    so NRW's member posting NRW's vote is refused with a German message (issue 6)."""
    nrw = session.state("DE-NW")
    Attendance.objects.filter(meeting=session.meeting, state=nrw).update(role="permanent_deputy")

    response = _client(session.member("DE-NW")).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": nrw.pk, "choice": "yes"}
    )

    assert response.status_code == 400
    assert (
        "Für Nordrhein-Westfalen ist in dieser Sitzung diese Vertretung gemeldet: ständige "
        "Stellvertretung." in response.text
    )
    assert Vote.objects.count() == 0


def test_the_geschaeftsstelle_cannot_record_the_vote_of_an_absent_land_rule_1(session, ballot):
    """Issue 6 newcomer report: votes recorded for Länder that were not present."""
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-SL")).update(
        present=False
    )

    response = _client(session.secretariat).post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/abstimmung/{ballot.pk}/erfassen/",
        {"state": session.state("DE-SL").pk, "choice": "yes"},
    )

    assert response.status_code == 400
    assert "Saarland ist nicht als anwesend festgestellt" in response.text
    assert Vote.objects.count() == 0


def test_land_staff_of_land_a_cannot_cast_land_as_vote_rule_1(session, ballot):
    staff = user_with_role(MembershipRole.STATE_STAFF, session.state("DE-BY"))

    response = _client(staff).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert response.status_code == 400
    assert "Sie haben kein Stimmrecht." in response.text
    assert Vote.objects.count() == 0


def test_a_guest_cannot_vote_for_any_land_rule_1(session, ballot):
    guest = user_with_role(MembershipRole.GUEST)

    response = _client(guest).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert response.status_code in (400, 403)
    assert Vote.objects.count() == 0


def test_the_geschaeftsstelle_cannot_vote_for_itself_on_the_voting_page_rule_1(session, ballot):
    response = _client(session.secretariat).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert response.status_code == 400
    assert "Die Geschäftsstelle hat kein Stimmrecht." in response.text
    assert Vote.objects.count() == 0


def test_a_member_cannot_record_votes_through_the_cockpit_rule_1(session, ballot):
    slug = session.meeting.slug

    response = _client(session.member("DE-BY")).post(
        f"/intern/sitzungsleitung/{slug}/abstimmung/{ballot.pk}/erfassen/",
        {"state": session.state("DE-BE").pk, "choice": "yes"},
    )

    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_the_same_vote_posted_twice_leaves_one_vote_row(session, ballot):
    client = _client(session.member("DE-BY"))
    data = {"state": session.state("DE-BY").pk, "choice": "yes"}

    first = client.post(f"/intern/abstimmung/{ballot.pk}/", data)
    second = client.post(f"/intern/abstimmung/{ballot.pk}/", data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(Vote.objects.values_list("state__code", "choice")) == [("DE-BY", "yes")]


def test_a_land_that_transferred_its_vote_cannot_vote_itself_rule_4(session, ballot):
    vote_transfer_create(
        meeting=session.meeting,
        from_state=session.state("DE-BY"),
        to_state=session.state("DE-BE"),
        from_agenda_item=session.items[0],
        user=session.secretariat,
    )

    response = _client(session.member("DE-BY")).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "no"}
    )

    assert response.status_code == 400
    assert "kann nicht selbst abstimmen" in response.text
    assert Vote.objects.count() == 0


def test_a_land_holding_a_transferred_vote_cannot_cast_a_third_lands_vote_rule_4(session, ballot):
    vote_transfer_create(
        meeting=session.meeting,
        from_state=session.state("DE-BY"),
        to_state=session.state("DE-BE"),
        from_agenda_item=session.items[0],
        user=session.secretariat,
    )

    response = _client(session.member("DE-BE")).post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-HH").pk, "choice": "no"}
    )

    assert response.status_code == 400
    assert Vote.objects.count() == 0


def _transfer(session, user, from_code, to_code):
    return _client(user).post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/uebertragung/",
        {
            "from_state": session.state(from_code).pk,
            "to_state": session.state(to_code).pk,
            "from_agenda_item": session.items[0].pk,
        },
    )


def test_a_member_cannot_create_a_transfer_through_the_cockpit_rule_4(session):
    response = _transfer(session, session.member("DE-BE"), "DE-BY", "DE-BE")

    assert response.status_code == 403
    assert VoteTransfer.objects.count() == 0


def test_a_transfer_to_the_same_land_through_the_cockpit_is_refused_rule_4(session):
    response = _transfer(session, session.secretariat, "DE-BY", "DE-BY")

    assert response.status_code == 400
    assert "Ein Land kann seine Stimme nicht auf sich selbst übertragen." in response.text
    assert VoteTransfer.objects.count() == 0


def test_a_transfer_chain_through_the_cockpit_is_refused_rule_4(session):
    assert _transfer(session, session.secretariat, "DE-BY", "DE-BE").status_code == 302

    response = _transfer(session, session.secretariat, "DE-BE", "DE-HH")

    assert response.status_code == 400
    assert "Ketten von Übertragungen sind nicht zulässig" in response.text
    assert VoteTransfer.objects.count() == 1


def test_a_transfer_back_to_the_transferring_land_is_refused_rule_4(session):
    assert _transfer(session, session.secretariat, "DE-BY", "DE-BE").status_code == 302

    response = _transfer(session, session.secretariat, "DE-BE", "DE-BY")

    assert response.status_code == 400
    assert VoteTransfer.objects.count() == 1


def test_a_transfer_with_an_agenda_item_of_another_meeting_is_refused(session):
    from tests.voting.scenario import make_item, make_meeting

    other_item = make_item(make_meeting(slug="andere-sitzung"), 1)

    response = _client(session.secretariat).post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/uebertragung/",
        {
            "from_state": session.state("DE-BY").pk,
            "to_state": session.state("DE-BE").pk,
            "from_agenda_item": other_item.pk,
        },
    )

    assert response.status_code == 400
    assert VoteTransfer.objects.count() == 0


def test_a_land_b_member_cannot_add_a_protocol_declaration_for_land_a_rule_6(session, ballot):
    response = _client(session.member("DE-BE")).post(
        f"/intern/abstimmung/{ballot.pk}/erklaerung/",
        {"state": session.state("DE-BY").pk, "text": "Bayern erklärt …"},
    )

    assert response.status_code == 400
    assert "Sie können nur für Ihr eigenes Land eine Protokollerklärung abgeben." in response.text


@pytest.fixture
def procedure(session):
    return written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Umlauf", user=session.secretariat
    )


def test_a_land_b_member_cannot_answer_a_written_procedure_for_land_a_rule_8(session, procedure):
    response = _client(session.member("DE-BE")).post(
        f"/intern/umlaufverfahren/{procedure.pk}/",
        {"state": session.state("DE-BY").pk, "choice": "yes"},
    )

    assert response.status_code == 400
    assert "Sie können nur die Stimme Ihres eigenen Landes abgeben" in response.text
    assert procedure.votes.count() == 0


def test_a_land_b_member_cannot_demand_oral_treatment_in_land_as_name_rule_8(session, procedure):
    response = _client(session.member("DE-BE")).post(
        f"/intern/umlaufverfahren/{procedure.pk}/",
        {"action": "oral", "state": session.state("DE-BY").pk},
    )

    assert response.status_code == 400
    procedure.refresh_from_db()
    assert procedure.state == "open"


@pytest.mark.parametrize("garbage", ["abc", "1; DROP TABLE", "9" * 30, "-1"])
def test_a_non_numeric_land_in_an_oral_treatment_demand_is_not_a_500(session, procedure, garbage):
    response = _client(session.member("DE-BE")).post(
        f"/intern/umlaufverfahren/{procedure.pk}/", {"action": "oral", "state": garbage}
    )

    assert response.status_code in (400, 404)
    procedure.refresh_from_db()
    assert procedure.state == "open"
    assert WrittenProcedure.objects.count() == 1


def test_a_non_member_of_the_procedure_cannot_close_it(session, procedure):
    response = _client(session.member("DE-BE")).post(
        f"/intern/umlaufverfahren/{procedure.pk}/", {"action": "close"}
    )

    assert response.status_code in (400, 403)
    procedure.refresh_from_db()
    assert procedure.state == "open"


def _invite(guest, meeting, items=()):
    from dmk.bodies.models import Person
    from dmk.meetings.models import GuestInvitation

    invitation = GuestInvitation.objects.create(
        meeting=meeting, person=Person.objects.get(user=guest)
    )
    invitation.agenda_items.set(items)
    return invitation


def test_a_guest_not_invited_to_the_meeting_cannot_open_its_ballot_rule_11(session, ballot):
    """A guest sees only what belongs to the meetings or items they are invited to: the
    per-Land vote table and the Protokollerklärungen of another meeting stay closed."""
    guest = user_with_role(MembershipRole.GUEST)
    from dmk.voting.services import protocol_declaration_add

    protocol_declaration_add(
        agenda_item=ballot.agenda_item,
        state=session.state("DE-BY"),
        text="Bayern behält sich die Zustimmung des Kabinetts vor.",
        user=session.member("DE-BY"),
    )
    client = _client(guest)

    page = client.get(f"/intern/abstimmung/{ballot.pk}/")
    status = client.get(f"/intern/abstimmung/{ballot.pk}/stand/")

    assert (page.status_code, status.status_code) == (403, 403)
    assert "Bayern behält sich" not in page.text


def test_a_guest_invited_to_another_item_cannot_open_this_items_ballot_rule_11(session, ballot):
    guest = user_with_role(MembershipRole.GUEST)
    _invite(guest, session.meeting, items=[session.items[2]])

    response = _client(guest).get(f"/intern/abstimmung/{ballot.pk}/")

    assert response.status_code == 403


def test_a_guest_invited_to_the_meeting_sees_the_ballot_but_cannot_vote_rule_1(session, ballot):
    guest = user_with_role(MembershipRole.GUEST)
    _invite(guest, session.meeting)
    client = _client(guest)

    page = client.get(f"/intern/abstimmung/{ballot.pk}/")
    vote = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert page.status_code == 200
    assert "Sie haben in dieser Abstimmung kein Stimmrecht." in page.text
    assert vote.status_code == 400
    assert "Gäste stimmen nicht ab" in vote.text
    assert Vote.objects.count() == 0


def test_a_guest_cannot_open_a_written_procedure_rule_11(session, procedure):
    guest = user_with_role(MembershipRole.GUEST)

    page = _client(guest).get(f"/intern/umlaufverfahren/{procedure.pk}/")
    proof = _client(guest).get(f"/intern/umlaufverfahren/{procedure.pk}/nachweis.pdf")

    assert (page.status_code, proof.status_code) == (403, 403)
