"""Session cockpit and voting pages of the member portal (issue 6; DOMAIN rules 1–6).

Thin views: parse the input with a form, call a service of ``dmk.voting`` or
``dmk.resolutions``, render. Every refusal of a service (:class:`VotingError`) is shown as a
German message on the page the user came from, with what they typed; never a 500.
The live parts poll a fragment view every second with HTMX (no inline JS).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dmk.access.policy import bodies_run_by, can_run_session, can_see_written_choices
from dmk.bodies.models import State
from dmk.core.downloads import attach_filename
from dmk.meetings.models import Meeting
from dmk.meetings.selectors import attendance_board, present_state_ids
from dmk.meetings.services import attendance_set_present
from dmk.minutes.services import MinutesError, minutes_settle_ballot
from dmk.portal.bodies import chosen_body
from dmk.resolutions.models import Resolution
from dmk.resolutions.services import resolution_adopt, resolution_release
from dmk.voting.forms import (
    DeclarationForm,
    ResolutionForm,
    TransferForm,
    VoteForm,
    WrittenProcedureForm,
)
from dmk.voting.models import Ballot, Choice, VoteTransfer, WrittenProcedure
from dmk.voting.proof import written_procedure_proof_pdf, written_procedure_rows
from dmk.voting.selectors import (
    ballot_for,
    ballot_table,
    declarations_of,
    meeting_ballots,
    meeting_transfers,
    proposal_texts,
    states_user_may_vote_for,
    votes_of,
    written_procedure_list,
    written_states_user_may_vote_for,
)
from dmk.voting.services import (
    VotingError,
    ballot_close,
    ballot_open,
    protocol_declaration_add,
    vote_cast,
    vote_correct,
    vote_transfer_create,
    vote_transfer_revoke,
    written_procedure_close,
    written_procedure_demand_oral,
    written_procedure_place_waiting,
    written_procedure_start,
    written_procedures_waiting,
    written_vote_cast,
    written_vote_correct,
)
from dmk.voting.wording import ballot_outcome_sentence, written_procedure_outcome_sentence


def _cockpit_meeting(request: HttpRequest, slug: str) -> Meeting:
    """The meeting ``slug`` for its cockpit: 403 unless the user is the Geschäftsstelle of
    the meeting's body (issue 11 item 1: another body's staff do not run it), 404 for an
    unknown meeting."""
    if not can_run_session(request.user):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf die Sitzung leiten."))
    meeting = get_object_or_404(Meeting.objects.select_related("body"), slug=slug)
    if not can_run_session(request.user, body=meeting.body_id):
        raise PermissionDenied(
            _("Nur die Geschäftsstelle dieses Gremiums darf die Sitzung leiten.")
        )
    return meeting


def _render_cockpit(
    request: HttpRequest,
    meeting: Meeting,
    *,
    error: str | None = None,
    transfer_form: TransferForm | None = None,
    posted: dict[str, Any] | None = None,
    roll_call: set[int] | None = None,
    status: int = 200,
) -> HttpResponse:
    ballots_by_item: dict[int, list[Ballot]] = {}
    for ballot in meeting_ballots(meeting).select_related("resolution").prefetch_related("votes"):
        ballots_by_item.setdefault(ballot.agenda_item_id, []).append(ballot)
    texts = proposal_texts(meeting)
    states = list(State.objects.order_by("name_de"))
    items = [
        {
            "item": item,
            "ballots": [
                {
                    "ballot": b,
                    "status": _status_context(b) if b.is_open else None,
                    "sentence": "" if b.is_open else ballot_outcome_sentence(b, states=states),
                }
                for b in ballots_by_item.get(item.pk, [])
            ],
            "has_open": any(b.is_open for b in ballots_by_item.get(item.pk, [])),
            # A closed ballot is the record of the item: the cockpit offers no second one
            # (issue 11, defect 7; ``ballot_open`` refuses it too).
            "may_open": not item.in_parliamentary_procedure and item.pk not in ballots_by_item,
            "proposal_text": texts.get(item.pk, ""),
        }
        for item in meeting.agenda_items.order_by("order")
    ]
    present = present_state_ids(meeting)
    ticked = present if roll_call is None else roll_call
    context = {
        "meeting": meeting,
        "items": items,
        "roll_call": [
            {"state": state, "attendance": attendance, "ticked": state.pk in ticked}
            for state, attendance in attendance_board(meeting)
        ],
        "transfers": meeting_transfers(meeting),
        "states": states,
        "present_states": [s for s in states if s.pk in present],
        "transfer_form": transfer_form or TransferForm(meeting=meeting),
        "choices": Choice.choices,
        "error": error,
        "posted": posted or {},
    }
    return render(request, "portal/cockpit.html", context, status=status)


@login_required
@require_GET
def cockpit(request: HttpRequest, slug: str) -> HttpResponse:
    """The session cockpit of the Geschäftsstelle: ballots per item, transfers, resolutions."""
    meeting = _cockpit_meeting(request, slug)
    return _render_cockpit(request, meeting)


def _done(request: HttpRequest, meeting: Meeting, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("portal:voting_cockpit", slug=meeting.slug)


@login_required
@require_POST
def cockpit_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """The roll call (Anwesenheit feststellen, DOMAIN rules 1 and 4): the ticked Länder
    (POST ``present``, State keys) are present, all others absent; or, with POST ``toggle``
    (one State key), only that Land switches between present and absent."""
    meeting = _cockpit_meeting(request, slug)
    try:
        if "toggle" in request.POST:
            toggled = {int(request.POST["toggle"])}
            wanted = present_state_ids(meeting) ^ toggled
        else:
            wanted = {int(pk) for pk in request.POST.getlist("present")}
    except ValueError:
        return _render_cockpit(
            request, meeting, error=_("Bitte wählen Sie nur Länder aus der Liste."), status=400
        )
    try:
        attendance_set_present(actor=request.user, meeting=meeting, state_ids=wanted)
    except ValidationError as exc:
        return _render_cockpit(
            request, meeting, error=" ".join(exc.messages), roll_call=wanted, status=400
        )
    return _done(
        request,
        meeting,
        _("Die Anwesenheit ist festgestellt: %(count)s von %(total)s Ländern anwesend.")
        % {"count": len(wanted), "total": State.objects.count()},
    )


@login_required
@require_POST
def cockpit_ballot_open(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    item = get_object_or_404(meeting.agenda_items, pk=item_id)
    try:
        ballot_open(agenda_item=item, user=request.user)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, status=400)
    return _done(request, meeting, _("Die Abstimmung zu %(item)s ist eröffnet.") % {"item": item})


@login_required
@require_POST
def cockpit_ballot_close(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    ballot = get_object_or_404(Ballot, pk=ballot_id, agenda_item__meeting=meeting)
    try:
        ballot_close(ballot=ballot, user=request.user)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, status=400)
    # A ballot on a TOP "Genehmigung des Protokolls" approves those minutes (issue 12 item 2).
    ballot.refresh_from_db()
    try:
        approved = minutes_settle_ballot(ballot=ballot, user=request.user)
    except MinutesError as exc:
        return _render_cockpit(request, meeting, error=exc.message, status=400)
    if approved is not None:
        messages.success(
            request,
            _("Das Protokoll der Sitzung „%(meeting)s“ ist damit genehmigt.")
            % {"meeting": approved.meeting.name},
        )
    return _done(request, meeting, capfirst(ballot_outcome_sentence(ballot)) + ".")


@login_required
@require_POST
def cockpit_vote_record(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """The Geschäftsstelle records a Land's vote on its behalf ("erfasst durch", rule 1); with
    a ``reason`` it corrects the Land's cast vote instead (issue 11 Build 2, audited)."""
    meeting = _cockpit_meeting(request, slug)
    ballot = get_object_or_404(Ballot, pk=ballot_id, agenda_item__meeting=meeting)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _render_cockpit(
            request,
            meeting,
            error=_("Bitte wählen Sie ein Land und eine Stimme."),
            posted=request.POST.dict(),
            status=400,
        )
    data = form.cleaned_data
    reason = request.POST.get("reason", "").strip()
    try:
        if reason:
            vote_correct(
                ballot=ballot,
                user=request.user,
                state=data["state"],
                choice=data["choice"],
                cabinet_reservation=data["cabinet_reservation"],
                reason=reason,
            )
        else:
            vote_cast(
                ballot=ballot,
                user=request.user,
                state=data["state"],
                choice=data["choice"],
                cabinet_reservation=data["cabinet_reservation"],
                on_behalf=True,
            )
    except VotingError as exc:
        return _render_cockpit(
            request, meeting, error=exc.message, posted=request.POST.dict(), status=400
        )
    text = (
        _("Die Stimme von %(land)s ist berichtigt.")
        if reason
        else _("Die Stimme von %(land)s ist erfasst.")
    )
    return _done(request, meeting, text % {"land": data["state"].name})


