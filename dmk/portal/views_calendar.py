"""The personal calendar feed (issue 5 item 5): the portal page ``/intern/kalender/`` and the
feed itself at ``/kalender/<token>.ics``.

The page shows the subscription URL only in the answer to the POST that created it: only
the token's hash is stored (``dmk.meetings.feeds``), so it cannot be shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dmk.access.policy import can_hold_calendar_feed
from dmk.core.downloads import attach_filename
from dmk.meetings.feeds import (
    active_feed,
    calendar_feed_create,
    calendar_feed_ical,
    calendar_feed_resolve,
    calendar_feed_revoke,
    feed_url,
)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """``/intern/kalender/``: whether a feed exists; POST ``action=create`` creates or renews
    it (the answer shows the new URL once), ``action=revoke`` revokes it. Users who may not
    hold a feed (``dmk.access.policy.can_hold_calendar_feed``) get 403."""
    if not can_hold_calendar_feed(request.user):
        raise PermissionDenied
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            _feed, token = calendar_feed_create(actor=request.user)
            new_url = feed_url(token)
        elif action == "revoke":
            if calendar_feed_revoke(actor=request.user):
                messages.success(request, _("Das Kalender-Abo ist widerrufen."))
            else:
                messages.info(request, _("Es besteht kein Kalender-Abo."))
            return redirect("portal:calendar")
        else:
            return HttpResponse(status=400)
    return render(
        request,
        "portal/calendar/page.html",
        {"feed": active_feed(request.user), "new_url": new_url},
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """``/kalender/<token>.ics``: the personal feed of the token's user, decided with the
    user's current rights (``dmk.meetings.feeds``); 404 for an unknown or revoked token or a
    user whose feed may not be served. Never cached (``Cache-Control: private, no-store``)."""
    found = calendar_feed_resolve(token)
    if found is None:
        raise Http404
    _feed, user = found
    response = HttpResponse(calendar_feed_ical(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    attach_filename(response, "sitzungen.ics", inline=True)
    response["X-Robots-Tag"] = "noindex"
    return response
