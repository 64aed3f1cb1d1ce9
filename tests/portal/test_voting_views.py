"""The session cockpit and the voting page (issue 6 items 2–5): every refusal is a German
message on the page, never a 500 (DOMAIN rules 1, 3, 4, 5)."""

from __future__ import annotations

import datetime

import pytest

from dmk.bodies.models import MembershipRole
from dmk.core.enums import Visibility
from dmk.papers.models import Consultation, Paper
from dmk.resolutions.models import Resolution
from dmk.resolutions.services import resolution_adopt
from dmk.voting.models import Ballot, Vote, VoteTransfer
from dmk.voting.services import ballot_close, ballot_open, vote_cast
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_item, make_meeting, make_session, register_all

pytestmark = pytest.mark.django_db

COCKPIT = "/intern/sitzungsleitung/{slug}/"


@pytest.fixture
def session(public_record):
    return make_session()


def _cockpit(session) -> str:
    return COCKPIT.format(slug=session.meeting.slug)


def test_the_geschaeftsstelle_opens_a_ballot_from_the_cockpit(client, session):
    login_with_second_factor(client, session.secretariat)
    item = session.items[0]

    response = client.post(f"{_cockpit(session)}top/{item.pk}/abstimmung/", follow=True)

    assert response.status_code == 200
    assert Ballot.objects.get().agenda_item == item
    assert "Die Abstimmung zu TOP 1: Beschlussvorschlag 1 ist eröffnet." in response.text


def test_a_member_cannot_open_the_cockpit(client, session):
    login_with_second_factor(client, session.member("DE-BY"))

    response = client.get(_cockpit(session))

    assert response.status_code == 403


def test_opening_a_ballot_on_an_item_in_parliamentary_procedure_shows_a_german_message(
    client, session
):
    """DOMAIN rule 5."""
    item = make_item(session.meeting, 10, in_parliamentary_procedure=True)
    login_with_second_factor(client, session.secretariat)

    response = client.post(f"{_cockpit(session)}top/{item.pk}/abstimmung/")

    assert response.status_code == 400
    assert "Das Vorhaben befindet sich im parlamentarischen Verfahren" in response.text
    assert Ballot.objects.count() == 0


def test_a_member_casts_the_lands_vote_on_the_voting_page(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    by = session.state("DE-BY")
    login_with_second_factor(client, session.member("DE-BY"))

    page = client.get(f"/intern/abstimmung/{ballot.pk}/")
    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/",
        {"state": by.pk, "choice": "yes", "cabinet_reservation": "on"},
        follow=True,
    )

    assert "Stimme für Bayern abgeben" in page.text
    assert "Die Stimme von Bayern ist abgegeben." in response.text
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.state, vote.choice, vote.cabinet_reservation) == (by, "yes", True)


def test_a_guests_vote_through_the_page_shows_a_german_message(client, session):
    """DOMAIN rule 1: guests never vote (even a guest invited to the meeting, rule 11)."""
    from dmk.bodies.models import Person
    from dmk.meetings.models import GuestInvitation

    guest = user_with_role(MembershipRole.GUEST)
    GuestInvitation.objects.create(meeting=session.meeting, person=Person.objects.get(user=guest))
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, guest)

    page = client.get(f"/intern/abstimmung/{ballot.pk}/")
    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert "Sie haben in dieser Abstimmung kein Stimmrecht." in page.text
    assert response.status_code == 400
    assert "Gäste stimmen nicht ab" in response.text
    assert Vote.objects.count() == 0


def test_a_vote_for_another_land_through_the_page_shows_a_german_message(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.member("DE-BE"))

    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "no"}
    )

    assert response.status_code == 400
    assert "Sie können nur die Stimme Ihres eigenen Landes abgeben" in response.text


def test_a_vote_without_a_choice_shows_a_german_message(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.member("DE-BY"))

    response = client.post(f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk})
    broken_land = client.post(f"/intern/abstimmung/{ballot.pk}/", {"state": "kaputt"})

    assert response.status_code == 400
    assert "Bitte wählen Sie Ja, Nein oder Enthaltung." in response.text
    # a broken Land is answered about the Land (issue 11, defect 9)
    assert broken_land.status_code == 400
    assert "Dieses Land ist nicht bekannt." in broken_land.text


def test_the_geschaeftsstelle_voting_for_itself_through_the_page_shows_a_german_message(
    client, session
):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )

    assert response.status_code == 400
    assert "Die Geschäftsstelle hat kein Stimmrecht." in response.text


