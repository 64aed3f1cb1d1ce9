"""The written procedure in the portal (issue 6 item 7; DOMAIN rule 8)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from dmk.access.policy import can_see_written_choices
from dmk.bodies.models import Body, MembershipRole
from dmk.voting.models import WrittenProcedure, WrittenVote
from dmk.voting.services import (
    written_procedure_close,
    written_procedure_start,
    written_vote_cast,
)
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


def _start(session, title: str = "Erklärung") -> WrittenProcedure:
    return written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title=title, user=session.secretariat
    )


def test_the_geschaeftsstelle_starts_a_written_procedure_in_the_portal(client, session):
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        "/intern/umlaufverfahren/", {"title": "Erklärung zur KI-Verordnung"}, follow=True
    )

    procedure = WrittenProcedure.objects.get()
    assert procedure.deadline == timezone.localdate() + datetime.timedelta(days=14)
    assert "Das Umlaufverfahren ist eingeleitet." in response.text


def test_a_past_deadline_is_refused_with_a_german_message_and_the_title_kept(client, session):
    login_with_second_factor(client, session.secretariat)

    response = client.post(
        "/intern/umlaufverfahren/",
        {"title": "Erklärung zur KI-Verordnung", "deadline": "2020-01-01"},
    )

    assert response.status_code == 400
    assert "Die Frist darf nicht in der Vergangenheit liegen." in response.text
    assert 'value="Erklärung zur KI-Verordnung"' in response.text
    assert WrittenProcedure.objects.count() == 0


def test_a_member_cannot_start_a_written_procedure(client, session):
    login_with_second_factor(client, session.member("DE-BY"))

    response = client.post("/intern/umlaufverfahren/", {"title": "X"})

    assert response.status_code == 403


def test_a_land_answers_and_another_land_stops_the_procedure(client, session):
    procedure = _start(session)
    url = f"/intern/umlaufverfahren/{procedure.pk}/"
    login_with_second_factor(client, session.member("DE-BY"))
    answered = client.post(url, {"state": session.state("DE-BY").pk, "choice": "yes"}, follow=True)
    login_with_second_factor(client, session.member("DE-HB"))

    stopped = client.post(url, {"action": "oral", "state": session.state("DE-HB").pk}, follow=True)
    late = client.post(url, {"state": session.state("DE-HB").pk, "choice": "yes"})

    assert "Die Stimme von Bayern ist abgegeben." in answered.text
    assert "Mündliche Behandlung ist verlangt" in stopped.text
    assert late.status_code == 400
    assert "Das Umlaufverfahren ist gestoppt" in late.text
    assert WrittenVote.objects.count() == 1


def test_a_guests_answer_shows_a_german_message(client, session):
    procedure = _start(session)
    guest = user_with_role(MembershipRole.GUEST)
    login_with_second_factor(client, guest)

    response = client.post(
        f"/intern/umlaufverfahren/{procedure.pk}/",
        {"state": session.state("DE-BY").pk, "choice": "yes"},
    )

    assert response.status_code == 403


def test_a_member_of_another_land_answering_sees_a_german_message(client, session):
    procedure = _start(session)
    login_with_second_factor(client, session.member("DE-BE"))

    response = client.post(
        f"/intern/umlaufverfahren/{procedure.pk}/",
        {"state": session.state("DE-BY").pk, "choice": "yes"},
    )

    assert response.status_code == 400
    assert "Sie können nur die Stimme Ihres eigenen Landes abgeben" in response.text


def test_the_proof_pdf_downloads(client, session):
    procedure = _start(session)
    login_with_second_factor(client, session.member("DE-BY"))

    response = client.get(f"/intern/umlaufverfahren/{procedure.pk}/nachweis.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def _proof_text(user, procedure) -> str:
    client = Client()
    login_with_second_factor(client, user)
    response = client.get(f"/intern/umlaufverfahren/{procedure.pk}/nachweis.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_proof_pdf_shows_the_answers_only_where_the_page_does(session):
    """While the procedure runs, another Land learns from the proof only that Bayern answered
    (as on the page); the Geschäftsstelle running it sees the answers; once the outcome is
    stored, everybody does (DOMAIN rule 8)."""
    procedure = _start(session)
    written_vote_cast(
        procedure=procedure,
        user=session.member("DE-BY"),
        state=session.state("DE-BY"),
        choice="no",
        cabinet_reservation=True,
    )

    running_other = _proof_text(session.member("DE-HE"), procedure)
    running_secretariat = _proof_text(session.secretariat, procedure)
    written_procedure_close(procedure=procedure, user=session.secretariat)
    closed_other = _proof_text(session.member("DE-HE"), procedure)

    assert "Bayern hat geantwortet" in running_other
    assert "Nein" not in running_other
    assert "Kabinettsvorbehalt" not in running_other
    assert "Bayern Nein (Kabinettsvorbehalt)" in running_secretariat
    assert "Bayern Nein (Kabinettsvorbehalt)" in closed_other
    assert "Hessen keine Antwort" in closed_other


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_needs_the_same_number_of_queries_for_one_and_three_rows(
    client, session, django_assert_num_queries, rows
):
    for n in range(rows):
        _start(session, title=f"Erklärung {n}")
    user = session.member("DE-BY")
    login_with_second_factor(client, user)
    client.get("/intern/umlaufverfahren/")  # warm the session

    with django_assert_num_queries(7):
        response = client.get("/intern/umlaufverfahren/")

    assert response.text.count("/intern/umlaufverfahren/") >= rows


def test_the_choices_of_a_written_procedure_are_decided_in_the_policy_module(session):
    """dmk.access.policy.can_see_written_choices (DOMAIN rule 8): before the outcome is stored
    only the body's Geschäftsstelle, afterwards everybody who may open the procedure."""
    procedure = _start(session)
    member = session.member("DE-HE")

    before = (
        can_see_written_choices(session.secretariat, procedure=procedure),
        can_see_written_choices(member, procedure=procedure),
    )
    written_procedure_close(procedure=procedure, user=session.secretariat)
    procedure.refresh_from_db()

    assert before == (True, False)
    assert can_see_written_choices(member, procedure=procedure) is True
