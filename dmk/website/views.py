"""Public archive views: sessions, resolutions, papers, Länder, chair periods (issue 2 item 5).

Thin: each view asks a selector (which asks ``dmk.access``) and renders.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import escape_uri_path

from dmk.access.policy import can_view
from dmk.bodies.models import ChairPeriod, State
from dmk.bodies.selectors import current_chair_period, nomination_board
from dmk.meetings.selectors import meeting_list
from dmk.papers.selectors import paper_list
from dmk.resolutions.selectors import resolution_list


def meeting_index(request: HttpRequest) -> HttpResponse:
    meetings = meeting_list(user=request.user)
    return render(request, "website/meeting_index.html", {"meetings": meetings})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(meeting_list(user=request.user), slug=slug)
    resolutions = resolution_list(user=request.user).filter(meeting=meeting)
    papers = paper_list(user=request.user).filter(consultations__meeting=meeting).distinct()
    return render(
        request,
        "website/meeting_detail.html",
        {"meeting": meeting, "resolutions": resolutions, "papers": papers},
    )


def resolution_index(request: HttpRequest) -> HttpResponse:
    resolutions = resolution_list(user=request.user)
    return render(request, "website/resolution_index.html", {"resolutions": resolutions})


def resolution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resolution = get_object_or_404(resolution_list(user=request.user), slug=slug)
    return render(request, "website/resolution_detail.html", {"resolution": resolution})


def paper_detail(request: HttpRequest, slug: str) -> HttpResponse:
    paper = get_object_or_404(paper_list(user=request.user), slug=slug)
    meetings = meeting_list(user=request.user).filter(consultations__paper=paper).distinct()
    return render(request, "website/paper_detail.html", {"paper": paper, "meetings": meetings})


def paper_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The paper's source text as a file, under its German file name (RFC 6266 ``filename*``).

    404 when the paper is not visible to the user (``dmk.access``) or has no source text.
    """
    paper = get_object_or_404(paper_list(user=request.user), slug=slug)
    if not can_view(request.user, paper) or not paper.text_source:
        raise Http404
    filename = paper.source_filename or f"{paper.slug}.md"
    response = HttpResponse(paper.text_source, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def state_index(request: HttpRequest) -> HttpResponse:
    """``/laender/``: the 16 Länder with member and permanent deputy of the current chair
    period — name and function only, never contact details (issue 3 item 8)."""
    period = current_chair_period()
    if period is None:
        rows = [{"state": s, "member": None, "deputy": None} for s in State.objects.all()]
    else:
        rows = nomination_board(period)
    return render(request, "website/state_index.html", {"rows": rows, "period": period})


def chair_period_index(request: HttpRequest) -> HttpResponse:
    periods = ChairPeriod.objects.prefetch_related("chairs").select_related("body")
    return render(request, "website/chair_period_index.html", {"periods": periods})
