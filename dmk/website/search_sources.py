"""Wagtail pages in the search index (issue 13 item 2; how to register a model:
``dmk/documents/registry.py``). Only live pages without view restrictions, below the root,
are indexed; a page is re-indexed when it is published and removed when unpublished."""

from __future__ import annotations

from typing import Any

from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from dmk.core.enums import Visibility
from dmk.documents.models import EntryKind
from dmk.documents.registry import EntryData, index_object, register


def _page_text(page: Page) -> str:
    """The text of the page's own search fields (Wagtail ``search_fields``), tags removed."""
    parts: list[str] = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        value = getattr(page, search_field.field_name, "")
        if callable(value):
            value = value()
        if value:
            parts.append(strip_tags(str(value)))
    return "\n".join(parts)


def page_entry(page: Page) -> EntryData | None:
    """A live, unrestricted page (public); None otherwise."""
    page = page.specific
    if not page.live or page.depth <= 1 or page.get_view_restrictions().exists():
        return None
    url = page.get_url() or ""
    if not url:
        return None
    date = page.last_published_at.date() if page.last_published_at else None
    return EntryData(
        kind=EntryKind.PAGE,
        title=page.title,
        url=url,
        public_url=url,
        date=date,
        language=page.locale.language_code,
        visibility=Visibility.PUBLIC,
        text="\n".join(filter(None, [page.search_description, _page_text(page)])),
    )


def _published(sender: Any, instance: Page, **kwargs: Any) -> None:
    index_object(instance)


def register_sources() -> None:
    register(Page, page_entry)
    page_published.connect(_published, dispatch_uid="dmk-search-published")
    page_unpublished.connect(_published, dispatch_uid="dmk-search-unpublished")
