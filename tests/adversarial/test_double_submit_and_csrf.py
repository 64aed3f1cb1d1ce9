"""Double submits (a second click on the same button) and POSTs without a CSRF token to the
portal's forms: no duplicates, no 500, and a forged POST is refused with 403 and writes
nothing."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from dmk.bodies.models import Membership, Person
from dmk.meetings.models import Attendance
from dmk.papers.models import Consultation, Paper, PaperSponsor
from dmk.voting.models import Vote, VoteTransfer
from dmk.voting.services import ballot_open
from dmk.website.models import ContactMessage
from tests.factories import MeetingFactory
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Erika Mustermann",
    "email": "erika@example.org",
    "subject": "Frage zur Sitzung",
    "message": "Wann wird der Beschluss veröffentlicht?",
    "website": "",
}


@pytest.fixture
def meeting(cast):
    return MeetingFactory(
        body=cast.draft.body,
        slug="naechste-sitzung",
        start_date=timezone.localdate() + timezone.timedelta(weeks=8),
    )


# --- double submits ---------------------------------------------------------------------------


def test_submitting_the_same_paper_twice_for_a_meeting_keeps_one_consultation(cast, meeting):
    client = cast.client("member_a")
    url = f"/intern/vorlagen/{cast.draft.slug}/einreichen/"

    first = client.post(url, {"meeting": meeting.pk})
    second = client.post(url, {"meeting": meeting.pk})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Die Vorlage ist für diese Sitzung bereits eingereicht." in second.text
    assert Consultation.objects.filter(paper=cast.draft, meeting=meeting).count() == 1


def test_inviting_the_same_co_sponsor_twice_keeps_one_invitation(cast):
    client = cast.client("member_a")
    url = f"/intern/vorlagen/{cast.draft.slug}/mitantrag/"

    first = client.post(url, {"state": cast.land_b.pk})
    second = client.post(url, {"state": cast.land_b.pk})

    assert (first.status_code, second.status_code) == (302, 400)
    assert "Dieses Land ist bereits eingeladen." in second.text
    assert PaperSponsor.objects.filter(paper=cast.draft).count() == 1


def test_registering_attendance_twice_keeps_one_row(cast, meeting):
    client = cast.client("member_a")
    url = f"/intern/sitzungen/{meeting.slug}/anmeldung/"
    data = {"state": cast.land_a.pk, "role": "member", "representative_name": ""}

    first = client.post(url, data)
    second = client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Attendance.objects.filter(meeting=meeting, state=cast.land_a).count() == 1


def test_drafting_the_same_paper_twice_by_a_double_click_keeps_one_draft(cast):
    """A double click sends the same form, with the same one-time token, twice: the second
    POST finds the first draft (``Paper.submission_token`` is unique) and leads to it."""
    client = cast.client("member_a")
    form = client.get("/intern/vorlagen/neu/")
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', form.text).group(1)
    data = {
        "state": cast.land_a.pk,
        "title": "Doppelklick-Entwurf",
        "paper_type": "proposal",
        "submission_token": token,
    }

    first = client.post("/intern/vorlagen/neu/", data)
    second = client.post("/intern/vorlagen/neu/", data)

    assert Paper.objects.filter(title="Doppelklick-Entwurf").count() == 1
    paper = Paper.objects.get(title="Doppelklick-Entwurf")
    assert first["Location"] == second["Location"] == f"/intern/vorlagen/{paper.slug}/"


def test_a_form_token_of_another_lands_draft_creates_nothing(cast):
    """The token is no key to a foreign draft: Land B reusing Land A's token gets a German
    message (400), no paper and no redirect to Land A's draft (DOMAIN rule 11)."""
    first = cast.client("member_a").get("/intern/vorlagen/neu/")
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', first.text).group(1)
    cast.client("member_a").post(
        "/intern/vorlagen/neu/",
        {
            "state": cast.land_a.pk,
            "title": "Entwurf A",
            "paper_type": "proposal",
            "submission_token": token,
        },
    )

    response = cast.client("member_b").post(
        "/intern/vorlagen/neu/",
        {
            "state": cast.land_b.pk,
            "title": "Entwurf B",
            "paper_type": "proposal",
            "submission_token": token,
        },
    )

    assert response.status_code == 400
    assert (
        "Dieses Formular wurde bereits verwendet. Bitte laden Sie die Seite neu." in response.text
    )
    assert not Paper.objects.filter(title="Entwurf B").exists()
    assert "Entwurf A" not in response.text


