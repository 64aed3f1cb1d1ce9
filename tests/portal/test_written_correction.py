"""The Geschäftsstelle corrects a Land's answer in a running Umlaufverfahren, with a reason
(issue 11 Build 2; DOMAIN rule 8, with rule 1: one answer per Land, and rule 6: the
Kabinettsvorbehalt), on the written procedure page of the portal."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from dmk.bodies.models import Body, Membership, MembershipRole, Organization
from dmk.core.models import ActivityLog
from dmk.voting.models import WrittenProcedure, WrittenVote
from dmk.voting.services import (
    written_procedure_close,
    written_procedure_demand_oral,
    written_procedure_start,
    written_vote_cast,
)
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db

REASON = "Bayern hat am 3. Dezember schriftlich mit Nein geantwortet."
ERROR = re.compile(r'<p class="kern-error dmk-vote-error" id="([^"]+)">([^<]*)</p>')


@pytest.fixture
def session(public_record):
    return make_session()


@pytest.fixture
def procedure(session) -> WrittenProcedure:
    """A running procedure in which Bayern's member answered "Ja"."""
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Erklärung", user=session.secretariat
    )
    written_vote_cast(
        procedure=procedure,
        user=session.member("DE-BY"),
        state=session.state("DE-BY"),
        choice="yes",
    )
    return procedure


def _client(user) -> Client:
    client = Client()
    if user is not None:
        login_with_second_factor(client, user)
    return client


def _url(procedure: WrittenProcedure, language: str = "") -> str:
    return f"{language}/intern/umlaufverfahren/{procedure.pk}/"


def _other_bodys_geschaeftsstelle():
    """The Geschäftsstelle of the Gesundheitsministerkonferenz (issue 11 item 1)."""
    other = Body.objects.create(short_name="GMK", name="Gesundheitsministerkonferenz")
    office = user_with_role(MembershipRole.MEMBER, None, email="gs@gmk.example")
    Membership.objects.filter(person__user=office).update(
        role=MembershipRole.SECRETARIAT,
        organization=Organization.objects.create(body=other, name="GMK", kind="plenary"),
    )
    return office


def _correction(session, code: str = "DE-BY", **values) -> dict[str, object]:
    data = {"action": "correct", "state": session.state(code).pk, "choice": "no"}
    data["reason"] = REASON
    data.update(values)
    return data


def _errors(response) -> dict[str, str]:
    """The field errors of the page by element id."""
    return dict(ERROR.findall(response.content.decode()))


def _bayern(procedure) -> WrittenVote:
    return WrittenVote.objects.get(procedure=procedure, state__code="DE-BY")


def _corrections() -> int:
    return ActivityLog.objects.filter(action="voting.written_vote.corrected").count()


def test_the_geschaeftsstelle_corrects_an_answer_with_a_reason_under_domain_rule_8(
    session, procedure
):
    client = _client(session.secretariat)

    response = client.post(_url(procedure), _correction(session, cabinet_reservation="on"))

    assert response.status_code == 302
    assert response["Location"] == _url(procedure)
    vote = _bayern(procedure)
    assert (vote.choice, vote.cabinet_reservation, vote.previous_choice) == ("no", True, "yes")
    assert (vote.cast_by, vote.corrected_by) == (session.member("DE-BY"), session.secretariat)
    assert vote.correction_reason == REASON
    entry = ActivityLog.objects.get(action="voting.written_vote.corrected")
    assert entry.actor == session.secretariat
    assert entry.data == {
        "state": "DE-BY",
        "choice": "no",
        "previous_choice": "yes",
        "cabinet_reservation": True,
        "previous_cabinet_reservation": False,
        "reason": REASON,
        "cast_by": session.member("DE-BY").pk,
    }
    page = client.get(_url(procedure)).content.decode()
    assert "Die Antwort von Bayern ist berichtigt." in page
    assert "bisher: Nein (Kabinettsvorbehalt)" in page
    assert (
        f"berichtigt von „Ja“ durch {session.secretariat.get_full_name()} (Geschäftsstelle) am "
    ) in page
    assert f"Grund: {REASON}" in page


def test_the_note_gives_the_time_of_the_correction_in_europe_berlin(session, procedure):
    """A correction at 22:30 UTC on 1 July is one on 2 July at 00:30 in Berlin (CEST)."""
    _client(session.secretariat).post(_url(procedure), _correction(session))
    WrittenVote.objects.filter(pk=_bayern(procedure).pk).update(
        corrected_at=datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    )

    page = _client(session.secretariat).get(_url(procedure)).content.decode()

    name = session.secretariat.get_full_name()
    assert (
        f"berichtigt von „Ja“ durch {name} (Geschäftsstelle) am 02.07.2026 um 00:30 Uhr, "
        f"Grund: {REASON}"
    ) in page


