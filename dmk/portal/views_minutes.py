"""Portal views of the minutes (Ergebnisprotokoll) and the meeting pack (Sitzungsmappe),
issue 12. Thin: reads through ``dmk.minutes.selectors``, writes through
``dmk.minutes.services`` and ``dmk.minutes.pack``; every visibility decision in
``dmk.access.policy``. A refused action shows its German message on the page with what the
user typed (status 400; a conflicting save 409 with both texts), never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dmk.access.policy import can_download_pack, can_edit_minutes
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.meetings.selectors import meeting_for_user
from dmk.minutes import services as minutes_services
from dmk.minutes.documents import minutes_pdf, sections, version_diff
from dmk.minutes.models import Minutes, MinutesStatus
from dmk.minutes.pack import PackError, pack_current, pack_request
from dmk.minutes.selectors import (
    approval_item_choices,
    comment_states,
    minutes_comments,
    minutes_for_user,
    minutes_versions,
)
from dmk.minutes.services import MinutesConflict, MinutesError, current_version
from dmk.voting.models import WrittenProcedureState


def _meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    return meeting


def _texts_from(request: HttpRequest, minutes: Minutes) -> dict[str, str]:
    ids = minutes.meeting.agenda_items.values_list("pk", flat=True)
    return {str(pk): request.POST.get(f"text-{pk}", "") for pk in ids}


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        raise MinutesError(_("Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ).")) from None


def _page(
    request: HttpRequest,
    meeting: Meeting,
    minutes: Minutes | None,
    *,
    status: int = 200,
    error: str = "",
    conflict: MinutesConflict | None = None,
    posted: dict[str, Any] | None = None,
) -> HttpResponse:
    editor = can_edit_minutes(request.user)
    context: dict[str, Any] = {
        "meeting": meeting,
        "minutes": minutes,
        "editor": editor,
        "error": error,
        "posted": posted or {},
        "may_create": editor and minutes is None and meeting.state == MeetingState.HELD,
    }
    if minutes is not None:
        version = current_version(minutes)
        comments = minutes_comments(minutes)
        items = sections(version)
        mine = conflict.mine if conflict else {}
        for item in items:
            key = str(item["id"])
            item["comments"] = [c for c in comments if c.agenda_item_id == item["id"]]
            item["edit_text"] = mine.get(key, item["text"]) if conflict else item["text"]
            item["conflict_mine"] = key in mine and mine[key] != item["text"]
        states = comment_states(user=request.user)
        context.update(
            {
                "version": version,
                "record": version.record,
                "sections": items,
                "general_comments": [c for c in comments if c.agenda_item_id is None],
                "versions": list(minutes_versions(minutes)),
                "conflict": conflict,
                "comment_states": states,
                "may_comment": bool(states) and minutes.status == MinutesStatus.CIRCULATED,
                "may_revise": editor and not minutes.is_frozen,
                "may_correct": editor and minutes.status == MinutesStatus.APPROVED,
                "may_circulate": editor and minutes.status == MinutesStatus.DRAFT,
                "may_submit": editor and minutes.status == MinutesStatus.CIRCULATED,
                "approval_items": list(approval_item_choices(minutes)) if editor else [],
                "written_ready": bool(
                    editor
                    and minutes.status == MinutesStatus.IN_APPROVAL
                    and minutes.written_procedure
                    and minutes.written_procedure.state == WrittenProcedureState.CLOSED
                ),
            }
        )
    return render(request, "portal/minutes/detail.html", context, status=status)


_SUCCESS = {
    "create": gettext_lazy("Der Protokollentwurf ist aus dem Sitzungsverlauf angelegt."),
    "revise": gettext_lazy("Die neue Fassung ist gespeichert."),
    "circulate": gettext_lazy("Der Entwurf ist zur Stellungnahme an die Länder versandt."),
    "comment": gettext_lazy("Ihre Stellungnahme ist gespeichert."),
    "no_objection": gettext_lazy("Ihre Erklärung „keine Einwände“ ist gespeichert."),
    "schedule": gettext_lazy("Das Protokoll steht zur Genehmigung auf der Tagesordnung."),
    "written": gettext_lazy("Das Umlaufverfahren zur Genehmigung ist eingeleitet."),
    "approve": gettext_lazy(
        "Das Protokoll ist genehmigt; die Sitzung ist als „Protokoll freigegeben“ vermerkt."
    ),
    "correct": gettext_lazy("Die Berichtigung ist als neue Fassung gespeichert."),
}


def _act(request: HttpRequest, meeting: Meeting, minutes: Minutes | None, action: str) -> None:
    """Run the service for ``action``; raises MinutesError / MinutesConflict."""
    user = request.user
    post = request.POST
    if action == "create":
        minutes_services.minutes_create_draft(meeting=meeting, user=user)
        return
    if minutes is None:
        raise MinutesError(_("Für diese Sitzung gibt es noch kein Protokoll."))
    if action == "revise":
        minutes_services.minutes_revise(
            minutes=minutes,
            user=user,
            texts=_texts_from(request, minutes),
            base_version=int(post.get("base_version") or 0),
            note=post.get("note", ""),
        )
    elif action == "correct":
        minutes_services.minutes_correct(
            minutes=minutes,
            user=user,
            texts=_texts_from(request, minutes),
            base_version=int(post.get("base_version") or 0),
            reason=post.get("reason", ""),
        )
    elif action == "circulate":
        minutes_services.minutes_circulate(
            minutes=minutes, user=user, deadline=_parse_date(post.get("deadline", ""))
        )
    elif action in ("comment", "no_objection"):
        states = {str(s.pk): s for s in comment_states(user=user)}
        state = states.get(post.get("state", ""))
        if state is None:
            raise MinutesError(_("Sie können nur für Ihr eigenes Land Stellung nehmen."))
        item = None
        if post.get("agenda_item"):
            item = AgendaItem.objects.filter(
                pk=post.get("agenda_item") if post.get("agenda_item", "").isdigit() else 0,
                meeting=meeting,
            ).first()
            if item is None:
                raise MinutesError(_("Dieser Tagesordnungspunkt gehört nicht zu der Sitzung."))
        minutes_services.minutes_comment(
            minutes=minutes,
            user=user,
            state=state,
            agenda_item=item,
            text=post.get("text", ""),
            no_objection=action == "no_objection",
        )
    elif action == "schedule":
        raw = post.get("approval_item", "")
        item = approval_item_choices(minutes).filter(pk=int(raw)).first() if raw.isdigit() else None
        if item is None:
            raise MinutesError(_("Bitte wählen Sie den Tagesordnungspunkt der späteren Sitzung."))
        minutes_services.minutes_schedule_approval(minutes=minutes, user=user, agenda_item=item)
    elif action == "written":
        minutes_services.minutes_start_written_approval(
            minutes=minutes, user=user, deadline=_parse_date(post.get("deadline", ""))
        )
    elif action == "approve":
        minutes_services.minutes_approve(
            minutes=minutes, user=user, procedure=minutes.written_procedure
        )
    else:
        raise MinutesError(_("Unbekannte Aktion."))


@login_required
@require_http_methods(["GET", "POST"])
def minutes_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """``/intern/sitzungen/<slug>/protokoll/``: the minutes page (issue 12 items 1–3, 6)."""
    meeting = _meeting(request, slug)
    minutes = minutes_for_user(user=request.user, meeting=meeting)
    if minutes is None and not can_edit_minutes(request.user):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, meeting, minutes, action)
        except MinutesConflict as exc:
            return _page(request, meeting, minutes, status=409, error=exc.message, conflict=exc)
        except MinutesError as exc:
            return _page(
                request,
                meeting,
                minutes,
                status=400,
                error=exc.message,
                posted=request.POST.dict(),
            )
        messages.success(request, str(_SUCCESS.get(action, "")))
        return redirect("portal:minutes_detail", slug=meeting.slug)
    return _page(request, meeting, minutes)


def _version_number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() else default


@login_required
def minutes_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """``/intern/sitzungen/<slug>/protokoll/vergleich/?von=1&zu=2``: what changed between
    two versions (issue 12 item 2), by default the previous and the current one."""
    meeting = _meeting(request, slug)
    minutes = minutes_for_user(user=request.user, meeting=meeting)
    if minutes is None:
        raise Http404
    versions = {v.number: v for v in minutes_versions(minutes)}
    new = versions.get(_version_number(request.GET.get("zu"), minutes.version))
    old = versions.get(_version_number(request.GET.get("von"), max(minutes.version - 1, 1)))
    if new is None or old is None:
        raise Http404
    return render(
        request,
        "portal/minutes/diff.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "old": old,
            "new": new,
            "versions": list(versions.values()),
            "lines": version_diff(old, new),
        },
    )


@login_required
def minutes_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    """``/intern/sitzungen/<slug>/protokoll.pdf``: the current version (or ``?fassung=N``)
    as a tagged PDF (issue 12 item 4)."""
    meeting = _meeting(request, slug)
    minutes = minutes_for_user(user=request.user, meeting=meeting)
    if minutes is None:
        raise Http404
    number = _version_number(request.GET.get("fassung"), minutes.version)
    version = minutes.versions.filter(number=number).first()
    if version is None:
        raise Http404
    response = HttpResponse(minutes_pdf(minutes, version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- meeting pack ------------------------------------------------------------------------------


def _pack_fragment(request: HttpRequest, meeting: Meeting, *, status: int = 200, error: str = ""):
    return render(
        request,
        "portal/meetings/_pack.html",
        {
            "meeting": meeting,
            "pack": pack_current(user=request.user, meeting=meeting),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_status(request: HttpRequest, slug: str) -> HttpResponse:
    """``/intern/sitzungen/<slug>/sitzungsmappe/``: GET the pack's status (an HTMX fragment
    polled while it is built), POST to request the pack (issue 12 item 5)."""
    meeting = _meeting(request, slug)
    if not can_download_pack(request.user, meeting):
        raise Http404
    if request.method == "POST":
        try:
            pack_request(user=request.user, meeting=meeting)
        except PackError as exc:
            return _pack_fragment(request, meeting, status=400, error=exc.message)
        if not request.headers.get("HX-Request"):
            messages.success(request, _("Die Sitzungsmappe wird erstellt."))
            return redirect("portal:meeting_detail", slug=meeting.slug)
    return _pack_fragment(request, meeting)


@login_required
def pack_download(request: HttpRequest, slug: str) -> HttpResponse:
    """``/intern/sitzungen/<slug>/sitzungsmappe.pdf``: the reader's pack for the current
    papers, if it is built; otherwise back to the meeting page with a hint (issue 12 item 5;
    the permission module decides, DOMAIN rule 11)."""
    meeting = _meeting(request, slug)
    if not can_download_pack(request.user, meeting):
        raise Http404
    pack = pack_current(user=request.user, meeting=meeting)
    if pack is None or not pack.is_ready:
        messages.info(
            request,
            _(
                "Die Sitzungsmappe ist noch nicht erstellt oder nicht mehr aktuell; bitte "
                "fordern Sie sie an."
            ),
        )
        return redirect("portal:meeting_detail", slug=meeting.slug)
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"Sitzungsmappe {meeting.name}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
