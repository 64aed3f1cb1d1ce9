"""Every visibility decision of the platform goes through this module (issue 4 item 5).

Roles come from ``bodies.Membership`` (DOMAIN glossary); objects carry a ``visibility``
(DOMAIN rule 11) and, for drafts, an ``author_state``. Views, selectors, search, feeds,
exports and downloads ask :func:`can_view` or :func:`visible` — never decide on their own.

Rule 11, as implemented:
- ``public``: everybody.
- ``internal``: the Geschäftsstelle and every user holding a member, deputy or Land-staff
  role for some Land (guests do not).
- ``restricted``: the Geschäftsstelle (named bodies and people follow with the working-group
  issue).
- ``draft``: the Geschäftsstelle and users acting for the author Land.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from dmk.bodies.models import Membership, MembershipRole, State
from dmk.core.enums import Visibility


class Role(enum.StrEnum):
    """A principal's role, derived from memberships (issue 4 item 5)."""

    ANONYMOUS = "anonymous"
    PUBLIC = "public"  # logged in, but without any membership
    GUEST = "guest"
    STATE_STAFF = "state_staff"
    MEMBER = "member"
    PERMANENT_DEPUTY = "permanent_deputy"
    FURTHER_DEPUTY = "further_deputy"
    SECRETARIAT = "secretariat"


_STATE_ROLES = {
    MembershipRole.MEMBER: Role.MEMBER,
    MembershipRole.PERMANENT_DEPUTY: Role.PERMANENT_DEPUTY,
    MembershipRole.FURTHER_DEPUTY: Role.FURTHER_DEPUTY,
    MembershipRole.STATE_STAFF: Role.STATE_STAFF,
}


@dataclass(frozen=True)
class Principal:
    """What the platform knows about who is asking: roles and the Länder they act for."""

    roles: frozenset[Role]
    state_ids: frozenset[int]

    @property
    def is_secretariat(self) -> bool:
        return Role.SECRETARIAT in self.roles

    @property
    def is_internal(self) -> bool:
        """Member, deputy, Land staff or Geschäftsstelle: may see internal objects."""
        return self.is_secretariat or bool(self.state_ids)


ANONYMOUS = Principal(roles=frozenset({Role.ANONYMOUS}), state_ids=frozenset())
#: A logged-in user whose session has not passed the second factor: no role at all.
WITHOUT_SECOND_FACTOR = Principal(roles=frozenset({Role.PUBLIC}), state_ids=frozenset())


def _without_second_factor(user: Any) -> bool:
    """True when the request's session of ``user`` has not passed the second factor (flag set
    by ``dmk.accounts.middleware.SecondFactorRequiredMiddleware``; absent outside requests)."""
    return bool(getattr(user, "dmk_without_second_factor", False))


def principal_for(user: Any) -> Principal:
    """The principal of ``user`` (a User, AnonymousUser or None), cached on the user object.

    Superusers count as Geschäftsstelle. Only memberships valid today count. A user whose
    session has not passed the second factor holds no role (issue 4 item 2): a password
    alone opens nothing internal, whatever the URL.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if _without_second_factor(user):
        return WITHOUT_SECOND_FACTOR
    cached = getattr(user, "_dmk_principal", None)
    if cached is not None:
        return cached
    roles: set[Role] = set()
    state_ids: set[int] = set()
    if user.is_superuser:
        roles.add(Role.SECRETARIAT)
    memberships = Membership.objects.current().filter(person__user=user)
    for role, state_id in memberships.values_list("role", "on_behalf_of_id"):
        if role == MembershipRole.SECRETARIAT:
            roles.add(Role.SECRETARIAT)
        elif role in (MembershipRole.GUEST, MembershipRole.PERMANENT_GUEST):
            roles.add(Role.GUEST)
        elif role in _STATE_ROLES and state_id is not None:
            roles.add(_STATE_ROLES[MembershipRole(role)])
            state_ids.add(state_id)
    if not roles:
        roles.add(Role.PUBLIC)
    principal = Principal(roles=frozenset(roles), state_ids=frozenset(state_ids))
    user._dmk_principal = principal
    return principal


def can_view(user: Any, obj: Model) -> bool:
    """Whether ``user`` may see ``obj`` (any model with ``visibility`` and optionally
    ``author_state_id``), per DOMAIN rule 11."""
    principal = principal_for(user)
    visibility = getattr(obj, "visibility", Visibility.PUBLIC)
    if visibility == Visibility.PUBLIC:
        return True
    if principal.is_secretariat:
        return True
    if visibility == Visibility.INTERNAL:
        return principal.is_internal
    if visibility == Visibility.DRAFT:
        return getattr(obj, "author_state_id", None) in principal.state_ids
    return False


def visible(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow ``queryset`` to the rows ``user`` may see — the queryset form of
    :func:`can_view`, for lists, search, feeds and exports."""
    principal = principal_for(user)
    if principal.is_secretariat:
        return queryset
    condition = Q(visibility=Visibility.PUBLIC)
    if principal.is_internal:
        condition |= Q(visibility=Visibility.INTERNAL)
    has_author = any(f.name == "author_state" for f in queryset.model._meta.get_fields())
    if principal.state_ids and has_author:
        condition |= Q(visibility=Visibility.DRAFT, author_state_id__in=principal.state_ids)
    return queryset.filter(condition)