@login_required
@require_POST
def cockpit_transfer_create(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    form = TransferForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _render_cockpit(
            request,
            meeting,
            error=_("Bitte prüfen Sie die Angaben zur Stimmrechtsübertragung."),
            transfer_form=form,
            status=400,
        )
    try:
        transfer = vote_transfer_create(meeting=meeting, user=request.user, **form.cleaned_data)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, transfer_form=form, status=400)
    return _done(
        request,
        meeting,
        _("%(from)s hat seine Stimme an %(to)s übertragen.")
        % {"from": transfer.from_state.name, "to": transfer.to_state.name},
    )


@login_required
@require_POST
def cockpit_transfer_revoke(request: HttpRequest, slug: str, transfer_id: int) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    transfer = get_object_or_404(VoteTransfer, pk=transfer_id, meeting=meeting)
    try:
        vote_transfer_revoke(transfer=transfer, user=request.user)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, status=400)
    return _done(request, meeting, _("Die Stimmrechtsübertragung ist widerrufen."))


@login_required
@require_POST
def cockpit_resolution_adopt(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    ballot = get_object_or_404(Ballot, pk=ballot_id, agenda_item__meeting=meeting)
    form = ResolutionForm(request.POST)
    posted = {"ballot": ballot.pk, **request.POST.dict()}
    if not form.is_valid():
        return _render_cockpit(
            request,
            meeting,
            error=_("Bitte geben Sie einen Titel für den Beschluss ein."),
            posted=posted,
            status=400,
        )
    try:
        resolution = resolution_adopt(ballot=ballot, user=request.user, **form.cleaned_data)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, posted=posted, status=400)
    except ValidationError as exc:
        return _render_cockpit(
            request, meeting, error=" ".join(exc.messages), posted=posted, status=400
        )
    return _done(
        request,
        meeting,
        _("Beschluss %(number)s ist erfasst (Entwurf).") % {"number": resolution.number},
    )


