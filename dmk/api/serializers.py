"""OParl 1.1 objects from our models (issue 16 items 1–4): one typed function per object type,
each returning the JSON object as a dict. Mapping per ``docs/DOMAIN.md`` glossary, details
and the vote extension in ``docs/oparl.md``.

Rules every function keeps (OParl 1.1 §2): ``id`` is the object's own absolute URL,
``type`` the schema URL, ``created``/``modified`` on every object (embedded ones too), ``web``
the public page where one exists, ``license`` the body's licence; empty values are left out
rather than sent as ``""`` or ``null``. Only public fields of public objects reach these
functions (``dmk.api.selectors`` → ``dmk.access.policy``; DOMAIN rule 11).
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections.abc import Iterable
from html import unescape as unescape_entities
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from dmk.bodies.models import Body, ChairPeriod, Membership, Organization, Person, State
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.papers.models import Consultation, Paper, PaperFile
from dmk.resolutions.models import Resolution, ResolutionStatus
from dmk.resolutions.selectors import public_vote_table
from dmk.voting.models import Vote

OParlObject = dict[str, Any]

#: Stand-ins reversed into a route once per request, then replaced by the real argument.
_MARKER_INT = 987654321
_MARKER_STR = "XX-MARKER"
_MARKER_SLUG = "dmk-oparl-marker-slug"

SCHEMA = "https://schema.oparl.org/1.1/"
OPARL_VERSION = "https://schema.oparl.org/1.1/"

#: ``Meeting.meetingState`` (OParl 1.1 recommends German words; "abgesagt" with
#: ``cancelled: true``).
MEETING_STATES = {
    MeetingState.PLANNED: "geplant",
    MeetingState.SCHEDULED: "terminiert",
    MeetingState.INVITED: "eingeladen",
    MeetingState.HELD: "durchgeführt",
    MeetingState.MINUTES_RELEASED: "durchgeführt",
    MeetingState.CANCELLED: "abgesagt",
}

#: ``AgendaItem.result`` from the stored resolution status.
RESULTS = {
    ResolutionStatus.ADOPTED: "beschlossen",
    ResolutionStatus.REJECTED: "abgelehnt",
    ResolutionStatus.WITHDRAWN: "zurückgezogen",
    ResolutionStatus.REPLACED: "beschlossen, später ersetzt",
}


@functools.cache
def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def timestamp(value: datetime.datetime) -> str:
    """ISO 8601 with the Europe/Berlin offset (``TIME_ZONE``), to the second (OParl 1.1
    §2.3)."""
    return value.astimezone(_zone()).isoformat(timespec="seconds")


def _local(day: datetime.date, time: datetime.time | None) -> str:
    moment = datetime.datetime.combine(day, time or datetime.time(0, 0))
    return timestamp(timezone.make_aware(moment))


def _clean(obj: OParlObject) -> OParlObject:
    """Drop empty strings, None and empty lists (OParl: leave out what is unknown)."""
    return {k: v for k, v in obj.items() if v not in ("", None, [])}


class Context:
    """Builds absolute URLs for one request, and holds what a page has read once (the
    Länder, the votes of the page's ballots)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        #: scheme and host of the request, e.g. ``https://dmk.example`` (OParl ids are absolute)
        self.origin = request.build_absolute_uri("/")[:-1]
        self._templates: dict[str, tuple[str, str]] = {}
        self.states: list[State] | None = None
        self.votes: dict[int, list[Vote]] = {}
        #: the public agenda items / meetings among those a page links to (None: unchecked)
        self.public_item_ids: set[int] | None = None
        self.public_meeting_ids: set[int] | None = None

    def url(self, name: str, *args: Any) -> str:
        """The absolute URL of the interface's route ``name`` with ``args``. A route with one
        argument is reversed once per request and then filled in (a list page builds
        thousands of URLs)."""
        if len(args) != 1:
            return self.origin + reverse(f"oparl:{name}", args=args)
        template = self._templates.get(name)
        if template is None:
            marker = _MARKER_STR if name == "land" else _MARKER_INT
            path = reverse(f"oparl:{name}", args=[marker])
            template = self._templates[name] = tuple(path.split(str(marker), 1))
        return f"{self.origin}{template[0]}{args[0]}{template[1]}"

    def page(self, name: str, *args: Any, **kwargs: Any) -> str:
        """The absolute URL of a public page; a page named by one ``slug`` is reversed once
        per request and then filled in."""
        if args or set(kwargs) != {"slug"}:
            return self.origin + reverse(name, args=args, kwargs=kwargs or None)
        template = self._templates.get(name)
        if template is None:
            path = reverse(name, kwargs={"slug": _MARKER_SLUG})
            template = self._templates[name] = tuple(path.split(_MARKER_SLUG, 1))
        return f"{self.origin}{template[0]}{kwargs['slug']}{template[1]}"

    @property
    def license(self) -> str:
        return settings.DMK_OPARL_LICENSE

    def load_votes(self, resolutions: Iterable[Resolution]) -> None:
        """Read the Länder and the votes of every closed ballot of ``resolutions`` in two
        queries (for ``dmk:votes``)."""
        ballot_ids = [r.ballot_id for r in resolutions if r.ballot_id and r.vote_table_known]
        if self.states is None:
            self.states = list(State.objects.order_by("name_de"))
        missing = [b for b in ballot_ids if b not in self.votes]
        if not missing:
            return
        for b in missing:
            self.votes[b] = []
        for vote in Vote.objects.filter(ballot_id__in=missing).select_related(
            "state", "via_transfer__to_state"
        ):
            self.votes[vote.ballot_id].append(vote)


def _base(
    ctx: Context, kind: str, url: str, created: datetime.datetime, modified: Any
) -> OParlObject:
    return {
        "id": url,
        "type": SCHEMA + kind,
        "created": timestamp(created),
        "modified": timestamp(modified),
        "license": ctx.license,
    }


def deleted(
    kind: str, url: str, created: datetime.datetime, modified: datetime.datetime, **required: Any
) -> OParlObject:
    """An object that is no longer public (OParl 1.1 §2.8): only ``id``, ``type``,
    ``created``, ``modified``, ``deleted: true`` and what the schema requires."""
    return {
        "id": url,
        "type": SCHEMA + kind,
        "created": timestamp(created),
        "modified": timestamp(max(created, modified)),
        "deleted": True,
        **required,
    }


def system(ctx: Context, body_list: Iterable[Body]) -> OParlObject:
    bodies = list(body_list)
    created = min((b.created_at for b in bodies), default=timezone.now())
    modified = max((b.modified_at for b in bodies), default=created)
    obj = _base(ctx, "System", ctx.url("system"), created, modified)
    obj.update(
        {
            "oparlVersion": OPARL_VERSION,
            "body": ctx.url("body_list"),
            "name": "DMK-Plattform",
            "website": ctx.page("wagtail_serve", ""),
            "web": ctx.page("wagtail_serve", ""),
        }
    )
    obj["license"] = ctx.license
    return obj


def legislative_term(ctx: Context, period: ChairPeriod) -> OParlObject:
    """A Vorsitzperiode (glossary: OParl ``LegislativeTerm``)."""
    chairs = " und ".join(s.name_de for s in period.chairs.all())
    name = f"Vorsitzperiode {period}" + (f": Vorsitz {chairs}" if chairs else "")
    obj = _base(
        ctx,
        "LegislativeTerm",
        ctx.url("legislative_term", period.pk),
        period.created_at,
        period.modified_at,
    )
    obj.update(
        {
            "body": ctx.url("body", period.body_id),
            "name": name,
            "startDate": period.start_date.isoformat(),
            "endDate": period.end_date.isoformat(),
            "keyword": [period.leitthema] if period.leitthema else [],
            "web": ctx.page("website:chair_period_index"),
        }
    )
    return _clean(obj)


def body(ctx: Context, body: Body) -> OParlObject:
    pk = body.pk
    obj = _base(ctx, "Body", ctx.url("body", pk), body.created_at, body.modified_at)
    obj.update(
        {
            "system": ctx.url("system"),
            "shortName": body.short_name,
            "name": body.name,
            "website": body.website or ctx.page("wagtail_serve", ""),
            "license": ctx.license,
            "classification": "Fachministerkonferenz",
            "organization": ctx.url("body_organization", pk),
            "person": ctx.url("body_person", pk),
            "meeting": ctx.url("body_meeting", pk),
            "paper": ctx.url("body_paper", pk),
            "agendaItem": ctx.url("body_agenda_item", pk),
            "consultation": ctx.url("body_consultation", pk),
            "file": ctx.url("body_file", pk),
            "membership": ctx.url("body_membership", pk),
            "locationList": ctx.url("body_location", pk),
            "legislativeTermList": ctx.url("body_legislative_term", pk),
            "legislativeTerm": [
                legislative_term(ctx, p)
                for p in sorted(body.chair_periods.all(), key=lambda p: p.start_date)
            ],
            "web": ctx.page("wagtail_serve", ""),
        }
    )
    return _clean(obj) | {"legislativeTerm": obj["legislativeTerm"]}


def land(ctx: Context, state: State) -> OParlObject:
    """A Land as OParl ``Organization`` with classification "Land" (glossary)."""
    obj = _base(
        ctx, "Organization", ctx.url("land", state.code), state.created_at, state.modified_at
    )
    obj.update(
        {
            "name": state.name_de,
            "shortName": state.code,
            "classification": "Land",
            "organizationType": "Land",
            "web": ctx.page("website:state_index"),
        }
    )
    return _clean(obj)


def organization(ctx: Context, org: Organization) -> OParlObject:
    obj = _base(
        ctx, "Organization", ctx.url("organization", org.pk), org.created_at, org.modified_at
    )
    obj.update(
        {
            "body": ctx.url("body", org.body_id),
            "name": org.name,
            "shortName": org.short_name,
            "classification": org.get_kind_display(),
            "organizationType": "Gremium",
            "membership": [
                ctx.url("membership", m.pk) for m in getattr(org, "public_memberships", [])
            ],
            "startDate": org.start_date.isoformat() if org.start_date else None,
            "endDate": org.end_date.isoformat() if org.end_date else None,
        }
    )
    return _clean(obj)


def membership(ctx: Context, m: Membership) -> OParlObject:
    obj = _base(ctx, "Membership", ctx.url("membership", m.pk), m.created_at, m.modified_at)
    start = m.start_date or (m.chair_period.start_date if m.chair_period_id else None)
    end = m.end_date or (m.chair_period.end_date if m.chair_period_id else None)
    obj.update(
        {
            "person": ctx.url("person", m.person_id),
            "organization": ctx.url("organization", m.organization_id),
            "role": m.get_role_display(),
            "votingRight": m.voting_right,
            "onBehalfOf": ctx.url("land", m.on_behalf_of.code) if m.on_behalf_of_id else None,
            "startDate": start.isoformat() if start else None,
            "endDate": end.isoformat() if end else None,
        }
    )
    return _clean(obj) | {"votingRight": m.voting_right}


def person(ctx: Context, p: Person) -> OParlObject:
    """Name, title and function only (``policy.PUBLIC_PERSON_FIELDS``; DOMAIN rule 11)."""
    obj = _base(ctx, "Person", ctx.url("person", p.pk), p.created_at, p.modified_at)
    nominations = getattr(p, "public_memberships", [])
    obj.update(
        {
            "body": ctx.url("body", nominations[0].organization.body_id) if nominations else None,
            "name": " ".join(x for x in (p.title, p.given_name, p.family_name) if x),
            "familyName": p.family_name,
            "givenName": p.given_name,
            "formOfAddress": p.form_of_address,
            "title": [p.title] if p.title else [],
            "status": [p.function] if p.function else [],
            "membership": [membership(ctx, m) for m in nominations],
        }
    )
    return _clean(obj)


def location(ctx: Context, meeting: Meeting) -> OParlObject:
    """The place of a meeting as OParl ``Location`` (id per meeting)."""
    obj = _base(
        ctx, "Location", ctx.url("location", meeting.pk), meeting.created_at, meeting.modified_at
    )
    obj.update(
        {
            "description": ", ".join(x for x in (meeting.venue, meeting.place) if x),
            "locality": meeting.place,
            "bodies": [ctx.url("body", meeting.body_id)],
            "meetings": [ctx.url("meeting", meeting.pk)],
        }
    )
    return _clean(obj)


def _result(resolution: Resolution) -> str:
    result = RESULTS.get(ResolutionStatus(resolution.status), "")
    if resolution.unanimous and resolution.status == ResolutionStatus.ADOPTED:
        result = "einstimmig beschlossen"
    return result


def _plain(html: str) -> str:
    return unescape_entities(strip_tags(html)).strip()


def votes_extension(ctx: Context, resolution: Resolution) -> OParlObject:
    """``dmk:votes`` and ``dmk:outcome`` (docs/oparl.md): the per-Land table exactly as the
    public resolution page shows it (``public_vote_table``: no Kabinettsvorbehalt, no
    Protokollerklärung, no person — DOMAIN rule 6) and the counts stored at closing (DOMAIN
    rules 1–3). Empty when the resolution has no public vote table."""
    ctx.load_votes([resolution])
    rows = public_vote_table(
        resolution,
        states=ctx.states,
        votes=ctx.votes.get(resolution.ballot_id, []) if resolution.ballot_id else [],
    )
    if rows is None:
        return {}
    votes = [
        {
            "land": ctx.url("land", row["state"].code),
            "landName": row["state"].name_de,
            "choice": row["choice"] or None,
            "label": str(row["label"]),
            "castByTransferTo": (
                ctx.url("land", row["transferred_to"].code) if row["transferred_to"] else None
            ),
        }
        for row in rows
    ]
    outcome: OParlObject = {}
    stored = resolution.ballot.stored_outcome if resolution.ballot else None
    if stored is not None:
        outcome = {
            "rule": stored.rule.value,
            "members": stored.members,
            "yes": stored.yes,
            "no": stored.no,
            "abstain": stored.abstain,
            "notVoted": stored.absent,
            "threshold": stored.threshold,
            "adopted": stored.adopted,
            "unanimous": stored.unanimous,
        }
    return {"dmk:votes": votes, "dmk:outcome": outcome} if outcome else {"dmk:votes": votes}


def _resolution_fields(ctx: Context, resolution: Resolution) -> OParlObject:
    fields: OParlObject = {
        "result": _result(resolution),
        "resolutionText": _plain(resolution.text_html) or resolution.title,
        "dmk:resolution": _clean(
            {
                "number": resolution.number,
                "title": resolution.title,
                "titleIsExact": resolution.title_is_exact,
                "decidedOn": resolution.decided_on.isoformat() if resolution.decided_on else None,
                "web": ctx.page("website:resolution_detail", slug=resolution.slug),
            }
        )
        | {"titleIsExact": resolution.title_is_exact},
    }
    fields.update(votes_extension(ctx, resolution))
    return fields


def agenda_item(
    ctx: Context, item: AgendaItem, resolutions: list[Resolution] | None = None
) -> OParlObject:
    """A public agenda item; its public resolution (the latest) as ``resolutionText`` /
    ``result`` and the vote extension."""
    if resolutions is None:
        resolutions = getattr(item, "public_resolutions", [])
    modified = getattr(item, "oparl_modified", None) or item.modified_at
    obj = _base(ctx, "AgendaItem", ctx.url("agenda_item", item.pk), item.created_at, modified)
    obj.update(
        {
            "meeting": ctx.url("meeting", item.meeting_id),
            "number": item.number,
            "order": item.order,
            "name": item.title,
            "public": True,
            "web": ctx.page("website:meeting_detail", slug=item.meeting.slug),
        }
    )
    obj = _clean(obj) | {"order": item.order}
    if resolutions:
        obj.update(_resolution_fields(ctx, resolutions[-1]))
    return obj


def resolution_item(
    ctx: Context, resolution: Resolution, meeting_public: bool = True
) -> OParlObject:
    """A public resolution that no public agenda item carries, as an ``AgendaItem`` of its
    own (``/oparl/v1/resolution/<id>/``; docs/oparl.md)."""
    obj = _base(
        ctx,
        "AgendaItem",
        ctx.url("resolution", resolution.pk),
        resolution.created_at,
        resolution.modified_at,
    )
    obj.update(
        {
            "meeting": ctx.url("meeting", resolution.meeting_id) if meeting_public else None,
            "number": resolution.number,
            "order": resolution.sort_order,
            "name": resolution.title,
            "public": True,
            "web": ctx.page("website:resolution_detail", slug=resolution.slug),
        }
    )
    obj = _clean(obj) | {"order": resolution.sort_order}
    obj.update(_resolution_fields(ctx, resolution))
    return obj


def meeting(ctx: Context, m: Meeting) -> OParlObject:
    obj = _base(ctx, "Meeting", ctx.url("meeting", m.pk), m.created_at, m.modified_at)
    items = list(getattr(m, "public_items", []))
    resolutions = list(getattr(m, "public_resolutions", []))
    ctx.load_votes(resolutions)
    item_ids = {i.pk for i in items}
    by_item: dict[int, list[Resolution]] = {}
    for r in resolutions:
        if r.agenda_item_id in item_ids:
            by_item.setdefault(r.agenda_item_id, []).append(r)
    for i in items:
        i.meeting = m
    embedded = [agenda_item(ctx, i, by_item.get(i.pk, [])) for i in items]
    embedded += [resolution_item(ctx, r) for r in resolutions if r.agenda_item_id not in item_ids]
    start = _local(m.start_date, m.start_time) if m.start_date else None
    end = None
    if m.end_time and (m.end_date or m.start_date):
        end = _local(m.end_date or m.start_date, m.end_time)
    elif m.end_date and m.end_date != m.start_date:
        end = _local(m.end_date, None)
    obj.update(
        {
            "name": m.name,
            "meetingState": MEETING_STATES.get(MeetingState(m.state), ""),
            "cancelled": m.state == MeetingState.CANCELLED,
            "start": start,
            "end": end,
            "location": location(ctx, m) if (m.place or m.venue) else None,
            "organization": [ctx.url("organization", m.organization_id)]
            if m.organization_id
            else [],
            "agendaItem": embedded,
            "web": ctx.page("website:meeting_detail", slug=m.slug),
        }
    )
    return _clean(obj) | {"cancelled": m.state == MeetingState.CANCELLED}


def file(ctx: Context, f: PaperFile) -> OParlObject:
    """A stored version of a public paper's file; ``accessUrl`` = ``downloadUrl`` =
    ``/oparl/v1/file/<id>/download/``."""
    download = ctx.url("file_download", f.pk)
    obj = _base(ctx, "File", ctx.url("file", f.pk), f.uploaded_at, f.uploaded_at)
    obj.update(
        {
            "name": f"{f.paper.title} (Version {f.version})",
            "fileName": f.original_name,
            "mimeType": f.content_type,
            "date": timezone.localtime(f.uploaded_at).date().isoformat(),
            "size": f.size,
            "sha512Checksum": f.sha512,
            "accessUrl": download,
            "downloadUrl": download,
            "paper": [ctx.url("paper", f.paper_id)],
            "web": ctx.page("website:paper_detail", slug=f.paper.slug),
        }
    )
    return _clean(obj)


def consultation(
    ctx: Context, c: Consultation, public_item_ids: set[int] | None = None
) -> OParlObject:
    obj = _base(ctx, "Consultation", ctx.url("consultation", c.pk), c.created_at, c.modified_at)
    item_public = c.agenda_item_id is not None and (
        public_item_ids is None or c.agenda_item_id in public_item_ids
    )
    obj.update(
        {
            "paper": ctx.url("paper", c.paper_id),
            "meeting": ctx.url("meeting", c.meeting_id) if c.meeting_id else None,
            "agendaItem": ctx.url("agenda_item", c.agenda_item_id) if item_public else None,
            "role": c.role,
        }
    )
    return _clean(obj)


def paper(ctx: Context, p: Paper, public_item_ids: set[int] | None = None) -> OParlObject:
    files = list(p.files.all())
    for f in files:
        f.paper = p
    obj = _base(ctx, "Paper", ctx.url("paper", p.pk), p.created_at, p.modified_at)
    obj.update(
        {
            "body": ctx.url("body", p.body_id),
            "name": p.title,
            "reference": p.reference,
            "date": p.date.isoformat() if p.date else None,
            "paperType": p.get_paper_type_display(),
            "mainFile": file(ctx, files[0]) if files else None,
            "originatorOrganization": (
                [ctx.url("land", p.author_state.code)] if p.author_state_id else []
            ),
            "consultation": [
                consultation(ctx, c, public_item_ids)
                for c in getattr(p, "public_consultations", [])
            ],
            "keyword": [t.name_de for t in p.topics.all()],
            "web": ctx.page("website:paper_detail", slug=p.slug),
        }
    )
    return _clean(obj)