def can_access_portal(user: Any) -> bool:
    """Whether ``user`` may open the member portal at all (any role but anonymous)."""
    return principal_for(user).roles != {Role.ANONYMOUS}


def voting_state_ids(user: Any, *, meeting: Model | None = None) -> frozenset[int]:
    """Primary keys of the Länder whose vote ``user`` may cast today (DOMAIN rule 1, seed §2.2).

    A current membership as member or permanent deputy counts; a further deputy counts only
    for the meeting they were named for (``meeting``). Guests, Land staff and the
    Geschäftsstelle hold no vote. Not cached: read afresh on every call.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    memberships = Membership.objects.current().filter(person__user=user, on_behalf_of__isnull=False)
    standing = Q(role__in=[MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY])
    if meeting is not None:
        standing |= Q(role=MembershipRole.FURTHER_DEPUTY, meeting_id=meeting.pk)
    return frozenset(memberships.filter(standing).values_list("on_behalf_of_id", flat=True))


def can_run_session(user: Any) -> bool:
    """Whether ``user`` may run a session cockpit: open and close ballots, record votes on
    behalf of a Land and manage vote transfers (the Geschäftsstelle, seed §2.4)."""
    return principal_for(user).is_secretariat


def can_prepare_meetings(user: Any) -> bool:
    """Whether ``user`` may prepare meetings: schedule, invite, reschedule, hold and cancel
    them, manage their agenda and record the chair's consent to a Tischvorlage (issue 5
    items 4 and 8; seed §2.4: the Geschäftsstelle prepares meetings; DOMAIN rules 7 and 11)."""
    return principal_for(user).is_secretariat


# --- organisation of the conference (issue 3) ---------------------------------------------


def can_open_directory(user: Any) -> bool:
    """Whether ``user`` may open the contact directory ``/intern/kontakte/`` at all: every
    portal user; guests see only part of it there (:func:`visible_persons`)."""
    return principal_for(user).roles.isdisjoint({Role.ANONYMOUS, Role.PUBLIC})


def visible_persons(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``bodies.Person`` queryset to the contacts ``user`` may see (issue 3 item 6,
    DOMAIN rule 11): internal users and the Geschäftsstelle see everybody; a guest sees the
    people who hold a current Geschäftsstelle membership plus the people of the meetings the
    guest is invited to (:func:`guest_meeting_ids`: invited guests, registered attendances and
    further deputies named for that meeting); everybody else nobody. Subqueries only: the
    number of queries does not grow with the number of persons."""
    principal = principal_for(user)
    if principal.is_internal:
        return queryset
    if Role.GUEST in principal.roles:
        from django.apps import apps

        invitation = apps.get_model("meetings", "GuestInvitation")
        attendance = apps.get_model("meetings", "Attendance")
        meetings = invitation.objects.filter(person__user=user).values("meeting_id")
        secretariat = Membership.objects.current().filter(role=MembershipRole.SECRETARIAT)
        return queryset.filter(
            Q(pk__in=secretariat.values("person_id"))
            | Q(pk__in=invitation.objects.filter(meeting_id__in=meetings).values("person_id"))
            | Q(
                pk__in=attendance.objects.filter(
                    meeting_id__in=meetings, person__isnull=False
                ).values("person_id")
            )
            | Q(pk__in=Membership.objects.filter(meeting_id__in=meetings).values("person_id"))
        )
    return queryset.none()