def test_the_same_contact_message_posted_twice_is_stored_once(site_content):
    from django.test import Client

    client = Client()

    first = client.post("/kontakt/", CONTACT)
    second = client.post("/kontakt/", CONTACT)

    assert (first.status_code, second.status_code) == (200, 200)
    assert "Vielen Dank für Ihre Nachricht." in second.text
    assert ContactMessage.objects.count() == 1


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_draft_without_csrf_token_is_refused(cast):
    response = cast.client("member_a", csrf=True).post(
        "/intern/vorlagen/neu/",
        {"state": cast.land_a.pk, "title": "Gefälscht", "paper_type": "proposal"},
    )

    assert response.status_code == 403
    assert not Paper.objects.filter(title="Gefälscht").exists()


def test_a_paper_submit_without_csrf_token_is_refused(cast, meeting):
    response = cast.client("member_a", csrf=True).post(
        f"/intern/vorlagen/{cast.draft.slug}/einreichen/", {"meeting": meeting.pk}
    )

    assert response.status_code == 403
    assert Consultation.objects.filter(paper=cast.draft).count() == 0


def test_a_co_sponsor_invitation_without_csrf_token_is_refused(cast):
    response = cast.client("member_a", csrf=True).post(
        f"/intern/vorlagen/{cast.draft.slug}/mitantrag/", {"state": cast.land_b.pk}
    )

    assert response.status_code == 403
    assert PaperSponsor.objects.count() == 0


def test_an_attendance_without_csrf_token_is_refused(cast, meeting):
    response = cast.client("member_a", csrf=True).post(
        f"/intern/sitzungen/{meeting.slug}/anmeldung/",
        {"state": cast.land_a.pk, "role": "member"},
    )

    assert response.status_code == 403
    assert Attendance.objects.filter(meeting=meeting).count() == 0


def test_a_nomination_without_csrf_token_is_refused(cast):
    person = Person.objects.get(user=cast.member_a)
    before = Membership.objects.count()

    response = cast.client("secretariat", csrf=True).post(
        f"/intern/nominierungen/{cast.land_a.code}/", {"role": "member", "person": person.pk}
    )

    assert response.status_code == 403
    assert Membership.objects.count() == before


def test_a_contact_change_without_csrf_token_is_refused(cast):
    person = Person.objects.get(user=cast.member_a)

    response = cast.client("member_a", csrf=True).post(
        "/intern/kontakte/ich/", {"phone": "+49 30 666"}
    )

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.phone != "+49 30 666"


def test_an_erasure_without_csrf_token_is_refused(cast):
    person = Person.objects.get(user=cast.member_b)

    response = cast.client("secretariat", csrf=True).post(
        f"/intern/kontakte/{person.pk}/loeschen/", {"confirm": "yes"}
    )

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.family_name == cast.member_b.last_name


def test_a_vote_without_csrf_token_is_refused(public_record):
    from django.test import Client

    from tests.helpers import login_with_second_factor

    session = make_session()
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    client = Client(enforce_csrf_checks=True)
    login_with_second_factor(client, session.member("DE-BY"))

    vote = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": session.state("DE-BY").pk, "choice": "yes"}
    )
    gs = Client(enforce_csrf_checks=True)
    login_with_second_factor(gs, session.secretariat)
    transfer = gs.post(
        f"/intern/sitzungsleitung/{session.meeting.slug}/uebertragung/",
        {
            "from_state": session.state("DE-BY").pk,
            "to_state": session.state("DE-BE").pk,
            "from_agenda_item": session.items[0].pk,
        },
    )

    assert (vote.status_code, transfer.status_code) == (403, 403)
    assert Vote.objects.count() == 0
    assert VoteTransfer.objects.count() == 0


def test_the_public_contact_form_without_csrf_token_is_refused(site_content):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/kontakt/", CONTACT)

    assert response.status_code == 403
    assert ContactMessage.objects.count() == 0