@pytest.mark.parametrize("who", ["member of the Land", "other body", "anonymous"])
def test_nobody_but_the_geschaeftsstelle_of_the_body_corrects_and_nothing_changes(
    session, procedure, who
):
    """Permission comes before the input: an invalid correction of an outsider is refused
    as such (403 or the login page), never answered with a form error that would tell them
    about the answers (issue 11 Build 2)."""
    user = {
        "member of the Land": session.member("DE-BY"),
        "other body": _other_bodys_geschaeftsstelle(),
        "anonymous": None,
    }[who]
    client = _client(user)

    valid = client.post(_url(procedure), _correction(session))
    invalid = client.post(_url(procedure), _correction(session, choice="vielleicht", reason=""))

    if user is None:
        assert (valid.status_code, invalid.status_code) == (302, 302)
        assert valid["Location"].startswith("/konto/login/")
    else:
        assert (valid.status_code, invalid.status_code) == (403, 403)
        assert "Bitte wählen Sie Ja, Nein oder Enthaltung." not in invalid.content.decode()
        assert "Grund der Berichtigung" not in invalid.content.decode()
    vote = _bayern(procedure)
    assert (vote.choice, vote.previous_choice, vote.corrected_at) == ("yes", "", None)
    assert _corrections() == 0


def _stop(session, procedure) -> None:
    written_procedure_demand_oral(
        procedure=procedure, user=session.member("DE-HB"), state=session.state("DE-HB")
    )


def _close(session, procedure) -> None:
    written_procedure_close(procedure=procedure, user=session.secretariat)


