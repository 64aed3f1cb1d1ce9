"""Reads of the organisation (issue 3). Visibility is narrowed by
``dmk.access.policy.visible_persons`` in the caller (access sits above this app)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dmk.bodies.models import Body, ChairPeriod, Membership, MembershipRole, Person, State
from dmk.bodies.rules import planned_chairs
from dmk.core.text import nfc


def current_chair_period(
    day: datetime.date | None = None, *, body: Body | None = None
) -> ChairPeriod | None:
    """The chair period of ``body`` (None: of any body) containing ``day`` (Europe/Berlin
    date, default today), else the latest one that started before it, else None."""
    day = day or timezone.localdate()
    periods = ChairPeriod.objects.prefetch_related("chairs")
    if body is not None:
        periods = periods.filter(body=body)
    return (
        periods.filter(start_date__lte=day, end_date__gte=day).first()
        or periods.filter(start_date__lte=day).first()
    )


def chair_period_with_names(day: datetime.date) -> tuple[ChairPeriod | None, str]:
    """The chair period containing ``day`` (a Europe/Berlin date; of any body, the latest
    start first) and its chair Länder's names (``ChairPeriod.chair_names``), in one query
    for the public home page (issue 17 item 1); ``(None, "")`` when no period contains it.
    A period without chairs yet is found (with ``""``) only when no period with chairs
    contains ``day``."""
    links = list(
        ChairPeriod.chairs.through.objects.filter(
            chairperiod__start_date__lte=day, chairperiod__end_date__gte=day
        )
        .select_related("chairperiod", "state")
        .only(
            *(f"chairperiod__{name}" for name in ("body", "start_date", "end_date", "leitthema")),
            "state__name_de",
            "state__name_en",
        )
        .order_by("-chairperiod__start_date", "chairperiod_id", "state__name_de")
    )
    if not links:  # no period, or one without chairs yet
        period = ChairPeriod.objects.filter(start_date__lte=day, end_date__gte=day).first()
        return period, ""
    period = links[0].chairperiod
    states = [link.state for link in links if link.chairperiod_id == period.pk]
    return period, ChairPeriod.join_names(states)


def directory_persons(
    *,
    query: str = "",
    state_code: str = "",
    organization_id: int | None = None,
    role: str = "",
) -> QuerySet[Person]:
    """Persons of the directory, filtered by name (``query``, case-insensitive substring of
    given or family name), Land (``state_code``, ISO 3166-2), organisation and role of a
    current membership. Each person carries ``current_memberships`` (a list, prefetched)."""
    current = Membership.objects.current().select_related("organization", "on_behalf_of")
    persons = Person.objects.select_related("state").prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    )
    for word in nfc(query).split():  # NFC also when called outside a request
        persons = persons.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if state_code:
        persons = persons.filter(state__code=state_code)
    if organization_id or role:
        matching = current
        if organization_id:
            matching = matching.filter(organization_id=organization_id)
        if role:
            matching = matching.filter(role=role)
        persons = persons.filter(pk__in=matching.values("person_id"))
    return persons.order_by("sort_key", "pk")


def nomination_board(period: ChairPeriod) -> list[dict[str, object]]:
    """One row per Land (16, German order): ``state``, ``member`` and ``deputy`` (a Person or
    None = "fehlt") of ``period``'s plenary (DOMAIN rule 10, issue 3 item 3)."""
    nominations = Membership.objects.filter(
        chair_period=period,
        organization__kind="plenary",
        role__in=[MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY],
    ).select_related("person")
    by_key = {(m.on_behalf_of_id, m.role): m.person for m in nominations}
    return [
        {
            "state": state,
            "member": by_key.get((state.pk, MembershipRole.MEMBER)),
            "deputy": by_key.get((state.pk, MembershipRole.PERMANENT_DEPUTY)),
        }
        for state in State.objects.order_by("name_de")
    ]


@dataclass(frozen=True)
class HandoverPreview:
    """What :func:`dmk.bodies.services.chair_period_handover` would do, computed without
    writing (issue 3 item 4): ``from_period`` hands the Geschäftsstelle to ``to_period``
    (None: no later period is set up yet); ``losing`` are the persons whose open
    Geschäftsstelle membership of ``from_period`` ends at its last day; ``gaining`` the
    Land staff of ``to_period``'s chair Länder who get a Geschäftsstelle membership from its
    first day; ``already`` those of ``gaining`` who hold one for ``to_period`` already."""

    from_period: ChairPeriod
    to_period: ChairPeriod | None
    losing: list[Person]
    gaining: list[Person]
    already: frozenset[int]

    @property
    def pending(self) -> bool:
        """Whether running the handover would change anything."""
        return self.to_period is not None and bool(
            self.losing or {p.pk for p in self.gaining} - self.already
        )


