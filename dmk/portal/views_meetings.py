"""Portal views for preparing a meeting (issue 5): meetings, agenda, deadlines, attendance,
papers and their files. Thin: reads through selectors, writes through services, every
visibility decision through ``dmk.access.policy``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dmk.access.policy import (
    acts_for_a_land,
    bodies_run_by,
    can_download_pack,
    can_edit_minutes,
    can_prepare_meetings,
    can_run_session,
    is_secretariat_of,
    portal_bodies_of,
    principal_for,
    states_acted_for,
    visible_agenda_items,
    voting_state_ids,
)
from dmk.core.downloads import attach_filename, protected_file_response
from dmk.meetings import services as meeting_services
from dmk.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    RescheduleForm,
    mark_errors,
)
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.meetings.rules import days_left, is_past
from dmk.meetings.selectors import (
    attendance_board,
    meeting_deadlines,
    meeting_for_user,
    meeting_list,
    upcoming_and_past,
)
from dmk.meetings.services import attendance_register, meeting_create
from dmk.minutes.pack import pack_current
from dmk.minutes.selectors import minutes_for_user
from dmk.papers.forms import FileForm, PaperForm, SponsorForm, SubmitForm
from dmk.papers.models import Consultation, PaperSponsor
from dmk.papers.selectors import meeting_consultations, own_papers, paper_for_user
from dmk.papers.services import (
    consultation_place_on_agenda,
    consultation_refuse,
    file_for_download,
    paper_create,
    paper_file_add,
    paper_submit,
    paper_update,
    sponsor_answer,
    sponsor_invite,
)
from dmk.portal.bodies import chosen_body
from dmk.voting.models import BallotState
from dmk.voting.selectors import meeting_ballots

#: Days before a deadline from which the checklist warns (DOMAIN rule 7: "warns before").
WARN_DAYS = 7
_OPEN_STATES = (MeetingState.PLANNED, MeetingState.SCHEDULED, MeetingState.INVITED)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    mark_errors(form)


# --- meetings ---------------------------------------------------------------------------------


@login_required
def meeting_index(request: HttpRequest) -> HttpResponse:
    """Upcoming and past meetings the user may see."""
    upcoming, past = upcoming_and_past(user=request.user, today=timezone.localdate())
    return render(
        request,
        "portal/meeting_index.html",
        {
            "upcoming": upcoming,
            "past": past,
            "is_secretariat": principal_for(request.user).is_secretariat,
        },
    )


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    """The Geschäftsstelle schedules a meeting of the body it runs (regular ones get the next
    ordinal); ``?konferenz=`` chooses among several bodies (``dmk.portal.bodies``; issue 11
    item 1, defect 8: never a constant body)."""
    body = chosen_body(request, bodies=bodies_run_by(request.user))
    if body is None:
        raise PermissionDenied
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = meeting_create(
                    actor=request.user,
                    body=body,
                    organization=body.organizations.filter(kind="plenary").first()
                    if data["kind"] != "working_body"
                    else None,
                    kind=data["kind"],
                    name=data["name"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    place=data["place"],
                    venue=data["venue"],
                    video_url=data["video_url"],
                    is_public=data["is_public"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Die Sitzung ist angelegt."))
                return redirect("portal:meeting_detail", slug=meeting.slug)
        return render(request, "portal/meeting_form.html", {"form": form, "body": body}, status=400)
    return render(request, "portal/meeting_form.html", {"form": MeetingForm(), "body": body})


def _checklist(meeting) -> list[dict[str, Any]]:
    found = meeting_deadlines(meeting)
    if found is None:
        return []
    now = timezone.now()
    items = [
        (_("Einladung und Entwurf der Tagesordnung"), found.invitation),
        (_("Anmeldung von Tagesordnungspunkten"), found.registration),
        (_("Einreichung von Vorlagen"), found.papers),
    ]
    rows = []
    for label, day in items:
        left = days_left(day, now)
        if is_past(day, now):
            status, css = _("Frist abgelaufen"), "passed"
        elif left <= WARN_DAYS:
            status, css = _("Frist endet bald"), "warning"
        else:
            status, css = _("offen"), "open"
        rows.append({"label": label, "date": day, "days_left": left, "status": status, "css": css})
    return rows


@login_required
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A meeting: agenda, visible papers, deadlines as a checklist, my Land's registration;
    for the Geschäftsstelle also the agenda form, state buttons and the Tischvorlagen that
    wait for the chair's consent (issue 5 items 4 and 8)."""
    return _meeting_page(request, _meeting_or_404(request, slug))


