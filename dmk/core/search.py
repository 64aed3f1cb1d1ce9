"""The search backend of the platform: Wagtail's database backend, fed data only.

Search input is data, never query syntax (issue 11, defect 4 and Build 5). Every search of
the platform — the public site search, the resolution search, the back office's page,
document, image and user searches — goes through the backend named in
``settings.WAGTAILSEARCH_BACKENDS``. This module wraps the backend Wagtail chooses for the
database (SQLite FTS5, PostgreSQL full text, or the fallback) so that, whoever calls it, only
the *words* of a query (:func:`dmk.core.text.search_words`) reach the engine: a quote, a
bracket, ``*``, ``NEAR(``, a NUL byte or ten thousand characters can no longer break the
engine's own syntax (a 500 before). The search engine itself is untouched, so a later engine
(issue 13) only has to keep this one rule.
"""

from __future__ import annotations

from typing import Any

from wagtail.search.backends.database import SearchBackend as _database_backend
from wagtail.search.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from dmk.core.text import search_words

_CLASSES: dict[type, type] = {}


def data_only(query: Any) -> Any:
    """``query`` (a string or a Wagtail query object) with every text reduced to its words;
    ``""`` when no word is left (the backend then finds nothing). Compound queries keep
    their structure: ``And``/``Or`` drop parts without words, ``Not`` and ``Boost`` without
    words become ``""``. ``MatchAll`` and unknown objects are returned unchanged."""
    if isinstance(query, str):
        return " ".join(search_words(query))
    if isinstance(query, PlainText | Fuzzy | Phrase):
        text = " ".join(search_words(query.query_string))
        if not text:
            return ""
        query.query_string = text
        return query
    if isinstance(query, And | Or):
        parts = [part for part in (data_only(q) for q in query.subqueries) if part != ""]
        if not parts:
            return ""
        return parts[0] if len(parts) == 1 else type(query)(parts)
    if isinstance(query, Not | Boost):
        inner = data_only(query.subquery)
        if inner == "":
            return ""
        query.subquery = inner
        return query
    if isinstance(query, MatchAll):
        return query
    return query


def _data_only_class(cls: type) -> type:
    """A subclass of the backend class ``cls`` whose searches pass :func:`data_only`."""
    if cls not in _CLASSES:

        def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
            return super(subclass, self)._search(
                query_compiler_class, data_only(query), model_or_queryset, **kwargs
            )

        subclass = type(f"DataOnly{cls.__name__}", (cls,), {"_search": _search})
        _CLASSES[cls] = subclass
    return _CLASSES[cls]


def SearchBackend(params: dict[str, Any]) -> Any:
    """The database search backend Wagtail would choose, whose ``search`` and
    ``autocomplete`` receive data only (:func:`data_only`). Named in
    ``settings.WAGTAILSEARCH_BACKENDS`` as ``"dmk.core.search"``."""
    backend = _database_backend(params)
    backend.__class__ = _data_only_class(type(backend))
    return backend
