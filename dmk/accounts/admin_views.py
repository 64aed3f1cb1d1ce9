"""Back-office views of the accounts app: invitations (issue 4 item 1).

``/verwaltung/einladungen/`` lists the invitations (address, invited by, sent, valid until,
state) with a form to invite an address; open ones can be revoked (POST only). Only users who
may invite (``dmk.accounts.services.can_invite``: the Geschäftsstelle) get the page; the
back-office door (``dmk.accounts.middleware``) already refuses everybody without back-office
access with 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dmk.accounts.forms import InvitationSendForm
from dmk.accounts.models import Invitation
from dmk.accounts.services import (
    can_invite,
    invitation_days,
    invitation_revoke,
    invitation_send,
)

#: Rows shown on the page, newest first.
LIST_LIMIT = 200


def _require_inviter(request: HttpRequest) -> None:
    if not can_invite(request.user):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf Personen einladen."))


@require_http_methods(["GET", "POST"])
def invitation_index(request: HttpRequest) -> HttpResponse:
    """List of invitations and the form to invite an address (re-shown with errors: 400)."""
    _require_inviter(request)
    form = InvitationSendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s wird versendet.") % {"email": invitation.email},
            )
            return HttpResponseRedirect(reverse("accounts_invitations"))
    now = timezone.now()
    invitations = list(Invitation.objects.select_related("invited_by")[:LIST_LIMIT])
    rows = [(invitation, invitation.state_at(now)) for invitation in invitations]
    return render(
        request,
        "accounts/admin/invitations.html",
        {
            "form": form,
            "rows": rows,
            "open_states": (Invitation.State.PENDING, Invitation.State.OPEN),
            "page_title": _("Einladungen"),
            "header_icon": "user",
            "days": invitation_days(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke invitation ``pk`` (POST only), back to the list with a message."""
    _require_inviter(request)
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Die Einladung an %(email)s ist widerrufen.") % {"email": invitation.email},
        )
    return HttpResponseRedirect(reverse("accounts_invitations"))
