"""Reads of the OParl interface (issue 16): the public objects of a body, per OParl list, as
querysets with their related rows loaded, so that a list page costs the same few queries
whatever its length. What is public is decided in ``dmk.access.policy`` (DOMAIN rule 11);
this module only asks.

Every list is ordered by primary key (a stable order, OParl 1.1 §2.7) and annotated with
``oparl_modified`` — the ``modified`` the interface publishes, which for an agenda item also
moves when one of its resolutions changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    DateTimeField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest

from dmk.access import policy
from dmk.api.models import Withdrawal
from dmk.bodies.models import Body, ChairPeriod, Membership, Organization, Person, State, Topic
from dmk.meetings.models import AgendaItem, Meeting
from dmk.papers.models import Consultation, Paper, PaperFile
from dmk.resolutions.models import Resolution


@dataclass(frozen=True)
class TimeFilter:
    """The list filters of OParl 1.1 §2.7.4: aware datetimes or None. ``*_since`` is
    inclusive, ``*_until`` inclusive too."""

    created_since: datetime.datetime | None = None
    created_until: datetime.datetime | None = None
    modified_since: datetime.datetime | None = None
    modified_until: datetime.datetime | None = None

    def apply(self, queryset: QuerySet[Any], *, created: str = "created_at") -> QuerySet[Any]:
        """``queryset`` narrowed by the filters; ``created`` names the creation field and the
        queryset must carry the ``oparl_modified`` annotation."""
        conditions = Q()
        if self.created_since:
            conditions &= Q(**{f"{created}__gte": self.created_since})
        if self.created_until:
            conditions &= Q(**{f"{created}__lte": self.created_until})
        if self.modified_since:
            conditions &= Q(oparl_modified__gte=self.modified_since)
        if self.modified_until:
            conditions &= Q(oparl_modified__lte=self.modified_until)
        return queryset.filter(conditions)


def _of(model: Any, body: Body | None, path: str = "body") -> QuerySet[Any]:
    """All rows of ``model``, or those of ``body`` (reached through ``path``)."""
    rows = model._default_manager.all()
    return rows if body is None else rows.filter(**{path: body})


def _modified(queryset: QuerySet[Any], field: str = "modified_at") -> QuerySet[Any]:
    return queryset.annotate(oparl_modified=F(field))


def bodies() -> QuerySet[Body]:
    """Every body of the platform (all are public), with its chair periods."""
    return _modified(Body.objects.prefetch_related("chair_periods__chairs").order_by("pk"))


def lands() -> QuerySet[State]:
    """The 16 Länder (OParl ``Organization``, classification "Land"), by code."""
    return _modified(State.objects.order_by("code"))


def public_memberships(today: datetime.date | None = None) -> QuerySet[Membership]:
    """The public nominations (``policy.public_memberships``), with chair period loaded."""
    return _modified(
        policy.public_memberships(
            Membership.objects.select_related("chair_period", "on_behalf_of"), today=today
        ).order_by("pk")
    )


def organizations(body: Body | None) -> QuerySet[Organization]:
    """The body's own public organisations with the ids of their public memberships."""
    members = policy.public_memberships(Membership.objects.only("pk", "organization_id"))
    return _modified(
        policy.public_organizations(_of(Organization, body))
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="public_memberships"))
        .order_by("pk")
    )


def persons(body: Body | None) -> QuerySet[Person]:
    """Public persons with a public nomination in one of the body's organisations, with those
    nominations loaded (DOMAIN rule 11: only ``policy.PUBLIC_PERSON_FIELDS`` are used)."""
    nominations = policy.public_memberships(
        _of(Membership, body, "organization__body").select_related(
            "chair_period", "on_behalf_of", "organization"
        )
    ).order_by("pk")
    qs = policy.public_persons(Person.objects.all()).filter(pk__in=nominations.values("person_id"))
    return _modified(
        qs.only(*policy.PUBLIC_PERSON_FIELDS, "created_at", "modified_at")
        .prefetch_related(
            Prefetch("memberships", queryset=nominations, to_attr="public_memberships")
        )
        .order_by("pk")
    )


def memberships(body: Body | None) -> QuerySet[Membership]:
    """The public nominations in the body's organisations."""
    return (
        public_memberships()
        if body is None
        else public_memberships().filter(organization__body=body)
    )


def chair_periods(body: Body | None) -> QuerySet[ChairPeriod]:
    """The body's chair periods (OParl ``LegislativeTerm``), with their chair Länder."""
    return _modified(_of(ChairPeriod, body).prefetch_related("chairs").order_by("pk"))


def _public_resolutions() -> QuerySet[Resolution]:
    return policy.public_resolutions(Resolution.objects.select_related("ballot")).order_by(
        "sort_order", "pk"
    )


