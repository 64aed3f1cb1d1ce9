"""Public view of the accounts app: accepting an invitation (issue 4 item 1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dmk.accounts.forms import InvitationAcceptForm
from dmk.accounts.services import (
    InvitationRefused,
    invitation_accept,
    invitation_check,
    invitation_days,
)

#: Answer per refusal: unknown (never issued, revoked) → 404, used or expired → 410 Gone.
REFUSAL_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_refused.html",
        {"reason": reason, "days": invitation_days()},
        status=REFUSAL_STATUS[reason],
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """``/konto/einladung/<token>/``: form "Passwort festlegen" (password twice).

    An unknown or revoked link answers 404, a used or expired one 410, each with a German
    page. After success the user is sent to the login with a note that the second factor
    is set up next (``dmk.accounts.middleware``).
    """
    ip_address = request.META.get("REMOTE_ADDR") or None
    try:
        invitation = invitation_check(token, ip_address=ip_address)
    except InvitationRefused as refused:
        return _refused(request, refused.reason)
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(
                token=token, password=form.cleaned_data["password1"], ip_address=ip_address
            )
        except InvitationRefused as refused:
            return _refused(request, refused.reason)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(
                request,
                _(
                    "Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt an. Als "
                    "Nächstes richten Sie Ihren zweiten Faktor ein (Authenticator-App oder "
                    "Sicherheitsschlüssel)."
                ),
            )
            return HttpResponseRedirect(reverse("account_login"))
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )
