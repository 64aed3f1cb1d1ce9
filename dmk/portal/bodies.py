"""Which body a portal page is about (issue 11 item 1, defect 8): taken from the meeting,
the paper or the procedure where there is one, else from the URL parameter ``konferenz``
(a body's short name), never from a constant.

Where a page concerns one body but names none (scheduling a meeting, drafting a paper,
starting a written procedure, the handover), :func:`chosen_body` picks among the bodies the
user may act in: the one named by ``konferenz``; else the only one; else the install's
default body ``settings.DMK_BODY_SHORT_NAME`` if it is among them; else the first by short
name. With one body on the install (the DMK) nothing changes for anybody.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from dmk.bodies.models import Body

#: The URL (GET or POST) parameter naming a body by its short name.
BODY_PARAMETER = "konferenz"


def chosen_body(request: HttpRequest, *, bodies: QuerySet[Body]) -> Body | None:
    """The body of the page among ``bodies`` (see the module docstring), or None when
    ``bodies`` is empty. A ``konferenz`` naming a body outside ``bodies`` is ignored."""
    choices = list(bodies)
    if not choices:
        return None
    wanted = request.POST.get(BODY_PARAMETER) or request.GET.get(BODY_PARAMETER) or ""
    by_name = {body.short_name: body for body in choices}
    if wanted in by_name:
        return by_name[wanted]
    if len(choices) == 1:
        return choices[0]
    default = getattr(settings, "DMK_BODY_SHORT_NAME", "DMK")
    return by_name.get(default, choices[0])
