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
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_PARAMETER = "seite"


class _CountingPaginator(Paginator):
    """A paginator that counts the rows on another queryset (``count_from``)."""

    def __init__(self, object_list: Any, per_page: int, *, count_from: QuerySet) -> None:
        super().__init__(object_list, per_page)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        return self.count_from.count()


def paginate(
    request: HttpRequest,
    rows: Any,
    *,
    per_page: int | None = None,
    count_from: QuerySet | None = None,
) -> Page:
    """The page of ``rows`` (a queryset with a total ``ORDER BY``) that GET ``seite`` asks for.

    ``count_from``: the same rows as a queryset without the joins that only add columns
    (``rows`` as values with a related name, say): the total is counted there, without
    joining every row (issue 17: 0.8 instead of 2.6 ms at 10,000 resolutions). The page gets
    ``query_prefix``: the other GET parameters, URL-encoded and ending in ``&`` (or empty),
    so page links keep the filters. Raises nothing for bad page numbers.
    """
    size = per_page or settings.DMK_ARCHIVE_PAGE_SIZE
    if count_from is None:
        paginator = Paginator(rows, size)
    else:
        paginator = _CountingPaginator(rows, size, count_from=count_from)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    encoded = query.urlencode()
    page.query_prefix = f"{encoded}&" if encoded else ""  # type: ignore[attr-defined]
    return page