def _meeting_or_404(request: HttpRequest, slug: str) -> Meeting:
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    return meeting


def _prepared_meeting(request: HttpRequest, slug: str) -> Meeting:
    """The meeting ``slug`` for a write of the Geschäftsstelle of its body: 403 for everybody
    else, the staff of another body included (``dmk.access.policy.can_prepare_meetings``,
    issue 11 item 1), 404 for an unknown meeting."""
    if not can_prepare_meetings(request.user):
        raise PermissionDenied
    meeting = _meeting_or_404(request, slug)
    if not can_prepare_meetings(request.user, body=meeting.body_id):
        raise PermissionDenied
    return meeting


#: State buttons on the meeting page: action → (service, success message).
_STATE_ACTIONS = {
    "invite": (meeting_services.meeting_invite, gettext_lazy("Die Einladung wird versandt.")),
    "hold": (
        meeting_services.meeting_hold,
        gettext_lazy("Die Sitzung ist als durchgeführt vermerkt."),
    ),
    "cancel": (meeting_services.meeting_cancel, gettext_lazy("Die Sitzung ist abgesagt.")),
}
_STATE_TARGETS = {
    "invite": MeetingState.INVITED,
    "hold": MeetingState.HELD,
}
# "Protokoll freigegeben" is reached only by approving the minutes (issue 12 item 2,
# ``dmk.minutes.services.minutes_approve``), never by a button of its own.


def _state_actions(meeting: Meeting) -> list[str]:
    """The state buttons that fit ``meeting``'s state (the services decide again): the
    next step of the OParl life cycle (an invitation needs a date) and cancellation before
    the meeting is held."""
    allowed = meeting_services.TRANSITIONS[meeting.state]
    actions = [
        action
        for action, target in _STATE_TARGETS.items()
        if target in allowed and not (action == "invite" and meeting.start_date is None)
    ]
    if meeting.state in _OPEN_STATES:
        actions.append("cancel")
    return actions


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    agenda_form: AgendaItemForm | None = None,
) -> HttpResponse:
    principal = principal_for(request.user)
    body_id = meeting.body_id
    own_states = principal.state_ids_in(body_id)
    my_attendance = list(
        meeting.attendances.filter(state_id__in=own_states).select_related("state")
    )
    agenda = list(
        visible_agenda_items(
            request.user,
            # the written procedures stopped onto an item (DOMAIN rule 8; issue 11, Build 4)
            meeting.agenda_items.prefetch_related("oral_written_procedures__stopped_by_state"),
        )
    )
    if agenda:
        open_ballots = {
            b.agenda_item_id: b for b in meeting_ballots(meeting).filter(state=BallotState.OPEN)
        }
        for item in agenda:
            item.open_ballot = open_ballots.get(item.pk)
    consultations = meeting_consultations(user=request.user, meeting=meeting)
    is_open = meeting.state in _OPEN_STATES
    context = {
        "meeting": meeting,
        "agenda": agenda,
        # Who is led to an open ballot: the Geschäftsstelle to its cockpit, a member or
        # deputy voting for a Land (DOMAIN rule 1) to the ballot page; nobody else.
        "runs_session": can_run_session(request.user, body=body_id),
        "may_vote": bool(voting_state_ids(request.user, meeting=meeting)),
        "consultations": consultations,
        "checklist": _checklist(meeting),
        "my_attendance": my_attendance,
        "acts_for_land": bool(own_states),
        "is_secretariat": principal.is_secretariat_of(body_id),
        # written procedures are internal (``written_procedure_list``): no link for guests
        "sees_written_procedures": principal.is_internal_in(body_id),
        "is_open": is_open,
        # issue 12: minutes and meeting pack
        "minutes_link": (
            can_edit_minutes(request.user)
            and meeting.state in (MeetingState.HELD, MeetingState.MINUTES_RELEASED)
        )
        or minutes_for_user(user=request.user, meeting=meeting) is not None,
        "may_pack": can_download_pack(request.user, meeting),
        "pack": pack_current(user=request.user, meeting=meeting),
    }
    if can_prepare_meetings(request.user, body=body_id):
        unplaced = [c for c in consultations if c.agenda_item_id is None]
        context.update(
            {
                "prepares": True,
                "manage_agenda": is_open,
                "agenda_form": agenda_form or AgendaItemForm(),
                "state_actions": _state_actions(meeting),
                "may_reschedule": is_open,
                "awaiting_consent": [
                    c for c in unplaced if c.is_tischvorlage and c.chair_refused_at is None
                ],
                "in_time_unplaced": [c for c in unplaced if not c.is_tischvorlage],
            }
        )
    return render(request, "portal/meeting_detail.html", context, status=status)


