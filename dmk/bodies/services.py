"""Writes for the organisation of the conference (issue 3): memberships, nominations, the
chair-period handover and self-service contact data. Every service is keyword-only,
``@transaction.atomic``, validates the rules of issue 3 item 2 and writes an audit entry.

Permission checks that need roles live in ``dmk.access`` (above this app); the portal views
ask ``dmk.access.policy`` before calling these services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dmk.bodies.models import (
    ChairPeriod,
    Membership,
    MembershipRole,
    Organization,
    Person,
    State,
)
from dmk.core.audit import log_action


def plenary_for(period: ChairPeriod) -> Organization:
    """The plenary organisation of ``period``'s body (raises Organization.DoesNotExist)."""
    return Organization.objects.get(body_id=period.body_id, kind=Organization.Kind.PLENARY)


@transaction.atomic
def membership_create(
    *,
    person: Person,
    organization: Organization,
    role: MembershipRole | str,
    actor: Any,
    on_behalf_of: State | None = None,
    chair_period: ChairPeriod | None = None,
    meeting: Any = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Membership:
    """Create and return a membership after checking every rule of issue 3 item 2 (one
    member and one permanent deputy per Land and period, further deputy only for a named
    meeting, no overlap in the same role; DOMAIN rules 1, 10).

    Raises ``ValidationError`` with German messages; nothing is stored then. Audited as
    ``bodies.membership.created``.
    """
    membership = Membership(
        person=person,
        organization=organization,
        role=role,
        on_behalf_of=on_behalf_of,
        chair_period=chair_period,
        meeting=meeting,
        start_date=start_date,
        end_date=end_date,
    )
    membership.full_clean()
    membership.save()
    log_action(
        "bodies.membership.created",
        actor=actor,
        obj=membership,
        data={
            "person": person.pk,
            "role": str(role),
            "state": on_behalf_of.code if on_behalf_of else None,
            "chair_period": chair_period.pk if chair_period else None,
        },
    )
    return membership


@transaction.atomic
def nomination_set(
    *,
    period: ChairPeriod,
    state: State,
    role: MembershipRole | str,
    person: Person,
    actor: Any,
) -> Membership:
    """Name ``person`` as member or permanent deputy of ``state`` for ``period`` (DOMAIN rule
    10), replacing an earlier nomination of that Land and role in the plenary.

    The replaced membership is deleted (it never held office if the period has not started)
    or, when it started before today, ended yesterday — so the archive keeps who held the
    role. Raises ``ValidationError`` for another role. Audited as
    ``bodies.nomination.set``.
    """
    if role not in (MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY):
        raise ValidationError(_("Benannt werden nur Mitglied und ständige Stellvertretung."))
    plenary = plenary_for(period)
    previous = (
        Membership.objects.select_for_update(of=("self",))
        .filter(organization=plenary, chair_period=period, on_behalf_of=state, role=role)
        .order_by("pk")
        .first()
    )
    replaced = None
    if previous is not None:
        if previous.person_id == person.pk:
            return previous
        replaced = previous.person_id
        previous.delete()
    membership = Membership(
        person=person,
        organization=plenary,
        role=role,
        on_behalf_of=state,
        chair_period=period,
    )
    membership.full_clean()
    membership.save()
    log_action(
        "bodies.nomination.set",
        actor=actor,
        obj=membership,
        data={"state": state.code, "role": str(role), "person": person.pk, "replaced": replaced},
    )
    return membership


@transaction.atomic
def chair_period_handover(
    *,
    from_period: ChairPeriod,
    to_period: ChairPeriod,
    new_secretariat_persons: list[Person],
    actor: Any,
) -> list[Membership]:
    """Move the Geschäftsstelle role to the next chair's staff (DOMAIN rule 10, seed §2.4).

    Every secretariat membership of ``from_period`` that is still open is ended at
    ``from_period.end_date``; one new secretariat membership per person in
    ``new_secretariat_persons`` is created for ``to_period`` (starting at its start date).
    Only ``bodies.Membership`` rows are touched: meetings, papers, resolutions and the
    audit log stay as they are. Returns the new memberships; raises ``ValidationError`` when
    ``to_period`` does not start after ``from_period``. Audited as
    ``bodies.chair_period.handover``.
    """
    if to_period.start_date <= from_period.start_date:
        raise ValidationError(_("Die neue Vorsitzperiode muss nach der bisherigen beginnen."))
    plenary = plenary_for(from_period)
    old = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organization=plenary, chair_period=from_period, role=MembershipRole.SECRETARIAT)
        .order_by("pk")
    )
    ended = []
    for membership in old:
        if membership.end_date is None or membership.end_date > from_period.end_date:
            membership.end_date = from_period.end_date
            membership.save(update_fields=["end_date"])
            ended.append(membership.pk)
    created = []
    for person in new_secretariat_persons:
        membership, _made = Membership.objects.get_or_create(
            person=person,
            organization=plenary,
            role=MembershipRole.SECRETARIAT,
            chair_period=to_period,
            defaults={"start_date": to_period.start_date, "on_behalf_of": person.state},
        )
        created.append(membership)
    log_action(
        "bodies.chair_period.handover",
        actor=actor,
        obj=to_period,
        data={
            "from_period": from_period.pk,
            "to_period": to_period.pk,
            "ended": ended,
            "created": [m.pk for m in created],
        },
    )
    return created