def visible_contact_fields(user: Any, person: Any) -> frozenset[str]:
    """The names of ``person``'s contact fields (``bodies.Person.CONTACT_FIELDS``) that
    ``user`` may read — the one decision for the directory, the person page, vCards, CSV/XLSX
    and "Meine Daten" (issue 3 item 6: per-field visibility "alle internen Nutzer" / "nur
    Geschäftsstelle"; DOMAIN rule 11). The person themself and the Geschäftsstelle see every
    field; anybody else who may see the person (:func:`visible_persons`, checked by the
    caller) sees all fields but those in ``person.restricted_fields``; anonymous users and
    sessions without the second factor see none. No database query."""
    from dmk.bodies.models import Person

    principal = principal_for(user)
    if principal in (ANONYMOUS, WITHOUT_SECOND_FACTOR):
        return frozenset()
    every = frozenset(Person.CONTACT_FIELDS)
    if principal.is_secretariat or (person.user_id is not None and person.user_id == user.pk):
        return every
    return every - frozenset(person.restricted_fields or ())


def can_hand_over(user: Any) -> bool:
    """Whether ``user`` may run the chair-period handover (issue 3 item 4; DOMAIN rule 10,
    seed §2.4): the current Geschäftsstelle only."""
    return principal_for(user).is_secretariat


def can_export_contacts(user: Any) -> bool:
    """CSV/XLSX export of the directory: the Geschäftsstelle only (issue 3 item 6)."""
    return principal_for(user).is_secretariat


def states_acted_for(user: Any) -> QuerySet[Any]:
    """The Länder (``bodies.State`` queryset, ordered by German name) for which ``user`` drafts
    papers and registers attendance (DOMAIN rules 1 and 11, issue 5 items 3 and 6): the
    Länder of their memberships; every Land for the Geschäftsstelle without a Land of its own;
    none for guests, anonymous users and password-only sessions."""
    principal = principal_for(user)
    if principal.is_secretariat and not principal.state_ids:
        return State.objects.order_by("name_de")
    return State.objects.filter(pk__in=principal.state_ids).order_by("name_de")


def acts_for_a_land(user: Any) -> bool:
    """Whether :func:`states_acted_for` is not empty, answered without a query (the link to
    draft a paper is shown exactly to those ``paper_new`` lets in)."""
    principal = principal_for(user)
    return principal.is_secretariat or bool(principal.state_ids)


def can_edit_nominations(user: Any, state: Any) -> bool:
    """Whether ``user`` may name member and permanent deputy of ``state`` (a ``State``):
    the Geschäftsstelle for every Land, members, deputies and Land staff for their own
    (DOMAIN rule 10, issue 3 item 3)."""
    principal = principal_for(user)
    return principal.is_secretariat or state.pk in principal.state_ids


def guest_visible(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Papers of ``queryset`` that ``user`` sees *as a guest* (DOMAIN rule 11, last sentence;
    seed §2.3): public or internal papers consulted at a meeting the user's person is invited
    to as a whole, or on an agenda item they are invited to. Drafts and restricted papers
    never. Returns an empty queryset for users without a guest invitation. Combine with
    :func:`visible` by ``|`` (issue 5 item 7)."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return queryset.none()
    invited_to_meeting = Q(
        consultations__meeting__guest_invitations__person__user=user,
        consultations__meeting__guest_invitations__agenda_items__isnull=True,
    )
    invited_to_item = Q(consultations__agenda_item__guest_invitations__person__user=user)
    ids = (
        queryset.filter(visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL])
        .filter(invited_to_meeting | invited_to_item)
        .values("pk")
    )
    return queryset.filter(pk__in=ids)


