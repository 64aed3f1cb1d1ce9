"""Pagination of the public archive lists (issue 17 item 1).

Every list that can grow is cut into pages of ``settings.DMK_ARCHIVE_PAGE_SIZE`` rows (GET
``seite``; a missing, malformed or too large number shows the nearest page, never an error).
The rows of a page are read with ``LIMIT``/``OFFSET`` over an ``ORDER BY`` that ends in the
primary key — every object is on exactly one page — and that an index matches (see the
models' ``Meta.indexes`` and the migrations named ``*_archive_indexes``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAMETER = "seite"


def paginate(request: HttpRequest, rows: Any, *, per_page: int | None = None) -> Page:
    """The page of ``rows`` (a queryset with a total ``ORDER BY``) that GET ``seite`` asks for.

    The page gets ``query_prefix``: the other GET parameters, URL-encoded and ending in ``&``
    (or empty), so page links keep the filters. Raises nothing for bad page numbers.
    """
    paginator = Paginator(rows, per_page or settings.DMK_ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    encoded = query.urlencode()
    page.query_prefix = f"{encoded}&" if encoded else ""  # type: ignore[attr-defined]
    return page
