"""The nomination board of the current chair period (issue 3 item 3, DOMAIN rule 10)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from dmk.access.policy import (
    can_edit_nominations,
    can_open_directory,
    portal_bodies_of,
    principal_for,
)
from dmk.bodies.forms import NominationForm
from dmk.bodies.models import Person, State
from dmk.bodies.selectors import current_chair_period, nomination_board
from dmk.bodies.services import nomination_set
from dmk.portal.bodies import chosen_body


@login_required
def nomination_index(request: HttpRequest) -> HttpResponse:
    """``/intern/nominierungen/``: 16 Länder × member / permanent deputy or "fehlt"."""
    if not principal_for(request.user).is_internal:
        raise PermissionDenied
    body = chosen_body(request, bodies=portal_bodies_of(request.user))
    period = current_chair_period(body=body)
    if period is None:
        raise Http404
    rows = nomination_board(period)
    for row in rows:
        row["editable"] = can_edit_nominations(request.user, row["state"], body=period.body_id)
    missing = sum((row["member"] is None) + (row["deputy"] is None) for row in rows)
    return render(
        request,
        "portal/nominations.html",
        {"period": period, "rows": rows, "missing": missing},
    )


@login_required
def nomination_edit(request: HttpRequest, code: str) -> HttpResponse:
    """``/intern/nominierungen/<code>/``: name or replace the member or permanent deputy of
    one Land (its own Land for Länder users, any Land for the Geschäftsstelle)."""
    if len(code) > 10 or not code.isprintable():  # a NUL byte is a 500 on PostgreSQL
        raise Http404
    state = get_object_or_404(State, code=code)
    body = chosen_body(request, bodies=portal_bodies_of(request.user))
    period = current_chair_period(body=body)
    if period is None:
        raise PermissionDenied if not can_open_directory(request.user) else Http404
    if not can_open_directory(request.user) or not can_edit_nominations(
        request.user, state, body=period.body_id
    ):
        raise PermissionDenied
    persons = Person.objects.filter(state=state).order_by("sort_key", "pk")
    form = NominationForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            nomination_set(
                period=period,
                state=state,
                role=form.cleaned_data["role"],
                person=form.cleaned_data["person"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("portal:nomination_index")
    return render(
        request, "portal/nominations_edit.html", {"form": form, "state": state, "period": period}
    )