@login_required
@require_POST
def cockpit_resolution_release(request: HttpRequest, slug: str, resolution_id: int) -> HttpResponse:
    meeting = _cockpit_meeting(request, slug)
    resolution = get_object_or_404(Resolution, pk=resolution_id, meeting=meeting)
    try:
        resolution_release(resolution=resolution, user=request.user)
    except VotingError as exc:
        return _render_cockpit(request, meeting, error=exc.message, status=400)
    return _done(
        request,
        meeting,
        _("Beschluss %(number)s ist veröffentlicht.") % {"number": resolution.number},
    )


# --- the voting page of a Land's representative -------------------------------------------------


def _vote_form_error(form: VoteForm) -> str:
    """The German message for an invalid :class:`VoteForm`: about the Land when the Land is
    missing or unknown (issue 11, defect 9), else about the choice."""
    if "state" in form.errors:
        return _("Dieses Land ist nicht bekannt. Bitte wählen Sie ein Land aus der Liste.")
    return _("Bitte wählen Sie Ja, Nein oder Enthaltung.")


def _ballot_or_403(request: HttpRequest, ballot_id: int) -> Ballot:
    """The ballot if the user takes part (internal roles and guests), else 403 (or 404)."""
    ballot = ballot_for(user=request.user, pk=ballot_id)
    if ballot is None:
        get_object_or_404(Ballot, pk=ballot_id)
        raise PermissionDenied(_("Sie nehmen an dieser Sitzung nicht teil."))
    return ballot