def visible_agenda_items(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``meetings.AgendaItem`` queryset to the items ``user`` may see listed in the
    portal (DOMAIN rule 11, last sentence; issue 5 item 7).

    Members, deputies, Land staff and the Geschäftsstelle see every item of the meetings they
    can open. A guest sees the items of a meeting they are invited to as a whole, and of any
    other meeting only the items they are invited to: the titles of the other items are
    internal. Everybody else sees none.
    """
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return queryset.none()
    if principal_for(user).is_internal:
        return queryset
    whole_meeting = Q(
        meeting__guest_invitations__person__user=user,
        meeting__guest_invitations__agenda_items__isnull=True,
    )
    own_item = Q(guest_invitations__person__user=user)
    ids = queryset.filter(whole_meeting | own_item).values("pk")
    return queryset.filter(pk__in=ids)


def guest_meeting_ids(user: Any) -> frozenset[int]:
    """Primary keys of the meetings ``user``'s person is invited to as a guest (issue 5
    item 7); empty for anonymous users and sessions without the second factor."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return frozenset()
    from django.apps import apps

    invitation = apps.get_model("meetings", "GuestInvitation")
    return frozenset(
        invitation.objects.filter(person__user=user).values_list("meeting_id", flat=True)
    )


def can_hold_calendar_feed(user: Any) -> bool:
    """Whether ``user`` may create and keep a personal calendar feed (issue 5 item 5): an
    active account whose session passed the second factor, acting as member, deputy, Land
    staff, Geschäftsstelle or guest (DOMAIN rule 11: only they see any internal meeting)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    principal = principal_for(user)
    return principal.is_internal or Role.GUEST in principal.roles


def can_use_calendar_feed(user: Any) -> bool:
    """Whether a feed of ``user`` may be served now (issue 5 item 5): :func:`can_hold_calendar_feed`
    and a second factor still set up (allauth ``is_mfa_enabled``). The feed URL stands in for
    a login that would need that factor, so removing it switches the feed off."""
    from allauth.mfa.utils import is_mfa_enabled

    return can_hold_calendar_feed(user) and is_mfa_enabled(user)


def calendar_feed_meetings(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``meetings.Meeting`` queryset to the meetings of ``user``'s personal calendar
    feed (issue 5 item 5, DOMAIN rule 11), decided afresh on every feed request.

    The feed is fetched by a calendar app without a session, so the secret URL stands in for
    the login: without :func:`can_use_calendar_feed` the result is empty. Members, deputies,
    Land staff and the Geschäftsstelle get every meeting (cancelled ones included, so the
    app can show the cancellation); guests only the meetings they are invited to
    (:func:`guest_meeting_ids`).
    """
    if not can_use_calendar_feed(user):
        return queryset.none()
    if principal_for(user).is_internal:
        return queryset
    return queryset.filter(pk__in=guest_meeting_ids(user))


def can_erase_person(user: Any) -> bool:
    """GDPR erasure of a person who has left: the Geschäftsstelle only (issue 3 item 7)."""
    return principal_for(user).is_secretariat


# --- follow-ups of resolutions (issue 6 item 6) ---------------------------------------------


def can_view_followups(user: Any) -> bool:
    """Whether ``user`` may open the follow-ups (Aufträge, ``/intern/nachverfolgung/``) at all:
    the Geschäftsstelle and every member, deputy or Land-staff user (DOMAIN rule 11,
    *internal*); guests, users without a role and anonymous visitors not. Which follow-ups
    they see is narrowed by :func:`visible_followups`."""
    return principal_for(user).is_internal


