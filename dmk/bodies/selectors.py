"""Reads of the organisation (issue 3). Visibility is narrowed by
``dmk.access.policy.visible_persons`` in the caller (access sits above this app)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dmk.bodies.models import ChairPeriod, Membership, MembershipRole, Person, State


def current_chair_period(day: datetime.date | None = None) -> ChairPeriod | None:
    """The chair period containing ``day`` (Europe/Berlin date, default today), else the
    latest one that started before it, else None."""
    day = day or timezone.localdate()
    periods = ChairPeriod.objects.prefetch_related("chairs")
    return (
        periods.filter(start_date__lte=day, end_date__gte=day).first()
        or periods.filter(start_date__lte=day).first()
    )


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
    for word in query.split():
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
    return persons.order_by("family_name", "given_name", "pk")


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