def _open_secretariat(period: ChairPeriod) -> QuerySet[Membership]:
    """Geschäftsstelle memberships of ``period``'s plenary that the handover would end (no
    end date, or one after the period's last day)."""
    return Membership.objects.filter(
        chair_period=period,
        organization__body_id=period.body_id,
        organization__kind="plenary",
        role=MembershipRole.SECRETARIAT,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=period.end_date))


def handover_preview(
    day: datetime.date | None = None, *, body: Body | None = None
) -> HandoverPreview | None:
    """The handover the Geschäftsstelle can run now (issue 3 item 4; DOMAIN rule 10).

    ``from_period`` is the latest chair period whose plenary still has an open Geschäftsstelle
    membership (so a handover run in January still starts from the old period), else the
    current period on ``day`` (Europe/Berlin date, default today). ``to_period`` is the next
    period of the same body. The new Geschäftsstelle are the people with a Land-staff role
    (``state_staff``) in the plenary for one of ``to_period``'s chair Länder that has not
    ended before ``to_period`` starts. Only chair periods of ``body`` count (None: of any
    body; issue 11 item 1: each body hands over its own Geschäftsstelle). Returns None when
    there is no chair period at all. Reads only; the same rules as ``chair_period_handover``.
    """
    still_open = Membership.objects.filter(
        role=MembershipRole.SECRETARIAT, organization__kind="plenary", chair_period__isnull=False
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=models.F("chair_period__end_date")))
    open_periods = ChairPeriod.objects.filter(pk__in=still_open.values("chair_period_id"))
    if body is not None:
        open_periods = open_periods.filter(body=body)
    from_period = open_periods.order_by("-start_date").first() or current_chair_period(
        day, body=body
    )
    if from_period is None:
        return None
    to_period = (
        ChairPeriod.objects.filter(
            body_id=from_period.body_id, start_date__gt=from_period.start_date
        )
        .prefetch_related("chairs")
        .order_by("start_date")
        .first()
    )
    losing = [
        m.person for m in _open_secretariat(from_period).select_related("person").order_by("pk")
    ]
    gaining: list[Person] = []
    already: frozenset[int] = frozenset()
    if to_period is not None:
        staff = (
            Membership.objects.filter(
                organization__body_id=to_period.body_id,
                organization__kind="plenary",
                role=MembershipRole.STATE_STAFF,
                on_behalf_of__in=to_period.chairs.all(),
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=to_period.start_date))
            .values("person_id")
        )
        gaining = list(Person.objects.filter(pk__in=staff).order_by("sort_key", "pk"))
        already = frozenset(
            Membership.objects.filter(
                chair_period=to_period,
                role=MembershipRole.SECRETARIAT,
                organization__kind="plenary",
                person__in=gaining,
            ).values_list("person_id", flat=True)
        )
    return HandoverPreview(
        from_period=from_period,
        to_period=to_period,
        losing=losing,
        gaining=gaining,
        already=already,
    )


def planned_chair_sequence(body: Body, *, count: int = 5) -> list[tuple[int, State]]:
    """The next ``count`` planned chair Länder of ``body`` as ``[(year, State), …]`` after its
    latest chair period, from the rotation set in ``Body.chair_rotation`` (issue 3 item 4;
    :func:`dmk.bodies.rules.planned_chairs`). At most one round of the rotation; empty when
    no rotation is set or no chair period exists. Years are calendar years."""
    if not body.chair_rotation:
        return []
    last = body.chair_periods.prefetch_related("chairs").order_by("-start_date").first()
    if last is None:
        return []
    count = min(count, len(body.chair_rotation))
    years = range(last.end_date.year + 1, last.end_date.year + 1 + count)
    plan = planned_chairs(body.chair_rotation, [s.code for s in last.chairs.all()], years)
    states = State.objects.in_bulk([code for _year, code in plan], field_name="code")
    return [(year, states[code]) for year, code in plan if code in states]
