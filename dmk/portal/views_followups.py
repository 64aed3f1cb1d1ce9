"""The follow-up page of the member portal, ``/intern/nachverfolgung/`` (issue 6 item 6).

Thin views: parse with a form from ``dmk.resolutions.forms``, ask the selector, call a
service of ``dmk.resolutions.services``, render. Who may see and change what is decided in
``dmk.access.policy`` (``can_view_followups``, ``can_create_followup``,
``can_update_followup``; DOMAIN rule 11). A refused input is shown again with what the user
typed and a German message (status 400); never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dmk.access.policy import can_create_followup, can_update_followup, can_view_followups
from dmk.resolutions.forms import FollowUpCreateForm, FollowUpFilterForm, FollowUpStatusForm
from dmk.resolutions.models import FollowUp
from dmk.resolutions.selectors import followup_list, resolution_list
from dmk.resolutions.services import followup_create, followup_update_status


def _require_followups(request: HttpRequest) -> None:
    if not can_view_followups(request.user):
        raise PermissionDenied(
            _(
                "Die Nachverfolgung steht Mitgliedern, Stellvertretungen, "
                "Länder-Ansprechpersonen und der Geschäftsstelle offen."
            )
        )


def _prefix(followup: FollowUp) -> str:
    return f"auftrag-{followup.pk}"


def _back(request: HttpRequest, followup: FollowUp | None = None) -> str:
    """The list address with the filters the user had set (and the row's anchor)."""
    url = reverse("portal:followup_index")
    if request.GET:
        url += "?" + request.GET.urlencode()
    return url + (f"#{_prefix(followup)}" if followup else "")


def _render_index(
    request: HttpRequest,
    *,
    create_form: FollowUpCreateForm | None,
    failed: tuple[int, FollowUpStatusForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    filter_form = FollowUpFilterForm(request.GET or None)
    followups = followup_list(user=request.user, today=today, **filter_form.filters())
    rows: list[dict[str, Any]] = []
    for followup in followups:
        form = None
        if failed is not None and failed[0] == followup.pk:
            form = failed[1]
        elif can_update_followup(request.user, followup):
            form = FollowUpStatusForm(
                prefix=_prefix(followup),
                initial={"status": followup.status, "note": followup.progress_note},
            )
        rows.append({"followup": followup, "overdue": followup.is_overdue(today), "form": form})
    context = {
        "rows": rows,
        "filter_form": filter_form,
        "filtered": filter_form.is_bound,
        "create_form": create_form,
        "status_form_error": failed[1] if failed else None,
        "failed_pk": failed[0] if failed else None,
        "query": request.GET.urlencode(),
        "any_form": any(row["form"] for row in rows),
        "today": today,
    }
    return render(request, "portal/followups/index.html", context, status=status)


@login_required
def followup_index(request: HttpRequest) -> HttpResponse:
    """GET: the follow-ups the user may see, filtered by GET ``land``, ``status`` and
    ``ueberfaellig``. POST (the Geschäftsstelle only): give a resolution a new follow-up."""
    _require_followups(request)
    create_form = None
    if can_create_followup(request.user):
        create_form = FollowUpCreateForm(
            request.POST or None, resolutions=resolution_list(user=request.user)
        )
    if request.method != "POST":
        return _render_index(request, create_form=create_form)
    if create_form is None:
        raise PermissionDenied(_("Nur die Geschäftsstelle darf Aufträge anlegen."))
    if create_form.is_valid():
        try:
            followup = followup_create(actor=request.user, **create_form.cleaned_data)
        except ValidationError as exc:
            create_form.add_error(None, exc)
        else:
            messages.success(request, _("Der Auftrag ist angelegt."))
            return redirect(_back(request, followup))
    return _render_index(request, create_form=create_form, status=400)


@login_required
@require_POST
def followup_status(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a new status and progress note of follow-up ``pk`` (those allowed by
    ``can_update_followup``); a follow-up the user may not see is a 404."""
    _require_followups(request)
    followup = get_object_or_404(
        followup_list(user=request.user, today=timezone.localdate()), pk=pk
    )
    if not can_update_followup(request.user, followup):
        raise PermissionDenied(_("Sie dürfen den Stand dieses Auftrags nicht ändern."))
    form = FollowUpStatusForm(request.POST, prefix=_prefix(followup))
    if form.is_valid():
        try:
            followup_update_status(
                actor=request.user,
                followup=followup,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Der Stand des Auftrags ist gespeichert."))
            return redirect(_back(request, followup))
    create_form = None
    if can_create_followup(request.user):
        create_form = FollowUpCreateForm(resolutions=resolution_list(user=request.user))
    return _render_index(request, create_form=create_form, failed=(followup.pk, form), status=400)
