"""Public archive views: sessions, resolutions, papers, Länder, chair periods (issue 2 item 5).

Thin: each view asks a selector (which asks ``dmk.access``) and renders.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import escape_uri_path
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from dmk.access.policy import can_view
from dmk.bodies.models import ChairPeriod, State
from dmk.bodies.selectors import current_chair_period, nomination_board, planned_chair_sequence
from dmk.meetings.selectors import meeting_list
from dmk.papers.selectors import paper_list
from dmk.resolutions.selectors import public_vote_table, resolution_list
from dmk.website.filters import ResolutionFilterForm


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
    """The public archive of resolutions, filtered by GET ``jahr``, ``sitzung``, ``thema``
    and ``land`` (issue 7 item 2)."""
    resolutions = resolution_list(user=request.user)
    form = ResolutionFilterForm(
        request.GET or None, resolutions=resolutions, meetings=meeting_list(user=request.user)
    )
    if form.is_bound:
        resolutions = form.apply(resolutions)
    return render(
        request,
        "website/resolution_index.html",
        {"resolutions": resolutions, "filter_form": form, "filtered": form.is_bound},
    )


def resolution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A resolution with its per-Land vote table when one is known (``public_vote_table``:
    no cabinet reservations, no Protokollerklärungen — DOMAIN rule 6; issue 6 item 6)."""
    resolution = get_object_or_404(resolution_list(user=request.user), slug=slug)
    # The linked paper is named only when the reader may see it (DOMAIN rule 11).
    paper = (
        resolution.paper if resolution.paper and can_view(request.user, resolution.paper) else None
    )
    context = {
        "resolution": resolution,
        "paper": paper,
        "vote_rows": public_vote_table(resolution),
    }
    return render(request, "website/resolution_detail.html", context)


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
    """``/vorsitz/``: the chair periods, newest first, and — when the body has set a rotation
    order (``Body.chair_rotation``) — the planned next chairs (issue 3 item 4)."""
    periods = ChairPeriod.objects.prefetch_related("chairs").select_related("body")
    latest = periods.first()
    planned = planned_chair_sequence(latest.body) if latest is not None else []
    return render(
        request, "website/chair_period_index.html", {"periods": periods, "planned": planned}
    )


SEARCH_LIMIT = 30


def search(request: HttpRequest) -> HttpResponse:
    """Site search over live public pages of the current language and the resolutions the
    user may see (``resolution_list`` → ``dmk.access``), GET ``q`` (issue 7 item 5).

    Control characters (a NUL byte breaks both databases' full-text search) are dropped; the
    query is cut to 200 characters."""
    raw = request.GET.get("q", "")
    query = "".join(c for c in raw if c.isprintable()).strip()[:200]
    pages: list[Page] = []
    resolutions: list[Any] = []
    if query:
        pages = list(
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active(), depth__gt=1)
            .specific()
            .search(query)[:SEARCH_LIMIT]
        )
        resolutions = list(
            get_search_backend().search(query, resolution_list(user=request.user))[:SEARCH_LIMIT]
        )
    return render(
        request,
        "website/search.html",
        {"query": query, "pages": pages, "resolutions": resolutions},
    )