def _item_modified() -> Any:
    """An agenda item's published ``modified``: its own, or a later one of its resolutions."""
    latest = (
        Resolution.objects.filter(agenda_item=OuterRef("pk"))
        .order_by()
        .values("agenda_item")
        .annotate(m=Max("modified_at"))
        .values("m")
    )
    return Greatest(
        F("modified_at"), Coalesce(Subquery(latest, output_field=DateTimeField()), "modified_at")
    )


def meetings(body: Body | None) -> QuerySet[Meeting]:
    """The body's public meetings with organisation, chair period, their public agenda items
    and public resolutions loaded (OParl ``Meeting.agendaItem`` embeds both)."""
    items = (
        policy.public_agenda_items(AgendaItem.objects.all()).annotate(
            oparl_modified=_item_modified()
        )
    ).order_by("order", "pk")
    return _modified(
        policy.public_meetings(_of(Meeting, body).select_related("organization"))
        .prefetch_related(
            Prefetch("agenda_items", queryset=items, to_attr="public_items"),
            Prefetch("resolutions", queryset=_public_resolutions(), to_attr="public_resolutions"),
        )
        .order_by("pk")
    )


def agenda_items(body: Body | None) -> QuerySet[AgendaItem]:
    """The body's public agenda items, with meeting and public resolutions loaded."""
    return (
        policy.public_agenda_items(_of(AgendaItem, body, "meeting__body"))
        .select_related("meeting")
        .prefetch_related(
            Prefetch("resolutions", queryset=_public_resolutions(), to_attr="public_resolutions")
        )
        .annotate(oparl_modified=_item_modified())
        .order_by("pk")
    )


def standalone_resolutions(body: Body | None) -> QuerySet[Resolution]:
    """Public resolutions that no public agenda item carries (the imported record has none):
    each is published as an OParl ``AgendaItem`` of its own (``/oparl/v1/resolution/<id>/``),
    so every public resolution appears exactly once."""
    public_items = policy.public_agenda_items(AgendaItem.objects.all()).values("pk")
    return _modified(
        _public_resolutions()
        .filter(pk__in=_of(Resolution, body).values("pk"))
        .filter(Q(agenda_item__isnull=True) | ~Q(agenda_item__in=public_items))
        .select_related("meeting")
        .order_by("pk")
    )


def _topics() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "name_de"))


def papers(body: Body | None) -> QuerySet[Paper]:
    """The body's public papers with topics, files (newest first) and public consultations."""
    consultations = policy.public_consultations(Consultation.objects.all()).order_by("pk")
    return _modified(
        policy.public_papers(_of(Paper, body).select_related("author_state"))
        .prefetch_related(
            _topics(),
            Prefetch("files", queryset=PaperFile.objects.order_by("-version")),
            Prefetch("consultations", queryset=consultations, to_attr="public_consultations"),
        )
        .order_by("pk")
    )


def consultations(body: Body | None) -> QuerySet[Consultation]:
    """The public consultations of the body's papers."""
    return _modified(
        policy.public_consultations(_of(Consultation, body, "paper__body"))
        .select_related("agenda_item", "meeting")
        .order_by("pk")
    )


def files(body: Body | None) -> QuerySet[PaperFile]:
    """The files (every stored version) of the body's public papers. A file never changes
    once stored: ``modified`` is its upload time."""
    return (
        policy.public_paper_files(_of(PaperFile, body, "paper__body"))
        .select_related("paper")
        .annotate(oparl_modified=F("uploaded_at"))
        .order_by("pk")
    )


def locations(body: Body | None) -> QuerySet[Meeting]:
    """The body's public meetings that name a place or venue: each is published as the OParl
    ``Location`` of that meeting (``/oparl/v1/location/<meeting id>/``)."""
    return _modified(
        policy.public_meetings(_of(Meeting, body))
        .exclude(place="", venue="")
        .only("pk", "place", "venue", "created_at", "modified_at", "body_id")
        .order_by("pk")
    )


def withdrawn(kind: str, *, since: datetime.datetime) -> QuerySet[Withdrawal]:
    """Tombstones of ``kind`` withdrawn at or after ``since`` (for ``modified_since`` lists:
    a syncing client learns of objects that stopped being public, OParl 1.1 §2.8)."""
    return Withdrawal.objects.filter(kind=kind, withdrawn_at__gte=since).order_by("object_id")


def withdrawal(kind: str, pk: int) -> Withdrawal | None:
    """The tombstone of the object ``pk`` of ``kind``, or None."""
    return Withdrawal.objects.filter(kind=kind, object_id=pk).first()
