"""The member portal ``/intern/`` (ARCHITECTURE.md): thin views over the selectors.

Every view needs a login; the second factor is enforced for the whole prefix by
``dmk.accounts.middleware.SecondFactorRequiredMiddleware``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dmk.access.policy import (
    can_hold_calendar_feed,
    can_open_directory,
    can_run_session,
    mailbox_body_ids,
    principal_for,
)
from dmk.meetings.selectors import upcoming_and_past


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page of the portal: what the user may do, and the next meetings they may see.

    The links shown follow the permission module (``dmk.access.policy``); the pages behind
    them check again on their own.
    """
    principal = principal_for(request.user)
    upcoming, past = upcoming_and_past(user=request.user, today=timezone.localdate())
    return render(
        request,
        "portal/home.html",
        {
            "principal": principal,
            "upcoming": upcoming[:5],
            "past": past[:3],
            "can_run_session": can_run_session(request.user),
            "can_open_directory": can_open_directory(request.user),
            "can_hold_calendar_feed": can_hold_calendar_feed(request.user),
            "can_use_mailbox": bool(mailbox_body_ids(request.user)),
        },
    )