def test_the_geschaeftsstelle_records_a_vote_on_behalf_in_the_cockpit(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        f"{_cockpit(session)}abstimmung/{ballot.pk}/erfassen/",
        {"state": session.state("DE-HB").pk, "choice": "abstain"},
        follow=True,
    )

    assert "Die Stimme von Bremen ist erfasst." in response.text
    vote = Vote.objects.get()
    assert (vote.state.code, vote.choice, vote.recorded_by) == (
        "DE-HB",
        "abstain",
        session.secretariat,
    )


def test_a_land_with_an_active_transfer_voting_itself_sees_a_german_message(client, session):
    """DOMAIN rule 4."""
    login_with_second_factor(client, session.secretariat)
    client.post(
        f"{_cockpit(session)}uebertragung/",
        {
            "from_state": session.state("DE-SL").pk,
            "to_state": session.state("DE-RP").pk,
            "from_agenda_item": session.items[0].pk,
        },
    )
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.member("DE-SL"))

    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-SL").pk, "choice": "yes"}
    )

    assert VoteTransfer.objects.get().to_state.code == "DE-RP"
    assert response.status_code == 400
    assert "Saarland hat sein Stimmrecht an Rheinland-Pfalz übertragen" in response.text


def test_a_transfer_chain_in_the_cockpit_shows_a_german_message_and_keeps_the_input(
    client, session
):
    """DOMAIN rule 4: no chains."""
    login_with_second_factor(client, session.secretariat)
    url = f"{_cockpit(session)}uebertragung/"
    client.post(
        url,
        {
            "from_state": session.state("DE-SL").pk,
            "to_state": session.state("DE-RP").pk,
            "from_agenda_item": session.items[0].pk,
        },
    )

    response = client.post(
        url,
        {
            "from_state": session.state("DE-RP").pk,
            "to_state": session.state("DE-HE").pk,
            "from_agenda_item": session.items[1].pk,
        },
    )

    assert response.status_code == 400
    assert "Ketten von Übertragungen sind nicht zulässig" in response.text
    assert f'<option value="{session.state("DE-HE").pk}" selected>' in response.text
    assert VoteTransfer.objects.count() == 1


def test_a_transfer_to_itself_in_the_cockpit_shows_a_german_message(client, session):
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        f"{_cockpit(session)}uebertragung/",
        {
            "from_state": session.state("DE-SL").pk,
            "to_state": session.state("DE-SL").pk,
            "from_agenda_item": session.items[0].pk,
        },
    )

    assert response.status_code == 400
    assert "Ein Land kann seine Stimme nicht auf sich selbst übertragen." in response.text


def test_the_status_fragment_shows_who_voted_and_after_closing_the_table(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    for state in session.states[:11]:
        vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice="yes")
    login_with_second_factor(client, session.member("DE-TH"))

    live = client.get(f"/intern/abstimmung/{ballot.pk}/stand/")
    ballot_close(ballot=ballot, user=session.secretariat)
    closed = client.get(f"/intern/abstimmung/{ballot.pk}/stand/")

    assert "11 von 16 Ländern haben abgestimmt." in live.text
    assert 'hx-trigger="every 1s"' in live.text
    assert "Bayern: hat abgestimmt" in live.text
    assert "Thüringen: noch keine Stimme" in live.text
    assert (
        "Einstimmig angenommen (11 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: Saarland, "
        "Sachsen, Sachsen-Anhalt, Schleswig-Holstein, Thüringen)."
    ) in closed.text
    assert "hx-trigger" not in closed.text
    assert closed.text.count("<td>nicht abgestimmt</td>") == 5


def test_the_status_fragment_is_closed_to_users_without_a_role(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    outsider = user_with_role(MembershipRole.STATE_STAFF, None)
    outsider.person.memberships.all().delete()
    login_with_second_factor(client, outsider)

    response = client.get(f"/intern/abstimmung/{ballot.pk}/stand/")

    assert response.status_code == 403


def test_a_session_runs_from_the_cockpit_to_a_released_resolution(client, session):
    login_with_second_factor(client, session.secretariat)
    item = session.items[0]
    client.post(f"{_cockpit(session)}top/{item.pk}/abstimmung/")
    ballot = Ballot.objects.get()
    for state in session.states[:12]:
        vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice="yes")
    client.post(f"{_cockpit(session)}abstimmung/{ballot.pk}/schliessen/")

    empty = client.post(f"{_cockpit(session)}abstimmung/{ballot.pk}/beschluss/", {"title": ""})
    adopted = client.post(
        f"{_cockpit(session)}abstimmung/{ballot.pk}/beschluss/",
        {"title": "Digitale Souveränität", "text_html": "<p>Die DMK beschließt.</p>"},
        follow=True,
    )
    resolution = Resolution.objects.get(ballot=ballot)
    released = client.post(
        f"{_cockpit(session)}beschluss/{resolution.pk}/veroeffentlichen/", follow=True
    )

    assert empty.status_code == 400
    assert "Bitte geben Sie einen Titel für den Beschluss ein." in empty.text
    assert "Beschluss DMK 2026/01 ist erfasst (Entwurf)." in adopted.text
    assert "Beschluss DMK 2026/01 ist veröffentlicht." in released.text
    resolution.refresh_from_db()
    assert resolution.visibility == Visibility.PUBLIC
    assert client.get(resolution.get_absolute_url()).status_code == 200


def _adopted_ballot(session, item):
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    for state in session.states[:11]:
        vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice="yes")
    ballot_close(ballot=ballot, user=session.secretariat)
    return ballot


def test_an_empty_resolution_text_is_refused_and_the_form_keeps_the_typed_values(client, session):
    """Newcomer report item 4: a resolution without text is refused with a German message;
    the typed title (and text) stay in the form; nothing is stored."""
    ballot = _adopted_ballot(session, session.items[0])
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        f"{_cockpit(session)}abstimmung/{ballot.pk}/beschluss/",
        {"title": "Mein getippter Titel", "text_html": "<p> &nbsp; </p><script>x</script>"},
    )

    assert response.status_code == 400
    assert "Bitte geben Sie den Text des Beschlusses ein; er darf nicht leer sein." in (
        response.text
    )
    assert 'value="Mein getippter Titel"' in response.text
    assert "&lt;p&gt; &amp;nbsp; &lt;/p&gt;" in response.text
    assert not Resolution.objects.filter(ballot=ballot).exists()


def test_the_adopt_form_is_prefilled_with_the_text_of_the_items_paper(client, session):
    """Newcomer report item 4: the paper's text is the proposal the Länder voted on."""
    item = session.items[0]
    paper = Paper.objects.create(
        body=session.meeting.body,
        title="Vorschlag",
        slug="vorschlag",
        paper_type="proposal",
        author_state=session.state("DE-HH"),
        text_html="<p>Die DMK empfiehlt gemeinsame Standards.</p>",
    )
    Consultation.objects.create(paper=paper, meeting=session.meeting, agenda_item=item)
    ballot = _adopted_ballot(session, item)
    login_with_second_factor(client, session.secretariat)

    page = client.get(_cockpit(session)).text

    textarea = 'name="text_html" rows="4" class="dmk-vote-textarea">'
    assert f"{textarea}&lt;p&gt;Die DMK empfiehlt gemeinsame Standards.&lt;/p&gt;</textarea>" in (
        page
    )
    assert f'id="text-{ballot.pk}"' in page


def test_the_cockpit_does_not_offer_a_second_ballot_on_an_item_with_an_open_one(client, session):
    """Newcomer report item 3: no "Abstimmung eröffnen" while a ballot on the item is open."""
    ballot_open(agenda_item=session.items[1], user=session.secretariat)
    login_with_second_factor(client, session.secretariat)

    page = client.get(_cockpit(session)).text

    assert "Abstimmung zu TOP 1 eröffnen" in page
    assert "Abstimmung zu TOP 2 eröffnen" not in page
    assert "Abstimmung zu TOP 3 eröffnen" in page


def test_the_resolution_number_year_is_the_meeting_days_not_today(session):
    """Newcomer report item 4: a session on 30 December whose resolution is recorded in the
    new year is numbered in the meeting's year (Europe/Berlin) and dated on the meeting day."""
    meeting = make_meeting(slug="jahresende", day=datetime.date(2025, 12, 30))
    register_all(meeting)
    ballot = _adopted_ballot(session, make_item(meeting, 1))

    resolution = resolution_adopt(
        ballot=ballot, title="Jahresende", text_html="<p>Text</p>", user=session.secretariat
    )

    assert (resolution.number, resolution.decided_on) == (
        "DMK 2025/01",
        datetime.date(2025, 12, 30),
    )
