"""The chair-period handover screen ``/intern/vorsitz/uebergabe/`` (issue 3 item 4; DOMAIN
rule 10, seed §2.4): the current Geschäftsstelle sees who loses and who gains the
Geschäftsstelle role, confirms, and the service moves it. Permission from
``dmk.access.policy.can_hand_over``; the preview from ``dmk.bodies.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dmk.access.policy import bodies_run_by, can_hand_over
from dmk.bodies.selectors import HandoverPreview, handover_preview
from dmk.bodies.services import chair_period_handover
from dmk.portal.bodies import chosen_body


def _token(preview: HandoverPreview | None) -> str:
    """Names the handover the form was shown for ("from-to" primary keys), so that a second
    POST after the handover (or one for a stale page) is recognised and refused."""
    if preview is None or preview.to_period is None:
        return ""
    return f"{preview.from_period.pk}-{preview.to_period.pk}"


def _refusal(request: HttpRequest, preview: HandoverPreview | None) -> str:
    """A German message why the posted handover cannot run, or "" when it can."""
    if request.POST.get("uebergabe", "") != _token(preview) or preview is None:
        return _(
            "Diese Übergabe ist bereits erfolgt oder nicht mehr aktuell. Unten sehen Sie den "
            "aktuellen Stand."
        )
    if preview.to_period is None:
        return _("Es ist noch keine folgende Vorsitzperiode angelegt.")
    if not preview.gaining:
        return _(
            "Für das künftige Vorsitzland ist keine Länder-Ansprechperson benannt. Benennen Sie "
            "zuerst die künftige Geschäftsstelle."
        )
    if not preview.pending:
        return _("Die Geschäftsstelle ist bereits übergeben; es gibt nichts mehr zu tun.")
    if request.POST.get("confirm") != "yes":
        return _("Bitte bestätigen Sie die Übergabe mit dem Häkchen.")
    return ""


@login_required
def handover(request: HttpRequest) -> HttpResponse:
    """GET: the preview; POST (with ``confirm=yes`` and the shown ``uebergabe`` token): run
    ``chair_period_handover`` and show its result. Only the Geschäftsstelle of the body
    (``?konferenz=`` chooses among several, ``dmk.portal.bodies``; issue 11 item 1), others
    403. The handover moves the role and with it the back-office group
    (``dmk.access.backoffice``)."""
    body = chosen_body(request, bodies=bodies_run_by(request.user))
    if body is None or not can_hand_over(request.user, body=body):
        raise PermissionDenied
    preview = handover_preview(body=body)
    error = ""
    if request.method == "POST":
        error = _refusal(request, preview)
        if not error and preview is not None and preview.to_period is not None:
            try:
                created = chair_period_handover(
                    from_period=preview.from_period,
                    to_period=preview.to_period,
                    new_secretariat_persons=preview.gaining,
                    actor=request.user,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return render(
                    request,
                    "portal/handover/done.html",
                    {"preview": preview, "created": created},
                )
    return render(
        request,
        "portal/handover/index.html",
        {"preview": preview, "token": _token(preview), "error": error},
        status=200,
    )
