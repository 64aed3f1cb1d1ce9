"""The search (issue 13 items 2–5): one function for the portal and the public website.

The candidate rows are ``dmk.access.policy.visible_search_entries(user, …)`` — the viewer's
visible set — *before* any word is matched, so the count, the facets, the hits and their
snippets only ever come from rows the viewer may open (DOMAIN rule 11). Words are matched by
Wagtail's search backend (PostgreSQL full text / SQLite FTS5) on the pre-normalised
``SearchEntry.terms`` (:mod:`dmk.documents.text`): whole words; the last query word of four
or more letters also matches as the start of a longer word ("Register" finds
"Registermodernisierung", issue 18 item 8); shorter words only as whole words ("AI" never
finds "Mainz" or "Aiwanger").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.urls import translate_url
from wagtail.search.backends import get_search_backend

from dmk.access.policy import visible_search_entries
from dmk.core.enums import Visibility
from dmk.documents import text as wordrules
from dmk.documents.models import EntryKind, SearchEntry

#: Hits per result page.
PER_PAGE = 20
#: Words of context before and after the first hit in a snippet.
SNIPPET_BEFORE = 10
SNIPPET_AFTER = 18
#: A query is cut to this many characters (and control characters dropped).
MAX_QUERY_CHARS = 200

#: Up to this many hits, facets are counted over a list of ids (one full-text match);
#: beyond, over a subquery (SQLite allows a limited number of query parameters).
FACET_ID_LIST_LIMIT = 900

SORTS = ("relevanz", "datum")
FACETS = ("typ", "sitzung", "land", "thema", "jahr", "sichtbarkeit")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Filters:
    """Chosen facet values (primary keys, a year, a kind or a visibility); None = all."""

    typ: str | None = None
    sitzung: int | None = None
    land: int | None = None
    thema: int | None = None
    jahr: int | None = None
    sichtbarkeit: str | None = None

    @classmethod
    def from_query(cls, params: Any, *, public: bool = False) -> Filters:
        """Read the filters from GET ``params``; anything malformed is ignored (never an
        error page: input is never query syntax)."""

        def number(name: str) -> int | None:
            value = (params.get(name) or "").strip()
            return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

        typ = params.get("typ") or None
        visibility = params.get("sichtbarkeit") or None
        return cls(
            typ=typ if typ in EntryKind.values else None,
            sitzung=number("sitzung"),
            land=number("land"),
            thema=number("thema"),
            jahr=number("jahr"),
            sichtbarkeit=None if public or visibility not in Visibility.values else visibility,
        )

    def apply(self, queryset: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
        if self.typ:
            queryset = queryset.filter(kind=self.typ)
        if self.sitzung:
            queryset = queryset.filter(meeting_id=self.sitzung)
        if self.land:
            queryset = queryset.filter(states=self.land)
        if self.thema:
            queryset = queryset.filter(topics=self.thema)
        if self.jahr:
            queryset = queryset.filter(year=self.jahr)
        if self.sichtbarkeit:
            queryset = queryset.filter(visibility=self.sichtbarkeit)
        return queryset

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass
class Snippet:
    """A passage around the first matching word: ``parts`` are ``(text, is_hit)`` pairs
    (the template marks the hits); ``file_name`` and ``page`` name where it stands (page
    only for PDFs)."""

    parts: list[tuple[str, bool]]
    file_name: str = ""
    page: int | None = None


@dataclass
class Hit:
    entry: SearchEntry
    url: str
    snippet: Snippet | None


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    options: list[FacetOption]


@dataclass
class SearchResult:
    """What the search pages show; ``total`` counts only rows the viewer may open."""

    query: str
    terms: list[str]
    sort: str
    filters: Filters
    total: int = 0
    page: Page | None = None
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)


def clean_query(raw: str) -> str:
    """The typed query in NFC without control characters, at most
    :data:`MAX_QUERY_CHARS` characters, stripped."""
    text = unicodedata.normalize("NFC", raw or "")
    return "".join(c for c in text if c.isprintable()).strip()[:MAX_QUERY_CHARS]


def backend_query(terms: list[str]) -> tuple[str, str | None]:
    """The string handed to the backend's prefix search, and the prefix term (or None).

    The backend treats only the last term as a prefix: the last term of at least
    :data:`dmk.documents.text.MIN_PREFIX_LENGTH` letters is moved to the end; without one
    the end marker every row carries (``END_TERM``) goes last, so all terms stay whole
    words."""
    long_terms = [t for t in terms if len(t) >= wordrules.MIN_PREFIX_LENGTH]
    if not long_terms:
        return " ".join([*terms, wordrules.END_TERM]), None
    prefix = long_terms[-1]
    rest = [t for t in terms if t != prefix]
    return " ".join([*rest, prefix]), prefix


def _matches(term: str, terms: set[str], prefix: str | None) -> bool:
    return term in terms or (prefix is not None and term.startswith(prefix))


def make_snippet(entry: SearchEntry, terms: list[str], prefix: str | None) -> Snippet | None:
    """The passage of ``entry`` that matches most of ``terms``: file pages first (with file
    name and PDF page number), then the entry's own text; None when no passage matches
    (the hit is in the title)."""
    wanted = set(terms)
    pages = entry.pages
    if isinstance(pages, str):  # PostgreSQL's search annotations may leave the JSON undecoded
        pages = json.loads(pages)
    sources: list[tuple[str, str, int | None]] = [
        (p.get("text", ""), p.get("name", ""), p.get("page")) for p in pages if isinstance(p, dict)
    ]
    sources.append((entry.body_text, "", None))
    best: tuple[int, str, str, int | None, list[re.Match[str]], int] | None = None
    for text, name, page in sources:
        found: set[str] = set()
        words = list(_WORD.finditer(text))
        first = -1
        for index, match in enumerate(words):
            term = wordrules.stem(wordrules.fold(match.group()))
            if _matches(term, wanted, prefix):
                found.add(term if term in wanted else prefix or term)
                if first < 0:
                    first = index
        if first >= 0 and (best is None or len(found) > best[0]):
            best = (len(found), text, name, page, words, first)
            if len(found) >= len(wanted):
                break
    if best is None:
        return None
    _count, text, name, page, words, first = best
    start = max(0, first - SNIPPET_BEFORE)
    stop = min(len(words), first + SNIPPET_AFTER)
    parts: list[tuple[str, bool]] = []
    position = words[start].start()
    if start > 0:
        parts.append(("… ", False))
    for match in words[start:stop]:
        if match.start() > position:
            parts.append((" ".join(text[position : match.start()].split()) or " ", False))
        term = wordrules.stem(wordrules.fold(match.group()))
        parts.append((match.group(), _matches(term, wanted, prefix)))
        position = match.end()
    if stop < len(words):
        parts.append((" …", False))
    return Snippet(parts=parts, file_name=name, page=page)


def _facets(matched: QuerySet[SearchEntry], filters: Filters, *, public: bool) -> list[Facet]:
    """Counts per facet value over ``matched`` (already narrowed to the visible set and the
    chosen filters): a value is offered only when it has hits the viewer may open."""
    from django.apps import apps

    ids = matched.values("pk")
    facets: list[Facet] = []

    def options(
        rows: list[tuple[Any, int]], labels: dict[Any, str], chosen: Any
    ) -> list[FacetOption]:
        return [
            FacetOption(str(value), labels.get(value, str(value)), count, value == chosen)
            for value, count in rows
            if value is not None
        ]

    kinds = list(
        SearchEntry.objects.filter(pk__in=ids)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    facets.append(Facet("typ", options(kinds, dict(EntryKind.choices), filters.typ)))
    meeting_rows = list(
        SearchEntry.objects.filter(pk__in=ids, meeting__isnull=False)
        .values_list("meeting_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "meeting_id")[:15]
    )
    meeting_model = apps.get_model("meetings", "Meeting")
    meeting_names = dict(
        meeting_model.objects.filter(pk__in=[m for m, _n in meeting_rows]).values_list("pk", "name")
    )
    facets.append(Facet("sitzung", options(meeting_rows, meeting_names, filters.sitzung)))
    state_through = SearchEntry.states.through
    state_rows = list(
        state_through.objects.filter(searchentry_id__in=ids)
        .values_list("state_id")
        .annotate(n=Count("searchentry_id"))
        .order_by("state_id")
    )
    state_model = apps.get_model("bodies", "State")
    state_names = dict(state_model.objects.values_list("pk", "name_de"))
    state_rows.sort(key=lambda row: state_names.get(row[0], ""))
    facets.append(Facet("land", options(state_rows, state_names, filters.land)))
    topic_through = SearchEntry.topics.through
    topic_rows = list(
        topic_through.objects.filter(searchentry_id__in=ids)
        .values_list("topic_id")
        .annotate(n=Count("searchentry_id"))
        .order_by("-n", "topic_id")[:20]
    )
    topic_model = apps.get_model("bodies", "Topic")
    topic_names = {
        pk: str(t) for pk, t in topic_model.objects.in_bulk([t for t, _n in topic_rows]).items()
    }
    facets.append(Facet("thema", options(topic_rows, topic_names, filters.thema)))
    years = list(
        SearchEntry.objects.filter(pk__in=ids, year__isnull=False)
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    facets.append(Facet("jahr", options(years, {}, filters.jahr)))
    if not public:
        visibilities = list(
            SearchEntry.objects.filter(pk__in=ids)
            .values_list("visibility")
            .annotate(n=Count("pk"))
            .order_by("visibility")
        )
        facets.append(
            Facet(
                "sichtbarkeit",
                options(visibilities, dict(Visibility.choices), filters.sichtbarkeit),
            )
        )
    return facets


def search(
    *,
    user: Any,
    query: str,
    filters: Filters | None = None,
    sort: str = "relevanz",
    page: int | str = 1,
    language: str = "de",
    public: bool = False,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
) -> SearchResult:
    """Search the index as ``user`` (issue 13 items 3–5).

    ``query`` is typed text (any characters; never query syntax), ``sort`` "relevanz" or
    "datum" (newest first), ``page`` a 1-based page number (out-of-range numbers give the
    last page), ``language`` the page language (pages of other languages are left out).
    ``public=True`` searches as an anonymous visitor and links to the public addresses
    (the website ``/suche/``); else the viewer's visible set and portal addresses.
    """
    filters = filters or Filters()
    sort = sort if sort in SORTS else "relevanz"
    query = clean_query(query)
    terms = wordrules.query_terms(query)
    result = SearchResult(query=query, terms=terms, sort=sort, filters=filters)
    if not terms:
        return result
    viewer = AnonymousUser() if public else user
    candidates = visible_search_entries(viewer, SearchEntry.objects.all())
    candidates = candidates.filter(Q(language="") | Q(language=language))
    if public:
        candidates = candidates.exclude(public_url="")
    candidates = filters.apply(candidates)
    # The backend accepts only declared filter fields: the visible, filtered set goes in as
    # one ``id IN (subquery)``.
    rows = SearchEntry.objects.filter(id__in=candidates.values("pk")).defer("terms")
    if sort == "datum":
        rows = rows.order_by("-date", "-id")
    text, prefix = backend_query(terms)
    results = get_search_backend().autocomplete(
        text, rows, operator="and", order_by_relevance=sort == "relevanz"
    )
    paginator = Paginator(results, per_page)
    result.page = paginator.get_page(page)
    result.total = paginator.count
    for entry in result.page.object_list:
        url = (entry.public_url or entry.url) if public else entry.url
        if language != "de" and entry.kind != EntryKind.PAGE:
            url = translate_url(url, language)  # rows keep the German address
        result.hits.append(Hit(entry=entry, url=url, snippet=make_snippet(entry, terms, prefix)))
    if with_facets and result.total:
        matched_ids = results.get_queryset().values("pk")
        if result.total <= FACET_ID_LIST_LIMIT:
            # Small result sets: match once and count the facets over the ids, instead of
            # matching the words again in each facet's query.
            matched_ids = list(matched_ids.values_list("pk", flat=True))
        matched = SearchEntry.objects.filter(pk__in=matched_ids)
        result.facets = _facets(matched, filters, public=public)
    return result