def visible_followups(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``resolutions.FollowUp`` queryset to what ``user`` may see: nothing unless
    :func:`can_view_followups`; else the follow-ups of the resolutions ``user`` may see
    (:func:`visible` — a draft, unreleased resolution's follow-ups stay with those who may see
    the resolution; DOMAIN rule 11). One subquery, no query per row."""
    if not can_view_followups(user):
        return queryset.none()
    resolution_model = queryset.model._meta.get_field("resolution").related_model
    return queryset.filter(resolution__in=visible(user, resolution_model.objects.all()))


def can_create_followup(user: Any) -> bool:
    """Giving a resolution a follow-up: the Geschäftsstelle only (seed §2.4, issue 6 item 6)."""
    return principal_for(user).is_secretariat


def followup_organization_ids(user: Any) -> frozenset[int]:
    """Primary keys of the organisations (working bodies) ``user`` currently belongs to as
    member, deputy, Land staff or Geschäftsstelle — not as a guest. Cached on the user
    object (one query per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return frozenset()
    cached = getattr(user, "_dmk_followup_orgs", None)
    if cached is not None:
        return cached
    roles = [*_STATE_ROLES, MembershipRole.SECRETARIAT]
    ids = frozenset(
        Membership.objects.current()
        .filter(person__user=user, role__in=roles)
        .values_list("organization_id", flat=True)
    )
    user._dmk_followup_orgs = ids
    return ids


def can_update_followup(user: Any, followup: Model) -> bool:
    """Whether ``user`` may report progress on ``followup`` (its status and note): the
    Geschäftsstelle; for a Land's follow-up the members, deputies and Land staff of that Land;
    for a working body's follow-up its current non-guest members — always only if the user
    may see the follow-up's resolution (issue 6 item 6, DOMAIN rule 11)."""
    principal = principal_for(user)
    if principal.is_secretariat:
        return True
    if not can_view_followups(user) or not can_view(user, followup.resolution):
        return False
    if followup.state_id is not None:
        return followup.state_id in principal.state_ids
    return followup.organization_id in followup_organization_ids(user)


# --- minutes and meeting packs (issue 12) ---------------------------------------------------


def can_edit_minutes(user: Any) -> bool:
    """Drafting, circulating, revising, submitting for approval and correcting minutes: the
    Geschäftsstelle only (seed §2.4 "Pflege des Archivs der Beschlüsse und Protokolle";
    issue 12 items 1–2)."""
    return principal_for(user).is_secretariat


def can_view_minutes(user: Any, minutes: Model) -> bool:
    """Whether ``user`` may read ``minutes`` (a ``minutes.Minutes``) in the portal (DOMAIN
    rule 11; issue 12 item 2: minutes are internal by default). The Geschäftsstelle always;
    members, deputies and Land staff once the draft has been circulated (an unsent draft is
    the Geschäftsstelle's working copy); guests, users without a role and anonymous visitors
    never. No database query."""
    principal = principal_for(user)
    if principal.is_secretariat:
        return True
    return principal.is_internal and getattr(minutes, "status", "draft") != "draft"


def minutes_comment_state_ids(user: Any) -> frozenset[int]:
    """Primary keys of the Länder on whose behalf ``user`` may comment on circulated minutes
    (issue 12 item 2: "a Land comments only for itself"): the Länder of their member, deputy
    and Land-staff memberships. The Geschäftsstelle comments for no Land unless it holds such
    a membership itself. Whether comments are open at all (status "zur Stellungnahme", the
    deadline) is checked by ``dmk.minutes.services.minutes_comment``."""
    return principal_for(user).state_ids


def can_download_pack(user: Any, meeting: Model) -> bool:
    """Whether ``user`` may request and download a Sitzungsmappe of ``meeting`` (issue 12
    item 5, DOMAIN rule 11): members, deputies, Land staff and the Geschäftsstelle; a guest
    only for a meeting they are invited to (their pack then holds only their items, see
    :func:`pack_agenda_items` and :func:`pack_papers`). Nobody else."""
    principal = principal_for(user)
    if principal.is_internal:
        return True
    return Role.GUEST in principal.roles and meeting.pk in guest_meeting_ids(user)


def pack_agenda_items(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The agenda items of a pack for ``user``: exactly those listed for them in the portal
    (:func:`visible_agenda_items`)."""
    return visible_agenda_items(user, queryset)


def pack_papers(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The papers (``papers.Paper`` queryset) whose files may go into ``user``'s pack:
    those :func:`visible` to an internal user; for a guest those of :func:`guest_visible`
    (DOMAIN rule 11, last sentence). Draft papers of another Land never."""
    if principal_for(user).is_internal:
        return visible(user, queryset)
    return guest_visible(user, queryset)