def _render_ballot(
    request: HttpRequest,
    ballot: Ballot,
    *,
    error: str | None = None,
    posted: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    options = states_user_may_vote_for(ballot=ballot, user=request.user)
    current = {v.state_id: v for v in votes_of(ballot)}
    context = {
        "ballot": ballot,
        "item": ballot.agenda_item,
        "meeting": ballot.agenda_item.meeting,
        "options": [
            {"state": state, "transfer": transfer, "vote": current.get(state.pk)}
            for state, transfer in options
        ],
        "choices": Choice.choices,
        "declarations": declarations_of(ballot.agenda_item),
        "declaration_form": DeclarationForm(),
        "error": error,
        "posted": posted or {},
        **_status_context(ballot),
    }
    return render(request, "portal/voting.html", context, status=status)


@login_required
def ballot_page(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The voting page: a Land's representative casts their Land's vote and any transferred
    vote (DOMAIN rules 1, 4, 6); everybody taking part sees the live status."""
    ballot = _ballot_or_403(request, ballot_id)
    if request.method != "POST":
        return _render_ballot(request, ballot)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _render_ballot(
            request,
            ballot,
            error=_vote_form_error(form),
            posted=request.POST.dict(),
            status=400,
        )
    data = form.cleaned_data
    try:
        vote_cast(
            ballot=ballot,
            user=request.user,
            state=data["state"],
            choice=data["choice"],
            cabinet_reservation=data["cabinet_reservation"],
        )
    except VotingError as exc:
        return _render_ballot(
            request, ballot, error=exc.message, posted=request.POST.dict(), status=400
        )
    messages.success(
        request, _("Die Stimme von %(land)s ist abgegeben.") % {"land": data["state"].name}
    )
    return redirect("portal:voting_ballot", ballot_id=ballot.pk)


@login_required
@require_POST
def ballot_declaration(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """A Land adds a Protokollerklärung to the ballot's item (DOMAIN rule 6)."""
    ballot = _ballot_or_403(request, ballot_id)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return _render_ballot(
            request,
            ballot,
            error=_("Bitte wählen Sie ein Land und geben Sie den Text der Erklärung ein."),
            posted=request.POST.dict(),
            status=400,
        )
    try:
        protocol_declaration_add(
            agenda_item=ballot.agenda_item, user=request.user, **form.cleaned_data
        )
    except VotingError as exc:
        return _render_ballot(
            request, ballot, error=exc.message, posted=request.POST.dict(), status=400
        )
    messages.success(request, _("Die Protokollerklärung ist gespeichert."))
    return redirect("portal:voting_ballot", ballot_id=ballot.pk)


@login_required
@require_GET
def ballot_status(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The live fragment (polled every second by HTMX): which Länder have voted; after
    closing the per-Land table and the outcome (issue 6 item 5)."""
    ballot = _ballot_or_403(request, ballot_id)
    return render(request, "portal/voting_status.html", _status_context(ballot))


def _status_context(ballot: Ballot) -> dict[str, Any]:
    rows = ballot_table(ballot)
    outcome = ballot.stored_outcome
    return {
        "ballot": ballot,
        "rows": rows,
        "voted_count": sum(1 for row in rows if row["vote"] is not None),
        "outcome": outcome,
        "announcement": ballot_announcement(ballot, rows),
        "sentence": ballot_outcome_sentence(ballot),
    }


_LAND_SENTENCES = {
    Choice.YES: gettext_lazy("%(land)s hat mit Ja gestimmt."),
    Choice.NO: gettext_lazy("%(land)s hat mit Nein gestimmt."),
    Choice.ABSTAIN: gettext_lazy("%(land)s hat sich enthalten."),
}


def ballot_announcement(ballot: Ballot, rows: list[dict[str, Any]]) -> str:
    """What the polite live region of the voting page says (issue 18 item 7): one text per
    state of the ballot — it changes only when the ballot opens or closes, never with the
    count of votes, so a screen reader hears each event once. Closed: the outcome, then one
    sentence per Land ("Bayern hat mit Ja gestimmt.", "Bremen hat nicht abgestimmt.")."""
    item = ballot.agenda_item
    number = item.number or str(item.order)
    if ballot.is_open:
        return _("Die Abstimmung zu TOP %(number)s ist eröffnet.") % {"number": number}
    parts = [_("Die Abstimmung zu TOP %(number)s ist geschlossen.") % {"number": number}]
    sentence = ballot_outcome_sentence(ballot)  # the one outcome wording (issue 11, Build 3)
    if sentence:
        parts.append(capfirst(sentence) + ".")
    for row in rows:
        land, vote = row["state"].name, row["vote"]
        if vote is None:
            parts.append(_("%(land)s hat nicht abgestimmt.") % {"land": land})
            continue
        sentence = str(_LAND_SENTENCES[vote.choice]) % {"land": land}
        if vote.cabinet_reservation:
            sentence = sentence[:-1] + " " + _("(unter Kabinettsvorbehalt).")
        parts.append(sentence)
    return " ".join(parts)


# --- written procedure (Umlaufverfahren, DOMAIN rule 8) ------------------------------------------


def _written_or_403(request: HttpRequest, pk: int) -> WrittenProcedure:
    procedure = written_procedure_list(user=request.user).filter(pk=pk).first()
    if procedure is None:
        get_object_or_404(WrittenProcedure, pk=pk)
        raise PermissionDenied(_("Sie haben keinen Zugang zu diesem Umlaufverfahren."))
    return procedure


@login_required
def written_index(request: HttpRequest) -> HttpResponse:
    """The written procedures of the user's bodies; the Geschäftsstelle starts new ones here,
    for the body it runs (``?konferenz=`` chooses among several: ``dmk.portal.bodies``;
    issue 11 item 1, defect 8)."""
    procedures = written_procedure_list(user=request.user)
    start_body = chosen_body(request, bodies=bodies_run_by(request.user))
    can_start = start_body is not None
    form = WrittenProcedureForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST":
        if start_body is None:
            raise PermissionDenied(_("Nur die Geschäftsstelle leitet Umlaufverfahren ein."))
        if form.is_valid():
            try:
                procedure = written_procedure_start(
                    body=start_body,
                    user=request.user,
                    **form.cleaned_data,
                )
            except VotingError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, _("Das Umlaufverfahren ist eingeleitet."))
                return redirect("portal:written_detail", pk=procedure.pk)
        else:
            error, status = _("Bitte prüfen Sie Ihre Eingaben."), 400
    return render(
        request,
        "portal/written_index.html",
        {
            "procedures": procedures,
            "can_start": can_start,
            "start_body": start_body,
            "form": form,
            "error": error,
            # DOMAIN rule 8, issue 11 Build 4: stopped procedures waiting for a meeting
            "waiting": written_procedures_waiting() if can_start else [],
        },
        status=status,
    )


def _render_written(
    request: HttpRequest,
    procedure: WrittenProcedure,
    *,
    error: str | None = None,
    refusal: VotingError | None = None,
    status=200,
) -> HttpResponse:
    rows = written_procedure_rows(procedure)
    own = written_states_user_may_vote_for(user=request.user, procedure=procedure)
    votes = {row["state"].pk: row["vote"] for row in rows}
    can_run = can_run_session(request.user, body=procedure.body_id)
    corrections = _correction_forms(request, procedure, rows, refusal=refusal) if can_run else []
    if refusal is not None and not any(entry["posted"] for entry in corrections):
        error = refusal.message  # no form to show it next to (an unknown Land)
    context = {
        "procedure": procedure,
        "rows": rows,
        "answered": sum(1 for row in rows if row["vote"] is not None),
        "options": [{"state": s, "vote": votes.get(s.pk)} for s in own],
        "choices": Choice.choices,
        "outcome": procedure.stored_outcome,
        "sentence": written_procedure_outcome_sentence(procedure),
        "can_run": can_run,
        "corrections": corrections,
        "refusal": refusal,
        "error": error,
        "posted": request.POST.dict() if request.method == "POST" else {},
    }
    return render(request, "portal/written_detail.html", context, status=status)


def _correction_forms(
    request: HttpRequest,
    procedure: WrittenProcedure,
    rows: list[dict[str, Any]],
    *,
    refusal: VotingError | None = None,
) -> list[dict[str, Any]]:
    """The correction forms of the Geschäftsstelle (issue 11 Build 2; DOMAIN rule 8): one per
    Land that has answered the running procedure, preset to its answer. After a refused
    correction the posted Land's form is open and keeps what was typed (choice,
    Kabinettsvorbehalt, reason) and carries the ``refusal`` as ``error`` — ``field``
    ``"choice"`` or ``"reason"`` to show it next to that input, else ``"form"`` — also when
    the procedure has stopped or closed meanwhile or the Land has no answer, so that nothing
    typed is lost. Only for the Geschäftsstelle of
    the procedure's body: the caller decides with :func:`dmk.access.policy.can_run_session`."""
    posted = request.POST if request.method == "POST" else None
    if posted is not None and posted.get("action") != "correct":
        posted = None
    forms_ = []
    for row in rows:
        state, vote = row["state"], row["vote"]
        is_posted = posted is not None and posted.get("state", "") == str(state.pk)
        if not is_posted and (vote is None or not procedure.is_open):
            continue
        if is_posted:
            values = {
                "choice": posted.get("choice", ""),
                "cabinet_reservation": bool(posted.get("cabinet_reservation")),
                "reason": posted.get("reason", ""),
            }
        else:
            values = {
                "choice": vote.choice,
                "cabinet_reservation": vote.cabinet_reservation,
                "reason": "",
            }
        error = None
        if is_posted and refusal is not None:
            field = refusal.field if refusal.field in ("choice", "reason") else "form"
            error = {"field": field, "message": refusal.message}
        forms_.append(
            {"state": state, "vote": vote, "values": values, "posted": is_posted, "error": error}
        )
    return forms_


def _posted_state(request: HttpRequest) -> State:
    """The Land named by POST ``state`` (its primary key); a missing, non-numeric or unknown
    value raises :class:`VotingError` with a German message, never a 500."""
    field = forms.ModelChoiceField(queryset=State.objects.all())
    try:
        return field.clean(request.POST.get("state", ""))
    except ValidationError as exc:
        raise VotingError(_("Bitte wählen Sie ein Land."), field="state") from exc


@login_required
def written_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One written procedure: a Land answers (DOMAIN rules 1, 6, 8) or demands oral
    treatment; the Geschäftsstelle may close it early; everyone sees who has answered."""
    procedure = _written_or_403(request, pk)
    if request.method != "POST":
        return _render_written(request, procedure)
    action = request.POST.get("action", "vote")
    if action == "correct":
        return _written_correct(request, procedure)
    form = VoteForm(request.POST)
    try:
        if action == "close":
            written_procedure_close(procedure=procedure, user=request.user)
            text = _("Das Umlaufverfahren ist abgeschlossen.")
        elif action == "place":
            item = written_procedure_place_waiting(procedure=procedure, user=request.user)
            text = _(
                "Der Beschlussvorschlag steht jetzt als TOP %(number)s auf der Tagesordnung "
                "der Sitzung „%(meeting)s“."
            ) % {"number": item.number, "meeting": item.meeting}
        elif action == "oral":
            state = _posted_state(request)
            stopped = written_procedure_demand_oral(
                procedure=procedure, user=request.user, state=state
            )
            text = _("Mündliche Behandlung ist verlangt; das Umlaufverfahren ist gestoppt.")
            if stopped.oral_agenda_item is not None:
                text += " " + _(
                    "Der Beschlussvorschlag steht jetzt als TOP %(number)s auf der Tagesordnung "
                    "der Sitzung „%(meeting)s“."
                ) % {
                    "number": stopped.oral_agenda_item.number,
                    "meeting": stopped.oral_agenda_item.meeting,
                }
            else:
                text += " " + _("Er wartet auf die nächste Sitzung; es ist noch keine geplant.")
        elif form.is_valid():
            data = form.cleaned_data
            written_vote_cast(
                procedure=procedure,
                user=request.user,
                state=data["state"],
                choice=data["choice"],
                cabinet_reservation=data["cabinet_reservation"],
            )
            text = _("Die Stimme von %(land)s ist abgegeben.") % {"land": data["state"].name}
        else:
            raise VotingError(_vote_form_error(form))
    except VotingError as exc:
        return _render_written(request, procedure, error=exc.message, status=400)
    messages.success(request, text)
    return redirect("portal:written_detail", pk=procedure.pk)


def _written_correct(request: HttpRequest, procedure: WrittenProcedure) -> HttpResponse:
    """The Geschäftsstelle of the procedure's body corrects a Land's answer with a reason
    (issue 11 Build 2; DOMAIN rule 8) through
    :func:`dmk.voting.services.written_vote_correct`.

    Anybody else gets 403 before the input is looked at, so they learn nothing about the
    answers. A refusal re-shows the page with status 400, the German message next to the
    field it concerns and what was typed kept."""
    if not can_run_session(request.user, body=procedure.body_id):
        raise PermissionDenied(
            _("Nur die Geschäftsstelle kann eine Antwort im Umlaufverfahren berichtigen.")
        )
    try:
        state = _posted_state(request)
        written_vote_correct(
            procedure=procedure,
            user=request.user,
            state=state,
            choice=request.POST.get("choice", ""),
            cabinet_reservation=bool(request.POST.get("cabinet_reservation")),
            reason=request.POST.get("reason", ""),
        )
    except VotingError as exc:
        return _render_written(request, procedure, refusal=exc, status=400)
    messages.success(request, _("Die Antwort von %(land)s ist berichtigt.") % {"land": state.name})
    return redirect("portal:written_detail", pk=procedure.pk)


@login_required
@require_GET
def written_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof PDF (PDF/UA-1): each Land's answer, who cast it and when; while no outcome
    is stored, the choices only for the Geschäftsstelle of the procedure's body (others see
    "hat geantwortet", as on the page)."""
    procedure = _written_or_403(request, pk)
    show_choices = can_see_written_choices(request.user, procedure=procedure)
    pdf = written_procedure_proof_pdf(procedure, show_choices=show_choices)
    response = HttpResponse(pdf, content_type="application/pdf")
    return attach_filename(response, f"umlaufverfahren-{procedure.pk}-nachweis.pdf")