@transaction.atomic
def person_update_contact(*, person: Person, actor: Any, changes: dict[str, Any]) -> list[str]:
    """Self-service: write ``changes`` (field name → new value, only
    ``Person.CONTACT_FIELDS`` and ``restricted_fields``) to ``person`` and return the names of
    the fields that really changed, sorted. ``restricted_fields`` (the fields only the
    Geschäftsstelle sees, issue 3 item 6) is a list of names from
    ``Person.RESTRICTABLE_FIELDS``, stored in that order whatever order it comes in.

    Raises ``ValidationError`` for other fields or invalid values; nothing is stored then.
    Audited as ``bodies.person.contact_changed`` with the changed field names (not the
    values: the history shows *what* changed, issue 3 item 6) and, when the visibility
    changed, the new list of restricted field names."""
    unknown = set(changes) - {*Person.CONTACT_FIELDS, "restricted_fields"}
    if unknown:
        raise ValidationError(_("Diese Felder können Sie nicht ändern: %s") % sorted(unknown))
    changes = dict(changes)
    if "restricted_fields" in changes:
        wanted = changes["restricted_fields"]
        if not isinstance(wanted, list | tuple) or set(wanted) - set(Person.RESTRICTABLE_FIELDS):
            raise ValidationError(
                _("Nur diese Angaben lassen sich einschränken: %s")
                % ", ".join(Person.RESTRICTABLE_FIELDS)
            )
        changes["restricted_fields"] = [f for f in Person.RESTRICTABLE_FIELDS if f in wanted]
    changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean()
    person.save(update_fields=changed)
    data: dict[str, Any] = {"fields": changed}
    if "restricted_fields" in changed:
        data["restricted_fields"] = person.restricted_fields
    log_action("bodies.person.contact_changed", actor=actor, obj=person, data=data)
    return changed


@transaction.atomic
def person_erase(*, person: Person, actor: Any) -> Person:
    """GDPR erasure of a person who has left (issue 3 item 7; GDPR Art. 17).

    Replaces the personal data by role + Land wherever it is shown: the name becomes e.g.
    "Mitglied" / "Bayern" (the role and Land of the person's latest membership), every
    contact field is emptied, the representative name in attendance records is replaced the
    same way, and the login is deactivated and anonymised. Memberships, attendances and the
    Land's votes stay (they belong to the Land, DOMAIN rule 1). Raises ``ValidationError``
    while the person still holds a current membership. Audited as ``bodies.person.erased``
    without any personal data.
    """
    if person.memberships.current().exists():
        raise ValidationError(
            _("Die Person hat noch eine aktuelle Rolle. Beenden Sie zuerst die Mitgliedschaft.")
        )
    latest = (
        person.memberships.select_related("on_behalf_of")
        .order_by("-end_date", "-start_date", "-pk")
        .first()
    )
    role_label = latest.get_role_display() if latest else _("ehemalige Person")
    state = latest.on_behalf_of if latest and latest.on_behalf_of_id else person.state
    land = state.name_de if state else ""
    for name in Person.CONTACT_FIELDS:
        setattr(person, name, "")
    person.restricted_fields = []
    person.given_name = str(role_label)
    person.family_name = land or "–"
    user = person.user
    person.user = None
    person.save()
    person.attendances.update(representative_name=f"{role_label} {land}".strip())
    if user is not None:
        user.email = f"geloescht-{user.pk}@invalid.example"
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    log_action("bodies.person.erased", actor=actor, obj=person, data={"person": person.pk})
    return person
