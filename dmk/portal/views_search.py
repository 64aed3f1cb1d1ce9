"""The search of the internal documentation system, ``/intern/suche/`` (issue 13 item 4).

Thin views: read the query, the facet filters, the sort and the page from GET, ask
``dmk.documents.selectors.search`` as the logged-in user, render. What may be found is
decided in ``dmk.access.policy.visible_search_entries`` (DOMAIN rule 11); any typed text is
a query, never syntax, and never a 500.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from dmk.documents.selectors import Filters, search

#: Hits shown by the quick search in the header.
QUICK_HITS = 5


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Full search with facets, snippets (file name and PDF page), sort and pagination."""
    filters = Filters.from_query(request.GET)
    result = search(
        user=request.user,
        query=request.GET.get("q", ""),
        filters=filters,
        sort=request.GET.get("sortierung", "relevanz"),
        page=request.GET.get("seite", 1),
        language=get_language() or "de",
    )
    return render(request, "portal/search.html", {"result": result, "filters": filters})


@login_required
def search_quick(request: HttpRequest) -> HttpResponse:
    """The first hits for the header's quick search (an HTMX fragment; without JavaScript
    the header form opens :func:`search_page`)."""
    result = search(
        user=request.user,
        query=request.GET.get("q", ""),
        per_page=QUICK_HITS,
        language=get_language() or "de",
        with_facets=False,
    )
    return render(request, "portal/search_quick.html", {"result": result})
