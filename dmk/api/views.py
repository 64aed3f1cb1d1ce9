"""The OParl 1.1 interface ``/oparl/v1/`` (issue 16): read-only JSON of the public record.

Thin views: parse the list filters, ask ``dmk.api.selectors`` (→ ``dmk.access.policy``),
paginate with Django's ``Paginator`` and serialise with ``dmk.api.serializers``. Every
answer allows any origin for GET (CORS), carries an ``ETag`` (of the body) and a
``Last-Modified`` (the newest ``modified`` in it) and answers a matching conditional request
with 304. An object that stopped being public is served as ``deleted: true`` (OParl 1.1
§2.8); an id that was never public is 404.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from dmk.access import policy
from dmk.api import selectors
from dmk.api import serializers as s
from dmk.api.models import Withdrawal, WithdrawalKind
from dmk.bodies.models import Body
from dmk.meetings.models import AgendaItem, Meeting
from dmk.papers.models import Consultation, Paper, PaperFile
from dmk.papers.services import file_for_download
from dmk.resolutions.models import Resolution

#: Objects per list page unless the client asks for fewer or more with ``limit``.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadRequest(Exception):
    """A malformed query parameter; answered with 400 and a German message."""


def _json_response(request: HttpRequest, data: Any, *, status: int = 200) -> HttpResponse:
    """JSON (UTF-8) with CORS, ETag and Last-Modified; 304 for a matching conditional GET."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, no-cache"
    if status != 200:
        return response
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["ETag"] = etag
    last_modified = _newest(data)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def _newest(data: Any) -> int | None:
    """The newest ``modified`` of an object or of a list page's objects (epoch seconds)."""
    objects = data.get("data", [data]) if isinstance(data, dict) else []
    stamps = [
        datetime.datetime.fromisoformat(o["modified"]).timestamp()
        for o in objects
        if isinstance(o, dict) and "modified" in o
    ]
    return int(max(stamps)) if stamps else None