def _agenda_item_values(form: AgendaItemForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in (
            "number",
            "title",
            "kind",
            "public",
            "in_parliamentary_procedure",
            "touches_it_planungsrat",
            "institutional",
            "lead_states",
            "co_sponsor_states",
            "lead_note",
            "topics",
        )
    }


@login_required
@require_POST
def agenda_item_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The "TOP hinzufügen" form on the meeting page (Geschäftsstelle; issue 5 items 2 and 8). Bad
    input re-shows the meeting page with the typed values and a German message (400)."""
    meeting = _prepared_meeting(request, slug)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            item = meeting_services.agenda_item_add(
                actor=request.user, meeting=meeting, **_agenda_item_values(form)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Der Tagesordnungspunkt %(number)s ist hinzugefügt.") % {"number": item.number},
            )
            return redirect("portal:meeting_detail", slug=meeting.slug)
    return _meeting_page(request, meeting, status=400, agenda_form=form)


def _agenda_item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise Http404
    return item


@login_required
def agenda_item_edit(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """Change a TOP (Geschäftsstelle); the rules of ``agenda_item_update`` apply."""
    meeting = _prepared_meeting(request, slug)
    item = _agenda_item_or_404(meeting, item_id)
    status = 200
    if request.method == "POST":
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            try:
                meeting_services.agenda_item_update(
                    actor=request.user, item=item, **_agenda_item_values(form)
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Der Tagesordnungspunkt ist gespeichert."))
                return redirect("portal:meeting_detail", slug=meeting.slug)
        status = 400
    else:
        form = AgendaItemForm(
            initial={
                "number": item.number,
                "title": item.title,
                "kind": item.kind,
                "public": item.public,
                "in_parliamentary_procedure": item.in_parliamentary_procedure,
                "touches_it_planungsrat": item.touches_it_planungsrat,
                "institutional": item.institutional,
                "lead_states": list(item.lead_states.all()),
                "co_sponsor_states": list(item.co_sponsor_states.all()),
                "lead_note": item.lead_note,
                "topics": list(item.topics.all()),
            }
        )
    return render(
        request,
        "portal/meetings/agenda_item_form.html",
        {"meeting": meeting, "item": item, "form": form},
        status=status,
    )


def _refused(request: HttpRequest, exc: ValidationError, meeting: Meeting) -> HttpResponse:
    """A refused button press: the service's German message on the meeting page."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("portal:meeting_detail", slug=meeting.slug)


def _agenda_button(request: HttpRequest, slug: str, item_id: int, write, success: str):
    """Run ``write(item)`` for a button on an agenda row; a refusal (ValidationError) comes
    back as the service's German message on the meeting page."""
    meeting = _prepared_meeting(request, slug)
    item = _agenda_item_or_404(meeting, item_id)
    try:
        write(item)
    except ValidationError as exc:
        return _refused(request, exc, meeting)
    messages.success(request, success)
    return redirect("portal:meeting_detail", slug=meeting.slug)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """Move a TOP one place up or down (``direction`` "up"/"down")."""
    return _agenda_button(
        request,
        slug,
        item_id,
        lambda item: meeting_services.agenda_item_move(
            actor=request.user, item=item, direction=request.POST.get("direction", "")
        ),
        _("Die Reihenfolge ist geändert."),
    )