@pytest.mark.parametrize(
    ("case", "values", "field", "message"),
    [
        (
            "empty reason",
            {"reason": "   "},
            "correct-reason-{pk}-error",
            "Bitte geben Sie den Grund der Berichtigung an.",
        ),
        (
            "unknown choice",
            {"choice": "vielleicht"},
            "correct-choice-{pk}-error",
            "Bitte wählen Sie Ja, Nein oder Enthaltung.",
        ),
        (
            "no change",
            {"choice": "yes", "cabinet_reservation": ""},
            "correct-choice-{pk}-error",
            "Die Berichtigung ändert nichts: Die Antwort von Bayern ist bereits „Ja“ ohne "
            "Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
            "Kabinettsvorbehalt.",
        ),
        (
            "land without answer",
            {"state": "DE-HE"},
            "correct-{pk}-error",
            "Für Hessen ist noch keine Stimme abgegeben; es gibt nichts zu berichtigen.",
        ),
        (
            "stopped",
            {"before": _stop},
            "correct-{pk}-error",
            "Das Umlaufverfahren ist gestoppt: Ein Land hat mündliche Behandlung verlangt.",
        ),
        (
            "closed",
            {"before": _close},
            "correct-{pk}-error",
            "Das Umlaufverfahren ist abgeschlossen.",
        ),
    ],
)
def test_a_refused_correction_shows_the_german_message_next_to_its_field_and_keeps_the_input(
    session, procedure, case, values, field, message
):
    values = dict(values)
    if before := values.pop("before", None):
        before(session, procedure)
    state = session.state(values.pop("state", "DE-BY"))
    data = _correction(session, **({"cabinet_reservation": "on"} | values))
    data["state"] = state.pk

    response = _client(session.secretariat).post(_url(procedure), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert _errors(response) == {field.format(pk=state.pk): message}
    assert page.count(message) == 1  # next to its field, not once more at the top
    choice = data["choice"]
    if choice in ("yes", "no"):
        assert f'id="correct-{state.pk}-{choice}" name="choice" value="{choice}" checked' in page
    assert " checked" not in page.split(f'id="correct-{state.pk}-abstain"')[1].split(">")[0]
    checkbox = f'id="correct-reservation-{state.pk}" name="cabinet_reservation" checked'
    assert (checkbox in page) is bool(data["cabinet_reservation"])
    reason = re.search(
        rf'id="correct-reason-{state.pk}" name="reason"[^>]*>([^<]*)</textarea>', page
    )
    assert reason is not None and reason.group(1) == data["reason"]
    vote = _bayern(procedure)
    assert (vote.choice, vote.cabinet_reservation, vote.corrected_at) == ("yes", False, None)
    assert _corrections() == 0


def test_an_unknown_land_is_refused_with_a_german_message_at_the_top(session, procedure):
    response = _client(session.secretariat).post(
        _url(procedure), _correction(session) | {"state": "99999"}
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie ein Land." in response.content.decode()
    assert _corrections() == 0


def test_a_second_submit_of_the_same_correction_changes_nothing_and_is_audited_once(
    session, procedure
):
    client = _client(session.secretariat)

    first = client.post(_url(procedure), _correction(session))
    second = client.post(_url(procedure), _correction(session))

    assert first.status_code == 302
    assert second.status_code == 400
    assert _errors(second) == {
        f"correct-choice-{session.state('DE-BY').pk}-error": (
            "Die Berichtigung ändert nichts: Die Antwort von Bayern ist bereits „Nein“ ohne "
            "Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
            "Kabinettsvorbehalt."
        )
    }
    vote = _bayern(procedure)
    assert (vote.choice, vote.previous_choice) == ("no", "yes")
    assert _corrections() == 1


def test_the_geschaeftsstelle_sees_a_form_only_for_each_land_that_has_answered(session, procedure):
    written_vote_cast(
        procedure=procedure,
        user=session.member("DE-HE"),
        state=session.state("DE-HE"),
        choice="abstain",
        cabinet_reservation=True,
    )

    page = _client(session.secretariat).get(_url(procedure)).content.decode()

    forms = re.findall(r'<form method="post" class="dmk-vote-form" id="correct-(\d+)">', page)
    assert forms == [str(session.state("DE-BY").pk), str(session.state("DE-HE").pk)]
    assert page.count('name="action" value="correct"') == 2
    assert "Antwort von Hessen berichtigen – bisher: Enthaltung (Kabinettsvorbehalt)" in page
    he = session.state("DE-HE").pk
    assert f'id="correct-{he}-abstain" name="choice" value="abstain" checked' in page
    assert f'id="correct-reservation-{he}" name="cabinet_reservation" checked' in page


@pytest.mark.parametrize("code", ["DE-BY", "DE-HE"])
def test_members_of_the_laender_see_no_correction_form(session, procedure, code):
    page = _client(session.member(code)).get(_url(procedure)).content.decode()

    assert 'value="correct"' not in page
    assert "Antworten berichtigen" not in page
    assert "Grund der Berichtigung" not in page


def test_no_correction_form_once_the_procedure_is_closed(session, procedure):
    _close(session, procedure)

    page = _client(session.secretariat).get(_url(procedure)).content.decode()

    assert 'value="correct"' not in page
    assert "Antworten berichtigen" not in page


def test_the_correction_is_shown_to_whoever_may_see_the_answer(session, procedure):
    """While the procedure runs, the corrected Land sees the note with its own answer and
    another Land only that Bayern's answer was corrected (its choice stays unseen); once it is
    closed, everyone sees the note in the table of answers and in the proof PDF."""
    _client(session.secretariat).post(_url(procedure), _correction(session))
    note = f"berichtigt von „Ja“ durch {session.secretariat.get_full_name()} (Geschäftsstelle) am "

    own = _client(session.member("DE-BY")).get(_url(procedure)).content.decode()
    other = _client(session.member("DE-HE")).get(_url(procedure)).content.decode()
    _close(session, procedure)
    closed = _client(session.member("DE-HE")).get(_url(procedure)).content.decode()
    pdf = _client(session.member("DE-HE")).get(f"{_url(procedure)}nachweis.pdf").content

    assert own.count(note) == 1
    assert f"Grund: {REASON}" in own
    assert note not in other
    assert REASON not in other
    assert '<th scope="row">Bayern</th>\n    <td>hat geantwortet (berichtigt)</td>' in other
    assert f'Nein – <span class="dmk-correction-note">{note}' in closed
    assert f"Grund: {REASON}" in closed
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert f"{note.strip()}" in text
    assert f"Grund: {REASON}" in text


def test_the_english_page_shows_the_correction_in_english(session, procedure):
    client = _client(session.secretariat)
    client.post(_url(procedure), _correction(session))

    page = client.get(_url(procedure, "/en")).content.decode()
    refused = client.post(_url(procedure, "/en"), _correction(session, reason=""))

    name = session.secretariat.get_full_name()
    assert "Correct answers" in page
    assert "Correct the answer of Bavaria – so far: No" in page
    assert f"corrected from “Yes” by {name} (secretariat) on " in page
    assert f"reason: {REASON}" in page
    assert "Reason for the correction" in page
    assert "berichtigt von" not in page
    assert refused.status_code == 400
    assert _errors(refused) == {
        f"correct-reason-{session.state('DE-BY').pk}-error": (
            "Please give the reason for the correction."
        )
    }