def oparl_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; German labels; returns the view's dict as OParl JSON; a
    :class:`BadRequest` becomes 400, an unknown object 404 — both JSON with CORS."""

    @require_safe
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override("de"):
            try:
                data = view(request, s.Context(request), *args, **kwargs)
            except BadRequest as exc:
                return _json_response(request, {"error": str(exc)}, status=400)
            except Http404:
                return _json_response(
                    request, {"error": "Dieses Objekt gibt es nicht."}, status=404
                )
        if isinstance(data, HttpResponse):
            return data
        return _json_response(request, data)

    return wrapped


# --- lists ---------------------------------------------------------------------------------


@dataclass
class Part:
    """One source of a list: a queryset, how to serialise one row, and optionally what to
    read once for the whole page (``prepare``, given the page's rows)."""

    queryset: QuerySet[Any]
    serialize: Callable[[s.Context, Any], s.OParlObject]
    prepare: Callable[[s.Context, list[Any]], None] | None = None


@dataclass
class Concatenation(Sequence[tuple[Part, Any]]):
    """Several ordered querysets read as one sequence (the Länder and the working bodies are
    both ``Organization``; live objects and tombstones share a ``modified_since`` list), so
    that ``Paginator`` does the pagination. One COUNT per part, one SELECT per part a page
    touches."""

    parts: list[Part]
    _counts: list[int] | None = field(default=None, repr=False)

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [p.queryset.count() for p in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            raise TypeError("Concatenation supports slices only")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        rows: list[tuple[Part, Any]] = []
        offset = 0
        for part, n in zip(self.parts, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                rows.extend((part, obj) for obj in part.queryset[low:high])
            offset += n
        return rows


def _time_filter(request: HttpRequest) -> selectors.TimeFilter:
    values: dict[str, datetime.datetime] = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is None:
            continue
        try:
            parsed = parse_datetime(raw.strip().replace(" ", "+"))
        except ValueError:
            parsed = None
        if parsed is None:
            raise BadRequest(
                f"„{name}“ erwartet einen Zeitpunkt nach ISO 8601, z. B. 2026-01-31T12:00:00+01:00."
            )
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        values[name] = parsed
    return selectors.TimeFilter(**values)


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise BadRequest(f"„limit“ erwartet eine Zahl von 1 bis {MAX_PAGE_SIZE}.")
    return int(raw)


def _link(request: HttpRequest, page: int) -> str:
    params = {k: v for k, v in request.GET.items() if k != "page"}
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + urlencode(params))


def _list(
    request: HttpRequest,
    ctx: s.Context,
    parts: list[Part],
    *,
    tombstones: Sequence[tuple[str, Callable[[Withdrawal], s.OParlObject]]] = (),
) -> s.OParlObject:
    """An external object list (OParl 1.1 §2.7): ``data``, ``pagination``, ``links``."""
    time_filter = _time_filter(request)
    for part in parts:
        created = "uploaded_at" if part.queryset.model is PaperFile else "created_at"
        part.queryset = time_filter.apply(part.queryset, created=created)
    if time_filter.modified_since is not None:
        for kind, stub in tombstones:
            parts.append(
                Part(
                    selectors.withdrawn(kind, since=time_filter.modified_since),
                    lambda c, w, stub=stub: stub(w),
                )
            )
    paginator = Paginator(Concatenation(parts), _page_size(request))
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except InvalidPage as exc:
        raise BadRequest("Diese Seite gibt es nicht.") from exc
    rows = list(page.object_list)
    for part in parts:
        if part.prepare is not None:
            part.prepare(ctx, [obj for p, obj in rows if p is part])
    links = {"first": _link(request, 1), "self": _link(request, page.number)}
    if page.has_previous():
        links["prev"] = _link(request, page.previous_page_number())
    if page.has_next():
        links["next"] = _link(request, page.next_page_number())
    links["last"] = _link(request, paginator.num_pages)
    return {
        "data": [part.serialize(ctx, obj) for part, obj in rows],
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": paginator.per_page,
            "currentPage": page.number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


def _body(pk: int) -> Body:
    return get_object_or_404(Body, pk=pk)


def _public_item_ids(ids: set[int]) -> set[int]:
    """Which of the agenda items ``ids`` are public (``policy.public_agenda_items``)."""
    if not ids:
        return set()
    return set(
        policy.public_agenda_items(AgendaItem.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )


def _prepare_papers(ctx: s.Context, papers: list[Paper]) -> None:
    ids = {c.agenda_item_id for p in papers for c in p.public_consultations if c.agenda_item_id}
    ctx.public_item_ids = _public_item_ids(ids)


def _prepare_consultations(ctx: s.Context, rows: list[Consultation]) -> None:
    ctx.public_item_ids = _public_item_ids({c.agenda_item_id for c in rows if c.agenda_item_id})


def _prepare_votes(ctx: s.Context, rows: list[Any]) -> None:
    resolutions: list[Resolution] = []
    for row in rows:
        if isinstance(row, Resolution):
            resolutions.append(row)
        else:
            resolutions.extend(getattr(row, "public_resolutions", []))
    ctx.load_votes(resolutions)


def _prepare_standalone(ctx: s.Context, rows: list[Resolution]) -> None:
    _prepare_votes(ctx, rows)
    ids = {r.meeting_id for r in rows}
    ctx.public_meeting_ids = set(
        policy.public_meetings(Meeting.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )


def _standalone(ctx: s.Context, r: Resolution) -> s.OParlObject:
    public_meetings = ctx.public_meeting_ids
    return s.resolution_item(
        ctx, r, meeting_public=public_meetings is None or r.meeting_id in public_meetings
    )


# --- tombstones (OParl 1.1 §2.8) -------------------------------------------------------------


def _stub(ctx: s.Context, kind: str) -> Callable[[Withdrawal], s.OParlObject]:
    """Serialise a tombstone of ``kind`` without reading its row."""
    names = {
        WithdrawalKind.PAPER: ("Paper", "paper"),
        WithdrawalKind.MEETING: ("Meeting", "meeting"),
        WithdrawalKind.AGENDA_ITEM: ("AgendaItem", "agenda_item"),
        WithdrawalKind.RESOLUTION: ("AgendaItem", "resolution"),
        WithdrawalKind.PERSON: ("Person", "person"),
        WithdrawalKind.MEMBERSHIP: ("Membership", "membership"),
    }
    oparl_type, url_name = names[WithdrawalKind(kind)]
    extra = {"order": 0} if oparl_type == "AgendaItem" else {}

    def stub(w: Withdrawal) -> s.OParlObject:
        return s.deleted(
            oparl_type, ctx.url(url_name, w.object_id), w.object_created, w.withdrawn_at, **extra
        )

    return stub


def _withdrawn_at(kind: str, pk: int | None) -> datetime.datetime | None:
    if pk is None:
        return None
    w = selectors.withdrawal(kind, pk)
    return w.withdrawn_at if w is not None else None


def _deleted_or_404(ctx: s.Context, kind: str, pk: int) -> s.OParlObject:
    """The tombstone of a root object (row kept or gone), else 404."""
    w = selectors.withdrawal(kind, pk)
    if w is None:
        raise Http404
    return _stub(ctx, kind)(w)


# --- views ---------------------------------------------------------------------------------


@oparl_view
def system(request: HttpRequest, ctx: s.Context) -> s.OParlObject:
    return s.system(ctx, Body.objects.all())


@oparl_view
def body_list(request: HttpRequest, ctx: s.Context) -> s.OParlObject:
    return _list(request, ctx, [Part(selectors.bodies(), s.body)])


@oparl_view
def body(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return s.body(ctx, get_object_or_404(selectors.bodies(), pk=pk))


@oparl_view
def body_organization(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    b = _body(pk)
    return _list(
        request,
        ctx,
        [Part(selectors.lands(), s.land), Part(selectors.organizations(b), s.organization)],
    )


@oparl_view
def body_person(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    parts = [Part(selectors.persons(_body(pk)), s.person)]
    return _list(request, ctx, parts, tombstones=[(WithdrawalKind.PERSON, _stub(ctx, "person"))])


@oparl_view
def body_membership(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    parts = [Part(selectors.memberships(_body(pk)), s.membership)]
    return _list(
        request, ctx, parts, tombstones=[(WithdrawalKind.MEMBERSHIP, _stub(ctx, "membership"))]
    )


@oparl_view
def body_meeting(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    parts = [Part(selectors.meetings(_body(pk)), s.meeting, _prepare_votes)]
    return _list(request, ctx, parts, tombstones=[(WithdrawalKind.MEETING, _stub(ctx, "meeting"))])


@oparl_view
def body_agenda_item(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    b = _body(pk)
    parts = [
        Part(selectors.agenda_items(b), s.agenda_item, _prepare_votes),
        Part(selectors.standalone_resolutions(b), _standalone, _prepare_standalone),
    ]
    tombstones = [
        (WithdrawalKind.AGENDA_ITEM, _stub(ctx, WithdrawalKind.AGENDA_ITEM)),
        (WithdrawalKind.RESOLUTION, _stub(ctx, WithdrawalKind.RESOLUTION)),
    ]
    return _list(request, ctx, parts, tombstones=tombstones)


@oparl_view
def body_paper(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    parts = [Part(selectors.papers(_body(pk)), _paper, _prepare_papers)]
    return _list(request, ctx, parts, tombstones=[(WithdrawalKind.PAPER, _stub(ctx, "paper"))])


@oparl_view
def body_consultation(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    parts = [Part(selectors.consultations(_body(pk)), _consultation, _prepare_consultations)]
    return _list(request, ctx, parts)


@oparl_view
def body_file(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return _list(request, ctx, [Part(selectors.files(_body(pk)), s.file)])


@oparl_view
def body_legislative_term(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return _list(request, ctx, [Part(selectors.chair_periods(_body(pk)), s.legislative_term)])


@oparl_view
def body_location(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return _list(request, ctx, [Part(selectors.locations(_body(pk)), s.location)])


def _paper(ctx: s.Context, p: Paper) -> s.OParlObject:
    return s.paper(ctx, p, ctx.public_item_ids)


def _consultation(ctx: s.Context, c: Consultation) -> s.OParlObject:
    return s.consultation(ctx, c, ctx.public_item_ids)


@oparl_view
def land(request: HttpRequest, ctx: s.Context, code: str) -> s.OParlObject:
    return s.land(ctx, get_object_or_404(selectors.lands(), code=code))


@oparl_view
def organization(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return s.organization(ctx, get_object_or_404(selectors.organizations(None), pk=pk))


@oparl_view
def person(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.persons(None).filter(pk=pk).first()
    if found is not None:
        return s.person(ctx, found)
    return _deleted_or_404(ctx, WithdrawalKind.PERSON, pk)


@oparl_view
def membership(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.memberships(None).filter(pk=pk).first()
    if found is not None:
        return s.membership(ctx, found)
    return _deleted_or_404(ctx, WithdrawalKind.MEMBERSHIP, pk)


@oparl_view
def legislative_term(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    return s.legislative_term(ctx, get_object_or_404(selectors.chair_periods(None), pk=pk))


@oparl_view
def meeting(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.meetings(None).filter(pk=pk).first()
    if found is not None:
        return s.meeting(ctx, found)
    return _deleted_or_404(ctx, WithdrawalKind.MEETING, pk)


@oparl_view
def location(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.locations(None).filter(pk=pk).first()
    if found is not None:
        return s.location(ctx, found)
    row = Meeting.objects.filter(pk=pk).exclude(place="", venue="").first()
    withdrawn = _withdrawn_at(WithdrawalKind.MEETING, pk)
    if row is None or withdrawn is None:
        raise Http404
    return s.deleted("Location", ctx.url("location", pk), row.created_at, withdrawn)


@oparl_view
def agenda_item(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.agenda_items(None).filter(pk=pk).first()
    if found is not None:
        _prepare_votes(ctx, [found])
        return s.agenda_item(ctx, found)
    row = AgendaItem.objects.filter(pk=pk).first()
    if row is not None and row.public:
        withdrawn = _withdrawn_at(WithdrawalKind.MEETING, row.meeting_id)
        if withdrawn is not None:
            url = ctx.url("agenda_item", pk)
            return s.deleted("AgendaItem", url, row.created_at, withdrawn, order=row.order)
    return _deleted_or_404(ctx, WithdrawalKind.AGENDA_ITEM, pk)


@oparl_view
def resolution(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.standalone_resolutions(None).filter(pk=pk).first()
    if found is not None:
        _prepare_standalone(ctx, [found])
        return _standalone(ctx, found)
    carried = policy.public_resolutions(Resolution.objects.filter(pk=pk)).first()
    if carried is not None:
        # now published inside its public agenda item: this id is gone (OParl 1.1 §2.8)
        url = ctx.url("resolution", pk)
        return s.deleted("AgendaItem", url, carried.created_at, carried.modified_at, order=0)
    return _deleted_or_404(ctx, WithdrawalKind.RESOLUTION, pk)


@oparl_view
def paper(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.papers(None).filter(pk=pk).first()
    if found is not None:
        _prepare_papers(ctx, [found])
        return _paper(ctx, found)
    return _deleted_or_404(ctx, WithdrawalKind.PAPER, pk)


@oparl_view
def consultation(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.consultations(None).filter(pk=pk).first()
    if found is not None:
        _prepare_consultations(ctx, [found])
        return _consultation(ctx, found)
    row = Consultation.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    withdrawn = [
        _withdrawn_at(WithdrawalKind.PAPER, row.paper_id),
        _withdrawn_at(WithdrawalKind.MEETING, row.meeting_id),
    ]
    stamps = [w for w in withdrawn if w is not None]
    if not stamps:
        raise Http404
    return s.deleted("Consultation", ctx.url("consultation", pk), row.created_at, max(stamps))


@oparl_view
def file(request: HttpRequest, ctx: s.Context, pk: int) -> s.OParlObject:
    found = selectors.files(None).filter(pk=pk).first()
    if found is not None:
        return s.file(ctx, found)
    row = PaperFile.objects.filter(pk=pk).first()
    withdrawn = _withdrawn_at(WithdrawalKind.PAPER, row.paper_id) if row else None
    if row is None or withdrawn is None:
        raise Http404
    url = ctx.url("file", pk)
    access = ctx.url("file_download", pk)
    return s.deleted("File", url, row.uploaded_at, withdrawn, accessUrl=access)


@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file version ``pk`` of a public paper (checked again by
    ``file_for_download`` → ``policy.can_view``), under its original name (RFC 6266)."""
    row = get_object_or_404(selectors.files(None), pk=pk)
    checked = file_for_download(user=AnonymousUser(), paper_slug=row.paper.slug, file_id=row.pk)
    if checked is None:
        raise Http404
    response = FileResponse(
        checked.file.open("rb"),
        as_attachment=True,
        filename=checked.original_name,
        content_type=checked.content_type,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
