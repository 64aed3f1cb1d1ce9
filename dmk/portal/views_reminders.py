"""The Geschäftsstelle's "Erinnerung senden" button on a meeting's checklist (issue 5 item 4)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dmk.meetings.selectors import meeting_for_user
from dmk.papers.reminders import meeting_reminders_send


@login_required
@require_POST
def meeting_remind(request: HttpRequest, slug: str) -> HttpResponse:
    """POST: remind every Land of the meeting that has not registered or submitted, for the
    deadlines not yet passed, at most once per deadline
    (``dmk.papers.reminders.meeting_reminders_send``). 404 for a meeting the user may not
    see, 403 unless Geschäftsstelle."""
    meeting = meeting_for_user(user=request.user, slug=slug)
    if meeting is None:
        raise Http404
    sent = meeting_reminders_send(actor=request.user, meeting=meeting)  # 403 if not allowed
    lands = len({r.state_id for r in sent})
    if sent:
        messages.success(
            request,
            ngettext(
                "Erinnerungen an %(count)d Land werden versandt.",
                "Erinnerungen an %(count)d Länder werden versandt.",
                lands,
            )
            % {"count": lands},
        )
    else:
        messages.info(
            request,
            _(
                "Keine neuen Erinnerungen: Alle Länder haben gemeldet und eingereicht, sind "
                "schon erinnert, oder die Fristen sind abgelaufen."
            ),
        )
    return redirect("portal:meeting_detail", slug=meeting.slug)
