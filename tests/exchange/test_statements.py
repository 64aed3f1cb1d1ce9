"""Joint statements (gemeinsame Stellungnahme, issue 14 item 5): the text freezes when it is
opened, invited Länder join, join with a note or decline until the deadline (a Europe/Berlin
calendar date, the whole day counts), and the PDF lists exactly the Länder that joined."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dmk.exchange import statements
from dmk.exchange.models import StatementAnswer
from tests.factories import StateFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def draft(world, body_ws):
    return statements.statement_create(
        actor=world.member_a,
        workspace=body_ws,
        title="Gemeinsame Position zur Registermodernisierung",
        text="Die Länder unterstützen eine zügige Registermodernisierung.",
        author_state=world.land_a,
    )


@pytest.fixture
def opened(world, draft):
    third = StateFactory(code="DE-TH", name_de="Thüringen")
    return statements.statement_open(
        actor=world.member_a,
        statement=draft,
        states=[world.land_b, third],
        deadline=TODAY + datetime.timedelta(days=7),
        today=TODAY,
    )


def test_opening_freezes_the_text_and_records_the_author_land_as_joined(world, opened):
    answers = {p.state.code: p.answer for p in opened.participations.select_related("state")}
    assert answers == {"DE-HB": "joined", "DE-SL": "pending", "DE-TH": "pending"}
    with pytest.raises(ValidationError) as refused:
        statements.statement_update(actor=world.member_a, statement=opened, title="Neu", text="Neu")
    assert refused.value.code == "frozen"


def test_a_land_answers_only_for_itself(world, opened):
    with pytest.raises(PermissionDenied):
        statements.statement_answer(
            actor=world.member_a,
            statement=opened,
            state=world.land_b,
            answer=StatementAnswer.JOINED,
            today=TODAY,
        )
    participation = statements.statement_answer(
        actor=world.member_b,
        statement=opened,
        state=world.land_b,
        answer=StatementAnswer.JOINED_WITH_NOTE,
        note="Vorbehaltlich der Kabinettsbefassung.",
        today=TODAY,
    )
    assert (participation.answer, participation.note) == (
        "joined_with_note",
        "Vorbehaltlich der Kabinettsbefassung.",
    )


def test_joining_on_the_deadline_day_works_and_after_it_is_refused(world, opened):
    deadline = opened.deadline
    statements.statement_answer(
        actor=world.member_b,
        statement=opened,
        state=world.land_b,
        answer=StatementAnswer.DECLINED,
        today=deadline,
    )
    with pytest.raises(ValidationError) as refused:
        statements.statement_answer(
            actor=world.member_b,
            statement=opened,
            state=world.land_b,
            answer=StatementAnswer.JOINED,
            today=deadline + datetime.timedelta(days=1),
        )
    assert refused.value.code == "deadline"
    assert opened.participations.get(state=world.land_b).answer == "declined"


def test_a_note_is_required_to_join_with_a_note(world, opened):
    with pytest.raises(ValidationError) as refused:
        statements.statement_answer(
            actor=world.member_b,
            statement=opened,
            state=world.land_b,
            answer=StatementAnswer.JOINED_WITH_NOTE,
            today=TODAY,
        )
    assert refused.value.code == "note"


def test_the_pdf_lists_exactly_the_joined_laender(world, opened):
    statements.statement_answer(
        actor=world.member_b,
        statement=opened,
        state=world.land_b,
        answer=StatementAnswer.JOINED,
        today=TODAY,
    )
    statements.statement_close(actor=world.member_a, statement=opened)
    opened.refresh_from_db()
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(statements.statement_pdf(opened))).pages
    )
    assert "Bremen" in text and "Saarland" in text
    assert "Thüringen" not in text  # invited, never answered
    assert "Vorläufig" not in text
    joined = [p.state.name_de for p in statements.joined_states(opened)]
    assert joined == ["Bremen", "Saarland"]


def test_the_pdf_of_an_open_statement_says_the_list_is_not_final(world, opened):
    text = PdfReader(io.BytesIO(statements.statement_pdf(opened))).pages[0].extract_text()
    assert "Vorläufig" in text


def test_the_pdf_is_tagged_pdf_ua(world, opened):
    reader = PdfReader(io.BytesIO(statements.statement_pdf(opened)))
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_a_land_answers_in_the_browser_form_and_a_late_answer_is_shown_again(
    world, body_ws, opened
):
    client = Client()
    login_with_second_factor(client, world.member_b)
    url = reverse("portal:exchange_statement", kwargs={"workspace": body_ws.slug, "pk": opened.pk})
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {"action": "answer", "state": world.land_b.pk, "answer": "joined_with_note", "note": ""},
    )
    assert response.status_code == 400
    assert "Bitte geben Sie Ihre Anmerkung an." in response.content.decode()
    response = client.post(url, {"action": "answer", "state": world.land_b.pk, "answer": "joined"})
    assert response.status_code == 302
    assert opened.participations.get(state=world.land_b).answer == "joined"


def test_a_statement_of_a_workspace_one_may_not_open_is_404(world, adhoc_ws):
    statement = statements.statement_create(
        actor=world.member_a,
        workspace=adhoc_ws,
        title="Intern",
        text="Text",
        author_state=world.land_a,
    )
    client = Client()
    login_with_second_factor(client, world.member_b)
    for name in ("portal:exchange_statement", "portal:exchange_statement_pdf"):
        assert (
            client.get(
                reverse(name, kwargs={"workspace": adhoc_ws.slug, "pk": statement.pk})
            ).status_code
            == 404
        )
