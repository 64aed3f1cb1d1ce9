"""Tests of the written procedure (Umlaufverfahren, DOMAIN rule 8) with the 16 real Länder."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from dmk.bodies.models import Body, MembershipRole
from dmk.core.models import ActivityLog
from dmk.voting.models import WrittenProcedure, WrittenVote
from dmk.voting.proof import written_procedure_proof_pdf
from dmk.voting.services import (
    VotingError,
    close_due_written_procedures,
    written_procedure_close,
    written_procedure_demand_oral,
    written_procedure_start,
    written_vote_cast,
    written_vote_correct,
)
from dmk.voting.tasks import close_written_procedures_task
from tests.factories import user_with_role
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    return make_session()


def _start(session, **kwargs) -> WrittenProcedure:
    return written_procedure_start(
        body=Body.objects.get(short_name="DMK"),
        title="Gemeinsame Erklärung zur digitalen Souveränität",
        user=session.secretariat,
        **kwargs,
    )


def _answer(session, procedure, count: int, choice: str = "yes") -> None:
    for state in session.states[:count]:
        written_vote_cast(
            procedure=procedure, user=session.member(state.code), state=state, choice=choice
        )


def test_the_deadline_defaults_to_the_bodys_days_and_every_land_is_notified(
    session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        procedure = _start(session)

    assert procedure.deadline == timezone.localdate() + datetime.timedelta(days=14)
    assert len(mail.outbox) == 16
    assert mail.outbox[0].subject == (
        "Umlaufverfahren: Gemeinsame Erklärung zur digitalen Souveränität"
    )


def test_only_the_geschaeftsstelle_starts_a_written_procedure(session):
    with pytest.raises(VotingError):
        written_procedure_start(
            body=Body.objects.get(short_name="DMK"), title="X", user=session.member("DE-BY")
        )


def test_closing_after_the_deadline_counts_silent_laender_as_not_yes_under_domain_rule_8(
    session,
):
    procedure = _start(session)
    _answer(session, procedure, 10)
    day_after = procedure.deadline + datetime.timedelta(days=1)

    assert close_due_written_procedures(today=procedure.deadline) == 0
    closed = close_due_written_procedures(today=day_after)

    procedure.refresh_from_db()
    assert closed == 1
    assert (procedure.state, procedure.yes, procedure.absent, procedure.adopted) == (
        "closed",
        10,
        6,
        False,
    )


def test_eleven_answers_adopt_a_written_procedure_under_domain_rules_2_and_8(session):
    procedure = _start(session)
    _answer(session, procedure, 11)

    outcome = written_procedure_close(procedure=procedure, user=session.secretariat)

    assert (outcome.yes, outcome.absent, outcome.adopted) == (11, 5, True)


def test_the_scheduled_task_and_the_command_close_procedures_past_their_deadline(session):
    overdue = _start(session, deadline=timezone.localdate())
    running = _start(session)
    WrittenProcedure.objects.filter(pk=overdue.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    result = close_written_procedures_task.enqueue()
    out = io.StringIO()
    call_command("close_written_procedures", stdout=out)

    overdue.refresh_from_db()
    running.refresh_from_db()
    assert result.return_value == 1
    assert (overdue.state, running.state) == ("closed", "open")
    assert out.getvalue() == "0 Umlaufverfahren abgeschlossen.\n"


def test_any_land_demanding_oral_treatment_stops_the_procedure_under_domain_rule_8(session):
    procedure = _start(session)

    written_procedure_demand_oral(
        procedure=procedure, user=session.member("DE-HB"), state=session.state("DE-HB")
    )

    procedure.refresh_from_db()
    assert (procedure.state, procedure.stopped_by_state.code) == ("stopped", "DE-HB")
    with pytest.raises(VotingError) as excinfo:
        _answer(session, procedure, 1)
    assert excinfo.value.message == (
        "Das Umlaufverfahren ist gestoppt: Ein Land hat mündliche Behandlung verlangt."
    )


def test_a_guests_answer_in_a_written_procedure_is_refused_under_domain_rule_1(session):
    procedure = _start(session)
    guest = user_with_role(MembershipRole.GUEST)

    with pytest.raises(VotingError):
        written_vote_cast(
            procedure=procedure, user=guest, state=session.state("DE-BY"), choice="yes"
        )

    assert WrittenVote.objects.count() == 0


def test_an_answer_after_the_deadline_is_refused(session):
    procedure = _start(session)
    WrittenProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    with pytest.raises(VotingError) as excinfo:
        _answer(session, procedure, 1)

    assert excinfo.value.message == "Die Frist des Umlaufverfahrens ist abgelaufen."


def test_a_changed_answer_keeps_one_row_per_land(session):
    procedure = _start(session)
    _answer(session, procedure, 1, "no")
    _answer(session, procedure, 1, "yes")

    assert list(WrittenVote.objects.values_list("choice", flat=True)) == ["yes"]


def test_the_proof_pdf_lists_all_sixteen_laender_with_who_cast_and_when(session):
    procedure = _start(session)
    _answer(session, procedure, 11)
    written_vote_cast(
        procedure=procedure,
        user=session.secretariat,
        state=session.state("DE-TH"),
        choice="no",
        on_behalf=True,
    )
    written_procedure_close(procedure=procedure, user=session.secretariat)
    procedure.refresh_from_db()

    pdf = written_procedure_proof_pdf(procedure)

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for state in session.states:
        assert state.name_de in text
    # who cast it, by name; e-mail addresses stay out (a person may restrict theirs to the
    # Geschäftsstelle, issue 3 item 6)
    assert f"Baden-Württemberg Ja {session.member('DE-BW').get_full_name()}" in text
    assert f"erfasst durch {session.secretariat.get_full_name()}" in text
    assert "@" not in text
    assert text.count("keine Antwort") == 4
    # issue 11, Build 3: the one outcome wording names who voted no and who did not answer
    assert (
        "Angenommen (11 Ja, 1 Nein: Thüringen, 0 Enthaltungen; nicht abgestimmt: Saarland, "
        "Sachsen, Sachsen-Anhalt, Schleswig-Holstein)."
    ) in " ".join(text.split())


def test_the_notice_goes_out_through_the_queue_and_is_retried(
    session, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """Like invitations, the notice is a queued job with retries: one refused connection does
    not lose a Land's notice (issue 6 item 7; ``dmk.meetings.tasks.send_with_retries``)."""
    from types import SimpleNamespace

    from django.core.mail.backends.locmem import EmailBackend

    from dmk.voting import tasks
    from dmk.voting.tasks import notify_written_procedure_task

    settings.DMK_MAIL_RETRY_DELAY = 0
    enqueued = []
    with monkeypatch.context() as patched:
        patched.setattr(
            tasks, "notify_written_procedure_task", SimpleNamespace(enqueue=enqueued.append)
        )
        with django_capture_on_commit_callbacks(execute=True):
            procedure = _start(session)
    assert enqueued == [procedure.pk]
    assert mail.outbox == []

    original = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(messages[0].to)
        if len(calls) == 1:
            raise ConnectionRefusedError("smtp down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert notify_written_procedure_task.call(procedure.pk) == 16
    assert len(mail.outbox) == 16
    assert calls[0] == calls[1]


def _corrected(session, procedure, **kwargs) -> WrittenVote:
    return written_vote_correct(
        procedure=procedure,
        user=session.secretariat,
        state=session.state("DE-BY"),
        **({"choice": "yes", "reason": "Schreiben des Landes vom 3. Dezember"} | kwargs),
    )


def test_a_correction_that_changes_nothing_is_refused_under_domain_rule_8(session):
    """Issue 11 Build 2: a correction must change the answer or its Kabinettsvorbehalt (rule
    6); a second submit of the same correction is refused, so it is audited once."""
    procedure = _start(session)
    _answer(session, procedure, 2)  # Baden-Württemberg and Bayern: yes

    with pytest.raises(VotingError) as same:
        _corrected(session, procedure)
    vote = _corrected(session, procedure, cabinet_reservation=True)
    with pytest.raises(VotingError) as again:
        _corrected(session, procedure, cabinet_reservation=True)

    assert same.value.field == "choice"
    assert same.value.message == (
        "Die Berichtigung ändert nichts: Die Antwort von Bayern ist bereits „Ja“ ohne "
        "Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
        "Kabinettsvorbehalt."
    )
    assert again.value.message == (
        "Die Berichtigung ändert nichts: Die Antwort von Bayern ist bereits „Ja“ unter "
        "Kabinettsvorbehalt. Wählen Sie eine andere Antwort oder ändern Sie den "
        "Kabinettsvorbehalt."
    )
    assert (vote.choice, vote.cabinet_reservation, vote.previous_choice) == ("yes", True, "yes")
    entries = ActivityLog.objects.filter(action="voting.written_vote.corrected")
    assert [
        (e.data["cabinet_reservation"], e.data["previous_cabinet_reservation"]) for e in entries
    ] == [(True, False)]


def test_who_may_correct_is_checked_before_the_input(session):
    """A Land's member learns nothing about the answers from a correction's refusal: the
    permission is refused before the choice, the reason or the Land are looked at."""
    procedure = _start(session)

    with pytest.raises(VotingError) as refused:
        written_vote_correct(
            procedure=procedure,
            user=session.member("DE-BY"),
            state=session.state("DE-HE"),
            choice="vielleicht",
            reason="",
        )

    assert refused.value.message == (
        "Nur die Geschäftsstelle kann eine Antwort im Umlaufverfahren berichtigen."
    )
    assert refused.value.field is None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"choice": "vielleicht"}, "choice", "Bitte wählen Sie Ja, Nein oder Enthaltung."),
        ({"reason": "  "}, "reason", "Bitte geben Sie den Grund der Berichtigung an."),
    ],
)
def test_a_refused_correction_names_the_input_it_concerns(session, values, field, message):
    procedure = _start(session)
    _answer(session, procedure, 2)

    with pytest.raises(VotingError) as refused:
        _corrected(session, procedure, **({"choice": "no"} | values))

    assert (refused.value.field, refused.value.message) == (field, message)
    vote = WrittenVote.objects.get(procedure=procedure, state=session.state("DE-BY"))
    assert (vote.choice, vote.corrected_at) == ("yes", None)
