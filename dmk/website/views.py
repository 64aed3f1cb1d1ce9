"""Public archive views: sessions, resolutions, papers, Länder, chair periods (issue 2 item 5).

Thin: each view asks a selector (which asks ``dmk.access``) and renders.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from wagtail.models import Locale

from dmk.access.policy import can_view
from dmk.bodies.models import ChairPeriod, State
from dmk.bodies.selectors import current_chair_period, nomination_board, planned_chair_sequence
from dmk.core.downloads import attach_filename, protected_file_response
from dmk.documents.selectors import Filters
from dmk.documents.selectors import search as search_index
from dmk.meetings.selectors import meeting_list
from dmk.papers.models import Paper, PaperFile
from dmk.papers.selectors import paper_list
from dmk.papers.services import file_for_download
from dmk.resolutions.selectors import (
    archive_page,
    archive_rows,
    public_vote_table,
    resolution_list,
    resolution_outcome_sentence,
)
from dmk.website.filters import ResolutionFilterForm
from dmk.website.pagination import PAGE_PARAMETER, paginate


def meeting_index(request: HttpRequest) -> HttpResponse:
    """``/sitzungen/``: the sessions the user may see, one page of
    ``DMK_ARCHIVE_PAGE_SIZE`` at a time (GET ``seite``; issue 17 item 1)."""
    page = paginate(request, meeting_list(user=request.user))
    return render(request, "website/meeting_index.html", {"meetings": page, "page": page})


def public_papers() -> QuerySet[Paper]:
    """The papers the public website shows: the *public* ones, for everybody — logged in or
    not (DOMAIN rule 11: internal material belongs in the portal, ``/intern/vorlagen/…``).
    Asked as an anonymous visitor through ``paper_list`` (→ ``dmk.access``)."""
    return paper_list(user=AnonymousUser())


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A session with its resolutions and public papers. A user who may see more papers of
    the session (internal, restricted, own drafts) gets them only as links to their portal
    pages, each marked with its visibility (DOMAIN rule 11)."""
    meeting = get_object_or_404(meeting_list(user=request.user), slug=slug)
    resolutions = resolution_list(user=request.user).filter(meeting=meeting)
    papers = public_papers().filter(consultations__meeting=meeting).distinct()
    portal_papers = Paper.objects.none()
    if request.user.is_authenticated:
        portal_papers = (
            paper_list(user=request.user)
            .filter(consultations__meeting=meeting)
            .exclude(pk__in=papers.values("pk"))
            .distinct()
            .order_by("title")
        )
    return render(
        request,
        "website/meeting_detail.html",
        {
            "meeting": meeting,
            "resolutions": resolutions,
            "papers": papers,
            "portal_papers": portal_papers,
        },
    )


def resolution_index(request: HttpRequest) -> HttpResponse:
    """The public archive of resolutions, filtered by GET ``jahr``, ``sitzung``, ``thema``
    and ``land`` (issue 7 item 2), one page of ``DMK_ARCHIVE_PAGE_SIZE`` at a time (GET
    ``seite``; issue 17 item 1). A constant number of queries whatever the page size."""
    resolutions = resolution_list(user=request.user)
    filters = {key: value for key, value in request.GET.items() if key != PAGE_PARAMETER}
    form = ResolutionFilterForm(
        filters or None, resolutions=resolutions, meetings=meeting_list(user=request.user)
    )
    if form.is_bound:
        resolutions = form.apply(resolutions)
    page = paginate(request, archive_rows(resolutions), count_from=resolutions)
    return render(
        request,
        "website/resolution_index.html",
        {
            "resolutions": archive_page(page),
            "page": page,
            "filter_form": form,
            "filtered": form.is_bound,
        },
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
        "outcome_sentence": resolution_outcome_sentence(resolution),
    }
    return render(request, "website/resolution_detail.html", context)


def resolution_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    """``/beschluesse/<slug>/beschluss.pdf``: the resolution as a tagged PDF (issue 12 item 4)
    for everybody who may see it (DOMAIN rule 11: the same selector as the page)."""
    from dmk.resolutions.documents import resolution_pdf

    resolution = get_object_or_404(resolution_list(user=request.user), slug=slug)
    response = HttpResponse(resolution_pdf(resolution), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beschluss-{resolution.slug}.pdf"'
    return response


def current_file(paper: Paper) -> PaperFile | None:
    """The paper's current file: the newest stored version (``PaperFile.version`` is unique
    per paper), or None when the paper has no file."""
    return paper.files.order_by("-version").first()


def download_name(paper: Paper) -> str:
    """The file name the public download of ``paper`` serves: the current file's original
    name, else the file name of the source text as received (the public record's founding
    concept paper), else ``""`` — then no download is offered (never an empty name)."""
    paper_file = current_file(paper)
    if paper_file is not None:
        return paper_file.original_name
    if paper.text_source and paper.source_filename:
        return paper.source_filename
    return ""


def paper_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public paper (DOMAIN rule 11). A non-public paper the user may see is not shown
    here: the user is sent to its portal page; everybody else gets 404."""
    paper = public_papers().filter(slug=slug).first()
    if paper is None:
        if paper_list(user=request.user).filter(slug=slug).exists():
            return redirect("portal:paper_detail", slug=slug)
        raise Http404
    meetings = meeting_list(user=request.user).filter(consultations__paper=paper).distinct()
    return render(
        request,
        "website/paper_detail.html",
        {"paper": paper, "meetings": meetings, "download_name": download_name(paper)},
    )


def paper_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The public paper's current file (``PaperFile``, checked again by
    ``dmk.papers.services.file_for_download`` → ``dmk.access.policy.can_view``) under its
    original name (RFC 6266: ASCII ``filename`` and ``filename*``,
    ``dmk.core.downloads``); a paper without files but with the source text
    of a named file (the founding concept paper) serves that text.

    404 when the paper is not public (DOMAIN rule 11) or there is nothing to download.
    """
    paper = get_object_or_404(public_papers(), slug=slug)
    paper_file = current_file(paper)
    if paper_file is not None:
        checked = file_for_download(user=AnonymousUser(), paper_slug=slug, file_id=paper_file.pk)
        if checked is None:
            raise Http404
        return protected_file_response(
            checked.file, filename=checked.original_name, content_type=checked.content_type
        )
    filename = download_name(paper)
    if not filename or not can_view(AnonymousUser(), paper):
        raise Http404
    response = HttpResponse(paper.text_source, content_type="text/markdown; charset=utf-8")
    return attach_filename(response, filename)


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


def search(request: HttpRequest) -> HttpResponse:
    """Site search ``/suche/?q=…`` (issue 7 item 5, issue 13 item 5): the same engine as the
    portal (``dmk.documents.selectors.search``) over public objects only — what an anonymous
    visitor may open (DOMAIN rule 11) — with the same word rules, facets (type, meeting,
    Land, topic, year) and pagination; links go to the public addresses. Typed text is never
    query syntax: control characters are dropped, the query is cut to 200 characters."""
    filters = Filters.from_query(request.GET, public=True)
    result = search_index(
        user=request.user,
        query=request.GET.get("q", ""),
        filters=filters,
        sort=request.GET.get("sortierung", "relevanz"),
        page=request.GET.get("seite", 1),
        language=Locale.get_active().language_code,
        public=True,
    )
    return render(request, "website/search.html", {"result": result, "filters": filters})