@login_required
@require_POST
def agenda_item_delete(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """Remove a TOP without ballot or resolution; otherwise a German refusal."""
    return _agenda_button(
        request,
        slug,
        item_id,
        lambda item: meeting_services.agenda_item_remove(actor=request.user, item=item),
        _("Der Tagesordnungspunkt ist entfernt."),
    )


@login_required
@require_POST
def meeting_state_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite, hold, release the minutes or cancel (``action``), through the services of
    ``dmk.meetings.services`` (OParl life cycle; issue 5 items 1 and 5)."""
    meeting = _prepared_meeting(request, slug)
    action = _STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unbekannte Aktion."))
        return redirect("portal:meeting_detail", slug=meeting.slug)
    service, success = action
    try:
        service(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        return _refused(request, exc, meeting)
    messages.success(request, success)
    return redirect("portal:meeting_detail", slug=meeting.slug)


@login_required
def meeting_reschedule(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a meeting to another date, time or place (raises the iCalendar SEQUENCE; an
    invited meeting gets an updated invitation, RFC 5546)."""
    meeting = _prepared_meeting(request, slug)
    status = 200
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                meeting_services.meeting_reschedule(
                    actor=request.user, meeting=meeting, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Die Sitzung ist verlegt."))
                return redirect("portal:meeting_detail", slug=meeting.slug)
        status = 400
    else:
        form = RescheduleForm(initial={f: getattr(meeting, f) for f in RescheduleForm.base_fields})
    return render(
        request,
        "portal/meetings/reschedule_form.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


@login_required
@require_POST
def consultation_decide(request: HttpRequest, slug: str, consultation_id: int) -> HttpResponse:
    """Put a submitted paper on a TOP of the meeting — a Tischvorlage only with the chair's
    consent, recorded by the Geschäftsstelle (``decision=consent``) — or record the chair's
    refusal (``decision=refuse``). DOMAIN rule 7; issue 5 item 4."""
    meeting = _prepared_meeting(request, slug)
    consultation = Consultation.objects.filter(pk=consultation_id, meeting=meeting).first()
    if consultation is None:
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        if decision == "refuse":
            consultation_refuse(actor=request.user, consultation=consultation)
            message = _("Die Ablehnung des Vorsitzes ist vermerkt.")
        else:
            item_id = request.POST.get("agenda_item", "")
            item = (
                AgendaItem.objects.filter(pk=int(item_id), meeting=meeting).first()
                # ASCII digits only: "²".isdigit() is True but int("²") fails (never a 500)
                if item_id.isascii() and item_id.isdigit() and len(item_id) <= 18
                else None
            )
            if item is None:
                raise ValidationError(_("Bitte wählen Sie einen Tagesordnungspunkt."))
            consultation_place_on_agenda(
                actor=request.user,
                consultation=consultation,
                agenda_item=item,
                chair_consent=decision == "consent",
            )
            message = _("Die Vorlage steht auf der Tagesordnung (TOP %(number)s).") % {
                "number": item.number
            }
    except ValidationError as exc:
        return _refused(request, exc, meeting)
    messages.success(request, message)
    return redirect("portal:meeting_detail", slug=meeting.slug)


@login_required
def attendance_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A Land registers who represents it at the meeting (DOMAIN rule 1)."""
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    states = states_acted_for(request.user, body=meeting.body_id)
    if not states.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = AttendanceForm(request.POST, states=states)
        if form.is_valid():
            try:
                attendance_register(
                    actor=request.user,
                    meeting=meeting,
                    state=form.cleaned_data["state"],
                    role=form.cleaned_data["role"],
                    representative_name=form.cleaned_data["representative_name"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Die Anmeldung ist gespeichert."))
                return redirect("portal:meeting_detail", slug=meeting.slug)
        status = 400
    else:
        current = meeting.attendances.filter(state__in=states).first()
        initial = {"state": states.first()}
        if current is not None:
            initial = {
                "state": current.state,
                "role": current.role,
                "representative_name": current.representative_name,
            }
        form = AttendanceForm(initial=initial, states=states)
        status = 200
    return render(
        request,
        "portal/attendance_form.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


@login_required
def attendance_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The Geschäftsstelle's 16-Länder attendance board (of its own body's meetings only,
    issue 11 item 1)."""
    if not principal_for(request.user).is_secretariat:
        raise PermissionDenied
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    if not is_secretariat_of(request.user, meeting.body_id):
        raise PermissionDenied
    board = attendance_board(meeting)
    registered = sum(1 for _state, row in board if row is not None and row.role)
    return render(
        request,
        "portal/attendance_board.html",
        {"meeting": meeting, "board": board, "registered": registered},
    )


# --- papers -----------------------------------------------------------------------------------


@login_required
def paper_index(request: HttpRequest) -> HttpResponse:
    """The papers of my Land (drafts included); all papers for the Geschäftsstelle. The link
    to draft a new paper only for those who may draft (``paper_new``: Länder roles and the
    Geschäftsstelle)."""
    papers = own_papers(user=request.user)
    principal = principal_for(request.user)
    return render(
        request,
        "portal/paper_index.html",
        {
            "papers": papers,
            # the same people ``paper_new`` lets in
            "may_draft": acts_for_a_land(request.user),
            "is_secretariat": principal.is_secretariat,
        },
    )


@login_required
def paper_new(request: HttpRequest) -> HttpResponse:
    """Draft a new paper of my Land, optionally with its first file, in the body the user acts
    in (``?konferenz=`` chooses among several: ``dmk.portal.bodies``; issue 11 item 1,
    defect 8)."""
    body = chosen_body(request, bodies=portal_bodies_of(request.user))
    if body is None:
        raise PermissionDenied
    states = states_acted_for(request.user, body=body)
    if not states.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = PaperForm(request.POST, request.FILES, states=states)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                paper = paper_create(
                    actor=request.user,
                    body=body,
                    state=form.cleaned_data["state"],
                    title=form.cleaned_data["title"],
                    paper_type=form.cleaned_data["paper_type"],
                    text_source=form.cleaned_data["text_source"],
                    upload_name=upload.name if upload else "",
                    upload_stream=upload.file if upload else None,
                    upload_size=upload.size if upload else None,
                    submission_token=form.cleaned_data.get("submission_token"),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Der Entwurf ist gespeichert."))
                return redirect("portal:paper_detail", slug=paper.slug)
        return render(request, "portal/paper_form.html", {"form": form, "new": True}, status=400)
    form = PaperForm(
        states=states, initial={"state": states.first(), "submission_token": uuid.uuid4()}
    )
    return render(request, "portal/paper_form.html", {"form": form, "new": True})


def _paper_or_404(request: HttpRequest, slug: str):
    paper = paper_for_user(user=request.user, slug=slug)
    if paper is None:
        raise Http404
    return paper


def _is_author(user: Any, paper) -> bool:
    """The Geschäftsstelle of the paper's body, or a user acting for its author Land in that
    body (issue 11 item 1)."""
    principal = principal_for(user)
    return principal.is_secretariat_of(paper.body_id) or (
        paper.author_state_id in principal.state_ids_in(paper.body_id)
    )


def _submittable_meetings(user: Any, paper=None):
    """Open, dated, upcoming meetings ``user`` sees — without those ``paper`` is already
    submitted for (a paper is submitted once per meeting)."""
    meetings = meeting_list(user=user).filter(
        state__in=_OPEN_STATES, start_date__gte=timezone.localdate()
    )
    if paper is not None:
        meetings = meetings.exclude(consultations__paper=paper)
    return meetings


def _paper_page(request: HttpRequest, paper, *, status: int = 200, **forms) -> HttpResponse:
    principal = principal_for(request.user)
    is_author = _is_author(request.user, paper)
    context = {
        "paper": paper,
        "files": paper.files.all(),
        "sponsors": paper.sponsors.all(),
        "consultations": paper.consultations.all(),
        "is_author": is_author,
        "my_invitations": [
            s
            for s in paper.sponsors.all()
            if s.state_id in principal.state_ids_in(paper.body_id) and s.status == "invited"
        ],
    }
    if is_author:
        context["file_form"] = forms.get("file_form") or FileForm()
        context["sponsor_form"] = forms.get("sponsor_form") or SponsorForm()
        submit_form = forms.get("submit_form") or SubmitForm(
            meetings=_submittable_meetings(request.user, paper)
        )
        context["submit_form"] = submit_form
        context["may_submit"] = (
            submit_form.is_bound or submit_form.fields["meeting"].queryset.exists()
        )
    return render(request, "portal/paper_detail.html", context, status=status)


@login_required
def paper_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A paper the user may see: text, files, co-sponsors, submission."""
    return _paper_page(request, _paper_or_404(request, slug))


@login_required
def paper_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change title, type and text of a paper of my Land."""
    paper = _paper_or_404(request, slug)
    if not _is_author(request.user, paper):
        raise PermissionDenied
    if request.method == "POST":
        form = PaperForm(request.POST, with_state=False, with_file=False)
        if form.is_valid():
            try:
                paper_update(
                    actor=request.user,
                    paper=paper,
                    title=form.cleaned_data["title"],
                    paper_type=form.cleaned_data["paper_type"],
                    text_source=form.cleaned_data["text_source"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Die Vorlage ist gespeichert."))
                return redirect("portal:paper_detail", slug=paper.slug)
        return render(request, "portal/paper_form.html", {"form": form, "paper": paper}, status=400)
    form = PaperForm(
        with_state=False,
        with_file=False,
        initial={
            "title": paper.title,
            "paper_type": paper.paper_type,
            "text_source": paper.text_source,
        },
    )
    return render(request, "portal/paper_form.html", {"form": form, "paper": paper})


@login_required
@require_POST
def paper_file_upload(request: HttpRequest, slug: str) -> HttpResponse:
    paper = _paper_or_404(request, slug)
    if not _is_author(request.user, paper):
        raise PermissionDenied
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            paper_file_add(
                actor=request.user,
                paper=paper,
                name=upload.name,
                stream=upload.file,
                size=upload.size,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Die Datei ist gespeichert."))
            return redirect("portal:paper_detail", slug=paper.slug)
    return _paper_page(request, paper, status=400, file_form=form)


@login_required
@require_POST
def paper_sponsor_invite(request: HttpRequest, slug: str) -> HttpResponse:
    paper = _paper_or_404(request, slug)
    if not _is_author(request.user, paper):
        raise PermissionDenied
    form = SponsorForm(request.POST)
    if form.is_valid():
        try:
            sponsor_invite(actor=request.user, paper=paper, state=form.cleaned_data["state"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Das Land ist eingeladen."))
            return redirect("portal:paper_detail", slug=paper.slug)
    return _paper_page(request, paper, status=400, sponsor_form=form)


@login_required
@require_POST
def paper_sponsor_answer(request: HttpRequest, slug: str, sponsor_id: int) -> HttpResponse:
    paper = _paper_or_404(request, slug)
    sponsor = PaperSponsor.objects.filter(pk=sponsor_id, paper=paper).first()
    if sponsor is None:
        raise Http404
    sponsor_answer(actor=request.user, sponsor=sponsor, accept=request.POST.get("accept") == "1")
    messages.success(request, _("Ihre Antwort ist gespeichert."))
    return redirect("portal:paper_detail", slug=paper.slug)


@login_required
@require_POST
def paper_submit_view(request: HttpRequest, slug: str) -> HttpResponse:
    paper = _paper_or_404(request, slug)
    if not _is_author(request.user, paper):
        raise PermissionDenied
    # all open meetings: a second submission for the same meeting gets the service's message
    form = SubmitForm(request.POST, meetings=_submittable_meetings(request.user))
    if form.is_valid():
        try:
            consultation = paper_submit(
                actor=request.user, paper=paper, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if consultation.is_tischvorlage:
                messages.warning(
                    request,
                    _(
                        "Die Vorlagenfrist ist abgelaufen: Die Vorlage ist als Tischvorlage "
                        "eingereicht und braucht die Zustimmung des Vorsitzes."
                    ),
                )
            else:
                messages.success(request, _("Die Vorlage ist eingereicht."))
            return redirect("portal:paper_detail", slug=paper.slug)
    return _paper_page(request, paper, status=400, submit_form=form)


@login_required
def paper_file_download(request: HttpRequest, slug: str, file_id: int) -> HttpResponse:
    """Download a file version — only if ``dmk.access.policy.can_view_paper`` allows the
    paper (DOMAIN rule 11, guests included); otherwise 404, so a draft's existence is not
    revealed. Content-Disposition carries the original name (RFC 6266,
    ``dmk.core.downloads``)."""
    paper_file = file_for_download(user=request.user, paper_slug=slug, file_id=file_id)
    if paper_file is None:
        raise Http404
    response = protected_file_response(
        paper_file.file, filename=paper_file.original_name, content_type=paper_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def public_calendar(request: HttpRequest) -> HttpResponse:
    """``/sitzungen.ics``: dated, publicly announced meetings as an iCalendar feed (RFC 5545).
    Public: uses the same selector as the public archive (anonymous user)."""
    from django.contrib.auth.models import AnonymousUser

    from dmk.meetings.ical import public_feed

    meetings = meeting_list(user=AnonymousUser()).filter(start_date__isnull=False)
    response = HttpResponse(public_feed(meetings), content_type="text/calendar; charset=utf-8")
    attach_filename(response, "sitzungen.ics", inline=True)
    return response
