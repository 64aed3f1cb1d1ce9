"""The member portal ``/intern/`` (ARCHITECTURE.md): thin views over the selectors.

Every view needs a login; the second factor is enforced for the whole prefix by
``dmk.accounts.middleware.SecondFactorRequiredMiddleware``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dmk.access.policy import principal_for
from dmk.meetings.selectors import meeting_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page of the portal: the user's roles and the meetings they may see."""
    principal = principal_for(request.user)
    meetings = meeting_list(user=request.user)
    return render(request, "portal/home.html", {"principal": principal, "meetings": meetings})
