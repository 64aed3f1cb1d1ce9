"""The minutes life cycle (issue 12 items 1–3; DOMAIN rules 6, 8, 11): every transition, its
refusals, comments per Land, freezing, corrections and the conflict of two editors."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingState
from dmk.minutes.documents import minutes_pdf, version_diff
from dmk.minutes.models import CommentKind, MinutesStatus, VersionKind
from dmk.minutes.services import (
    MinutesConflict,
    MinutesError,
    current_version,
    minutes_approve,
    minutes_circulate,
    minutes_comment,
    minutes_correct,
    minutes_create_draft,
    minutes_revise,
    minutes_schedule_approval,
    minutes_settle_ballot,
    minutes_start_written_approval,
)
from dmk.voting.models import Choice
from dmk.voting.services import (
    ballot_close,
    ballot_open,
    protocol_declaration_add,
    vote_cast,
    written_procedure_close,
    written_vote_cast,
)
from tests.factories import user_with_role
from tests.helpers import secretariat_user
from tests.voting.scenario import make_session, register_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    s = make_session()
    s.meeting.state = MeetingState.HELD
    s.meeting.save(update_fields=["state"])
    return s


def _vote_all(session, item, choice="yes", *, except_codes=()):
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    for state in session.states:
        if state.code in except_codes:
            continue
        vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice=choice)
    ballot_close(ballot=ballot, user=session.secretariat)
    ballot.refresh_from_db()
    return ballot


def _circulated(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    return minutes_circulate(minutes=minutes, user=session.secretariat)


def _later_item(session) -> AgendaItem:
    later = Meeting.objects.create(
        body=session.meeting.body,
        kind=MeetingKind.SPECIAL,
        name="Folgesitzung",
        slug="folgesitzung",
        start_date=session.meeting.start_date + datetime.timedelta(days=30),
        state=MeetingState.INVITED,
    )
    register_all(later)
    return AgendaItem.objects.create(
        meeting=later, order=1, number="1", title="Genehmigung des Protokolls"
    )


# --- draft from the record ---------------------------------------------------------------------


def test_the_draft_is_written_from_the_record_with_outcome_wording_and_declarations(session):
    item = session.items[0]
    _vote_all(session, item, except_codes=("DE-BE",))
    protocol_declaration_add(
        agenda_item=item,
        state=session.state("DE-BY"),
        text="Bayern erklärt: Die Umsetzung erfolgt im Rahmen der Haushaltsmittel.",
        user=session.member("DE-BY"),
    )

    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)

    record = current_version(minutes).record
    first = record["items"][0]
    assert [i["title"] for i in record["items"]] == [
        "Beschlussvorschlag 1",
        "Beschlussvorschlag 2",
        "Beschlussvorschlag 3",
    ]
    assert first["ballots"][0]["wording"] == (
        "einstimmig angenommen (15 Ja, 0 Nein, 0 Enthaltungen; nicht abgestimmt: Berlin)"
    )
    assert first["declarations"] == [
        {
            "state": "Bayern",
            "text": "Bayern erklärt: Die Umsetzung erfolgt im Rahmen der Haushaltsmittel.",
        }
    ]
    assert len(record["attendance"]) == 16
    assert minutes.status == MinutesStatus.DRAFT
    assert ActivityLog.objects.filter(action="minutes.minutes.drafted").count() == 1


def test_a_draft_is_refused_before_the_meeting_is_held_twice_and_for_others(session):
    member = session.member("DE-HH")
    with pytest.raises(MinutesError, match="Nur die Geschäftsstelle"):
        minutes_create_draft(meeting=session.meeting, user=member)
    session.meeting.state = MeetingState.INVITED
    session.meeting.save(update_fields=["state"])
    with pytest.raises(MinutesError, match="erst angelegt werden, wenn die Sitzung durchgeführt"):
        minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    session.meeting.state = MeetingState.HELD
    session.meeting.save(update_fields=["state"])
    minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    with pytest.raises(MinutesError, match="bereits ein Protokoll"):
        minutes_create_draft(meeting=session.meeting, user=session.secretariat)


# --- circulation and comments ------------------------------------------------------------------


def test_circulating_sets_the_bodys_deadline_and_mails_the_laender(
    session, django_capture_on_commit_callbacks
):
    body = session.meeting.body
    body.minutes_comment_days = 10
    body.save(update_fields=["minutes_comment_days"])
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        minutes_circulate(minutes=minutes, user=session.secretariat)

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED
    assert minutes.comment_deadline == timezone.localdate() + datetime.timedelta(days=10)
    assert len(mail.outbox) == 16
    assert mail.outbox[0].subject == f"Protokollentwurf zur Stellungnahme: {session.meeting.name}"
    assert minutes.comment_deadline.strftime("%d.%m.%Y") in mail.outbox[0].body


def test_circulating_is_refused_twice_for_a_past_deadline_and_for_members(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    with pytest.raises(MinutesError, match="Nur die Geschäftsstelle"):
        minutes_circulate(minutes=minutes, user=session.member("DE-HH"))
    with pytest.raises(MinutesError, match="Vergangenheit"):
        minutes_circulate(
            minutes=minutes,
            user=session.secretariat,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    minutes_circulate(minutes=minutes, user=session.secretariat)
    with pytest.raises(MinutesError, match="Nur ein Entwurf"):
        minutes_circulate(minutes=minutes, user=session.secretariat)


def test_a_land_comments_only_for_itself(session):
    minutes = _circulated(session)
    hamburg = session.member("DE-HH")

    with pytest.raises(MinutesError, match="nur für Ihr eigenes Land"):
        minutes_comment(
            minutes=minutes, user=hamburg, state=session.state("DE-BY"), text="Für Bayern"
        )
    comment = minutes_comment(
        minutes=minutes,
        user=hamburg,
        state=session.state("DE-HH"),
        agenda_item=session.items[1],
        text="Bitte den Beratungsverlauf zu TOP 2 ergänzen.",
    )
    staff = user_with_role(MembershipRole.STATE_STAFF, session.state("DE-SN"))
    no_objection = minutes_comment(
        minutes=minutes, user=staff, state=session.state("DE-SN"), no_objection=True
    )

    assert (comment.state.code, comment.agenda_item, comment.kind, comment.version) == (
        "DE-HH",
        session.items[1],
        CommentKind.COMMENT,
        1,
    )
    assert (no_objection.kind, no_objection.agenda_item) == (CommentKind.NO_OBJECTION, None)
    with pytest.raises(MinutesError, match="nur für Ihr eigenes Land"):
        minutes_comment(
            minutes=minutes,
            user=session.secretariat,
            state=session.state("DE-HH"),
            text="Die Geschäftsstelle spricht für kein Land.",
        )


def test_comments_are_accepted_only_while_the_minutes_are_circulated(session):
    hamburg = session.member("DE-HH")
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    with pytest.raises(MinutesError, match="solange das Protokoll zur Stellungnahme steht"):
        minutes_comment(minutes=minutes, user=hamburg, state=session.state("DE-HH"), text="x")
    minutes_circulate(minutes=minutes, user=session.secretariat, deadline=timezone.localdate())
    minutes.comment_deadline = timezone.localdate() - datetime.timedelta(days=1)
    minutes.save(update_fields=["comment_deadline"])
    with pytest.raises(MinutesError, match="Frist zur Stellungnahme ist abgelaufen"):
        minutes_comment(minutes=minutes, user=hamburg, state=session.state("DE-HH"), text="x")
    with pytest.raises(MinutesError, match="Bitte geben Sie Ihre Anmerkung ein"):
        minutes.comment_deadline = timezone.localdate()
        minutes.save(update_fields=["comment_deadline"])
        minutes_comment(minutes=minutes, user=hamburg, state=session.state("DE-HH"), text="  ")
    minutes_start_written_approval(minutes=minutes, user=session.secretariat)
    with pytest.raises(MinutesError, match="solange das Protokoll zur Stellungnahme steht"):
        minutes_comment(minutes=minutes, user=hamburg, state=session.state("DE-HH"), text="x")


# --- revisions, conflicts, diff ----------------------------------------------------------------


def test_every_revision_is_kept_and_the_diff_shows_what_changed(session):
    minutes = _circulated(session)
    item = str(session.items[0].pk)
    minutes_revise(
        minutes=minutes,
        user=session.secretariat,
        texts={item: "Die Länder begrüßen den Vorschlag."},
        base_version=1,
    )
    minutes_revise(
        minutes=minutes,
        user=session.secretariat,
        texts={item: "Die Länder begrüßen den Vorschlag einhellig.<script>alert(1)</script>"},
        base_version=2,
        note="nach Stellungnahme Hamburg",
    )

    versions = list(minutes.versions.order_by("number"))
    assert [(v.number, v.kind) for v in versions] == [
        (1, VersionKind.DRAFT),
        (2, VersionKind.REVISION),
        (3, VersionKind.REVISION),
    ]
    assert versions[2].texts == {item: "Die Länder begrüßen den Vorschlag einhellig."}
    changed = [(d.op, d.text) for d in version_diff(versions[1], versions[2]) if d.op != "same"]
    assert changed == [
        ("removed", "Die Länder begrüßen den Vorschlag."),
        ("added", "Die Länder begrüßen den Vorschlag einhellig."),
    ]


def test_the_second_of_two_concurrent_saves_gets_both_texts_and_overwrites_nothing(session):
    minutes = _circulated(session)
    item = str(session.items[0].pk)
    other = secretariat_user(email="gs2@dmk.example")
    minutes_revise(minutes=minutes, user=other, texts={item: "Text der Kollegin."}, base_version=1)

    with pytest.raises(MinutesConflict) as caught:
        minutes_revise(
            minutes=minutes,
            user=session.secretariat,
            texts={item: "Mein eigener Text."},
            base_version=1,
        )

    assert "inzwischen von jemand anderem geändert (jetzt Fassung 2)" in caught.value.message
    assert caught.value.mine == {item: "Mein eigener Text."}
    assert caught.value.theirs == {item: "<p>Text der Kollegin.</p>"}
    minutes.refresh_from_db()
    assert minutes.version == 2
    assert current_version(minutes).texts == {item: "<p>Text der Kollegin.</p>"}


# --- approval, freezing, corrections -----------------------------------------------------------


def test_an_adopted_ballot_on_the_approval_item_approves_and_releases_the_meeting(session):
    minutes = _circulated(session)
    approval_item = _later_item(session)
    approval_item.meeting.start_date = timezone.localdate()
    approval_item.meeting.save(update_fields=["start_date"])
    minutes_schedule_approval(minutes=minutes, user=session.secretariat, agenda_item=approval_item)

    ballot = _vote_all(session, approval_item)
    approved = minutes_settle_ballot(ballot=ballot, user=session.secretariat)

    assert approved is not None
    minutes.refresh_from_db()
    session.meeting.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approving_ballot == ballot
    assert session.meeting.state == MeetingState.MINUTES_RELEASED
    assert ActivityLog.objects.filter(action="minutes.minutes.approved").count() == 1


def test_a_rejected_ballot_leaves_the_minutes_waiting(session):
    minutes = _circulated(session)
    approval_item = _later_item(session)
    approval_item.meeting.start_date = timezone.localdate()
    approval_item.meeting.save(update_fields=["start_date"])
    minutes_schedule_approval(minutes=minutes, user=session.secretariat, agenda_item=approval_item)

    ballot = _vote_all(session, approval_item, choice=Choice.NO)

    assert minutes_settle_ballot(ballot=ballot, user=session.secretariat) is None
    with pytest.raises(MinutesError, match="nicht genehmigt: Die Mehrheit fehlt"):
        minutes_approve(minutes=minutes, user=session.secretariat, ballot=ballot)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.IN_APPROVAL


def test_approval_is_refused_without_evidence_from_draft_and_on_the_same_meeting(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    with pytest.raises(MinutesError, match="zuerst zur Stellungnahme"):
        minutes_schedule_approval(
            minutes=minutes, user=session.secretariat, agenda_item=_later_item(session)
        )
    minutes_circulate(minutes=minutes, user=session.secretariat)
    with pytest.raises(MinutesError, match="späteren Sitzung desselben Gremiums"):
        minutes_schedule_approval(
            minutes=minutes, user=session.secretariat, agenda_item=session.items[0]
        )
    with pytest.raises(MinutesError, match="steht nicht zur Genehmigung"):
        minutes_approve(minutes=minutes, user=session.secretariat)
    minutes_start_written_approval(minutes=minutes, user=session.secretariat)
    with pytest.raises(MinutesError, match="noch nicht abgeschlossen"):
        minutes_approve(
            minutes=minutes, user=session.secretariat, procedure=minutes.written_procedure
        )


def test_a_written_procedure_approves_and_then_the_text_is_frozen(session):
    minutes = _circulated(session)
    minutes_start_written_approval(minutes=minutes, user=session.secretariat)
    procedure = minutes.written_procedure
    for state in session.states[:12]:
        written_vote_cast(
            procedure=procedure, user=session.member(state.code), state=state, choice="yes"
        )
    written_procedure_close(procedure=procedure, user=session.secretariat)

    minutes_approve(minutes=minutes, user=session.secretariat, procedure=procedure)

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    with pytest.raises(MinutesError, match="nur eine Berichtigung möglich"):
        minutes_revise(
            minutes=minutes,
            user=session.secretariat,
            texts={str(session.items[0].pk): "Nachträglich geändert."},
            base_version=minutes.version,
        )
    assert minutes.versions.count() == 1


def test_a_correction_after_approval_is_a_new_audited_berichtigung(session):
    minutes = _circulated(session)
    minutes_start_written_approval(minutes=minutes, user=session.secretariat)
    for state in session.states[:12]:
        written_vote_cast(
            procedure=minutes.written_procedure,
            user=session.member(state.code),
            state=state,
            choice="yes",
        )
    written_procedure_close(procedure=minutes.written_procedure, user=session.secretariat)
    minutes_approve(minutes=minutes, user=session.secretariat, procedure=minutes.written_procedure)
    item = str(session.items[0].pk)

    with pytest.raises(MinutesError, match="begründen"):
        minutes_correct(
            minutes=minutes, user=session.secretariat, texts={item: "x"}, base_version=1, reason=""
        )
    version = minutes_correct(
        minutes=minutes,
        user=session.secretariat,
        texts={item: "Schreibfehler im Namen berichtigt."},
        base_version=1,
        reason="Schreibfehler",
    )

    assert (version.number, version.kind, version.note) == (
        2,
        VersionKind.CORRECTION,
        "Schreibfehler",
    )
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    entry = ActivityLog.objects.get(action="minutes.minutes.corrected")
    assert entry.data == {"version": 2, "reason": "Schreibfehler"}


def test_a_correction_is_refused_before_approval(session):
    minutes = _circulated(session)
    with pytest.raises(MinutesError, match="nur bei einem genehmigten Protokoll"):
        minutes_correct(
            minutes=minutes, user=session.secretariat, texts={}, base_version=1, reason="x"
        )


# --- the PDF ----------------------------------------------------------------------------------


def test_pypdf_finds_every_top_every_land_and_each_declaration_in_the_minutes_pdf(session):
    item = session.items[0]
    _vote_all(session, item)
    declarations = {
        "DE-BY": "Bayern gibt zu Protokoll: Finanzierung nur im Rahmen des Haushalts.",
        "DE-HB": "Bremen gibt zu Protokoll: Die Kommunen sind frühzeitig zu beteiligen.",
    }
    for code, text in declarations.items():
        protocol_declaration_add(
            agenda_item=item, state=session.state(code), text=text, user=session.member(code)
        )
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)

    reader = PdfReader(io.BytesIO(minutes_pdf(minutes, current_version(minutes))))

    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for agenda_item in session.items:
        assert f"TOP {agenda_item.number}: {agenda_item.title}" in text
    for state in session.states:
        assert state.name in text
    for declaration in declarations.values():
        assert declaration in text
    assert "ENTWURF" in text
    assert f"Seite 1 von {len(reader.pages)}" in text
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert [t for t in outline if t.startswith("TOP")] == [
        "TOP 1: Beschlussvorschlag 1",
        "TOP 2: Beschlussvorschlag 2",
        "TOP 3: Beschlussvorschlag 3",
    ]
