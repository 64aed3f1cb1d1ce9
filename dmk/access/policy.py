"""Every visibility decision of the platform goes through this module (issue 4 item 5).

Roles come from ``bodies.Membership`` (DOMAIN glossary); objects carry a ``visibility``
(DOMAIN rule 11) and, for drafts, an ``author_state``. Views, selectors, search, feeds,
exports and downloads ask :func:`can_view` or :func:`visible` — never decide on their own.

Every membership belongs to a body through its organisation (``Membership.organization.body``)
and every role is asked *for* a body (issue 11 item 1): a Geschäftsstelle membership counts
only for its own body, a member or deputy sees the internal objects only of the bodies they
belong to, and a vote is found among the memberships of the organisation that votes
(:func:`voting_state_ids`: the plenary of the meeting's body, or the working body whose
meeting it is). An object's body is its ``body`` (papers, resolutions, meetings, written
procedures, organisations, chair periods) or that of its meeting (agenda items, ballots).
Objects without a body keep the unscoped answer. Superusers count as Geschäftsstelle of
every body.

Rule 11, as implemented:
- ``public``: everybody.
- ``internal``: the Geschäftsstelle of the object's body and every user holding a member,
  deputy or Land-staff role for some Land in that body (guests do not).
- ``restricted``: the Geschäftsstelle of the object's body (named bodies and people follow
  with the working-group issue).
- ``draft``: the Geschäftsstelle of the object's body and users acting for the author Land in
  that body.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dmk.bodies.models import Body, Membership, MembershipRole, Organization, State
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
    """What the platform knows about who is asking: roles and the Länder they act for, in
    total (``roles``, ``state_ids``) and per body (issue 11 item 1).

    ``secretariat_body_ids``: bodies whose Geschäftsstelle the user is; ``internal_body_ids``:
    bodies in which the user holds a member, deputy, Land-staff or Geschäftsstelle role;
    ``body_states``: pairs (body pk, State pk) of the Länder the user acts for in each body;
    ``every_body``: a superuser, Geschäftsstelle of every body.
    """

    roles: frozenset[Role]
    state_ids: frozenset[int]
    secretariat_body_ids: frozenset[int] = field(default_factory=frozenset)
    internal_body_ids: frozenset[int] = field(default_factory=frozenset)
    body_states: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    every_body: bool = False

    @property
    def is_secretariat(self) -> bool:
        """Geschäftsstelle of *some* body. Decisions about one object or body use
        :meth:`is_secretariat_of` instead (issue 11 item 1)."""
        return Role.SECRETARIAT in self.roles

    @property
    def is_internal(self) -> bool:
        """Member, deputy, Land staff or Geschäftsstelle of some body."""
        return self.is_secretariat or bool(self.state_ids)

    def is_secretariat_of(self, body_id: int | None) -> bool:
        """Whether the principal is the Geschäftsstelle of body ``body_id`` (a pk); ``None``
        (an object without a body) asks for any body."""
        if self.every_body:
            return True
        if body_id is None:
            return self.is_secretariat
        return body_id in self.secretariat_body_ids

    def is_internal_in(self, body_id: int | None) -> bool:
        """Whether the principal holds an internal role in body ``body_id`` (None: any)."""
        if self.every_body:
            return True
        if body_id is None:
            return self.is_internal
        return body_id in self.internal_body_ids

    def state_ids_in(self, body_id: int | None) -> frozenset[int]:
        """The Länder the principal acts for in body ``body_id`` (None: in any body)."""
        if body_id is None:
            return self.state_ids
        return frozenset(state for body, state in self.body_states if body == body_id)


ANONYMOUS = Principal(roles=frozenset({Role.ANONYMOUS}), state_ids=frozenset())
#: A logged-in user whose session has not passed the second factor: no role at all.
WITHOUT_SECOND_FACTOR = Principal(roles=frozenset({Role.PUBLIC}), state_ids=frozenset())


def _without_second_factor(user: Any) -> bool:
    """True when the request's session of ``user`` has not passed the second factor (flag set
    by ``dmk.accounts.middleware.SecondFactorRequiredMiddleware``; absent outside requests)."""
    return bool(getattr(user, "dmk_without_second_factor", False))


def _authenticated(user: Any) -> bool:
    """A logged-in user whose session passed the second factor (or outside a request)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and not _without_second_factor(user)
    )


def body_id_of(obj: Any) -> int | None:
    """The primary key of the body ``obj`` belongs to (issue 11 item 1), or None.

    ``obj`` may be a ``Body``, a body's pk (int), or any object with a ``body_id`` (paper,
    resolution, meeting, written procedure, organisation, chair period), a ``meeting``
    (agenda item, attendance, vote transfer), an ``agenda_item`` (ballot) or a
    ``resolution`` (follow-up). Reads at most the related rows already loaded or one each.
    """
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    if obj.__class__.__name__ == "Body" and obj._meta.app_label == "bodies":
        return obj.pk
    if hasattr(obj, "body_id"):
        return obj.body_id
    for attribute in ("meeting", "agenda_item", "resolution", "procedure"):
        related = getattr(obj, attribute, None)
        if related is not None:
            return body_id_of(related)
    return None


def principal_for(user: Any) -> Principal:
    """The principal of ``user`` (a User, AnonymousUser or None), cached on the user object.

    Superusers count as Geschäftsstelle of every body. Only memberships valid today count;
    each counts for the body of its organisation. A user whose session has not passed the
    second factor holds no role (issue 4 item 2): a password alone opens nothing internal,
    whatever the URL.
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
    secretariat_bodies: set[int] = set()
    internal_bodies: set[int] = set()
    body_states: set[tuple[int, int]] = set()
    if user.is_superuser:
        roles.add(Role.SECRETARIAT)
    memberships = Membership.objects.current().filter(person__user=user)
    for role, state_id, body_id in memberships.values_list(
        "role", "on_behalf_of_id", "organization__body_id"
    ):
        if role == MembershipRole.SECRETARIAT:
            roles.add(Role.SECRETARIAT)
            secretariat_bodies.add(body_id)
            internal_bodies.add(body_id)
        elif role in (MembershipRole.GUEST, MembershipRole.PERMANENT_GUEST):
            roles.add(Role.GUEST)
        elif role in _STATE_ROLES and state_id is not None:
            roles.add(_STATE_ROLES[MembershipRole(role)])
            state_ids.add(state_id)
            internal_bodies.add(body_id)
            body_states.add((body_id, state_id))
    if not roles:
        roles.add(Role.PUBLIC)
    principal = Principal(
        roles=frozenset(roles),
        state_ids=frozenset(state_ids),
        secretariat_body_ids=frozenset(secretariat_bodies),
        internal_body_ids=frozenset(internal_bodies),
        body_states=frozenset(body_states),
        every_body=bool(user.is_superuser),
    )
    user._dmk_principal = principal
    return principal


def is_secretariat_of(user: Any, body: Any = None) -> bool:
    """Whether ``user`` is the Geschäftsstelle of ``body`` (a Body, its pk or any object of it,
    :func:`body_id_of`); without ``body``: of any body (seed §2.4; issue 11 item 1)."""
    return principal_for(user).is_secretariat_of(body_id_of(body))


def can_view(user: Any, obj: Model) -> bool:
    """Whether ``user`` may see ``obj`` (any model with ``visibility`` and optionally
    ``author_state_id``), per DOMAIN rule 11, asked for ``obj``'s body (issue 11 item 1)."""
    principal = principal_for(user)
    visibility = getattr(obj, "visibility", Visibility.PUBLIC)
    if visibility == Visibility.PUBLIC:
        return True
    body_id = body_id_of(obj)
    if principal.is_secretariat_of(body_id):
        return True
    if visibility == Visibility.INTERNAL:
        return principal.is_internal_in(body_id)
    if visibility == Visibility.DRAFT:
        return getattr(obj, "author_state_id", None) in principal.state_ids_in(body_id)
    return False


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def visible(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow ``queryset`` to the rows ``user`` may see — the queryset form of
    :func:`can_view`, for lists, search, feeds and exports. Rows of a model with a ``body``
    are decided per body (issue 11 item 1)."""
    principal = principal_for(user)
    if principal.every_body:
        return queryset
    model = queryset.model
    has_author = _has_field(model, "author_state")
    condition = Q(visibility=Visibility.PUBLIC)
    if not _has_field(model, "body"):
        if principal.is_secretariat:
            return queryset
        if principal.is_internal:
            condition |= Q(visibility=Visibility.INTERNAL)
        if principal.state_ids and has_author:
            condition |= Q(visibility=Visibility.DRAFT, author_state_id__in=principal.state_ids)
        return queryset.filter(condition)
    if principal.secretariat_body_ids:
        condition |= Q(body_id__in=principal.secretariat_body_ids)
    if principal.internal_body_ids:
        condition |= Q(visibility=Visibility.INTERNAL, body_id__in=principal.internal_body_ids)
    if has_author:
        for body_id in sorted({body for body, _state in principal.body_states}):
            condition |= Q(
                visibility=Visibility.DRAFT,
                body_id=body_id,
                author_state_id__in=sorted(principal.state_ids_in(body_id)),
            )
    return queryset.filter(condition)


def visible_meetings(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``meetings.Meeting`` queryset to what ``user`` may see (DOMAIN rule 11):
    publicly announced meetings (``is_public``) for everybody; the others for the internal
    users and the Geschäftsstelle of the meeting's body (issue 11 item 1) and for guests
    invited to them (:func:`guest_meeting_ids`)."""
    principal = principal_for(user)
    if principal.every_body:
        return queryset
    condition = Q(is_public=True)
    if principal.internal_body_ids:
        condition |= Q(body_id__in=principal.internal_body_ids)
    if _authenticated(user):
        from django.apps import apps

        invitation = apps.get_model("meetings", "GuestInvitation")
        # a subquery: no extra query per request (the meeting list's query count stays flat)
        condition |= Q(pk__in=invitation.objects.filter(person__user=user).values("meeting_id"))
    return queryset.filter(condition)


def can_access_portal(user: Any) -> bool:
    """Whether ``user`` may open the member portal at all (any role but anonymous)."""
    return principal_for(user).roles != {Role.ANONYMOUS}


def in_office(queryset: QuerySet[Any], day: datetime.date | None = None) -> QuerySet[Any]:
    """Narrow a ``Membership`` queryset to those in office on ``day`` (Europe/Berlin date,
    default today): valid by their own dates (``Membership.objects.current``) and, when they
    belong to a chair period, within that period (DOMAIN rule 1: the member and deputy "of
    the current chair period"; DOMAIN rule 10). Used for the vote only: the other roles of
    :func:`principal_for` read ``current()`` (a handover ends and starts the Geschäftsstelle
    with explicit dates, ``dmk.bodies.services.chair_period_handover``)."""
    day = day or timezone.localdate()
    return queryset.current(day).filter(
        Q(chair_period__isnull=True)
        | (
            (Q(start_date__isnull=False) | Q(chair_period__start_date__lte=day))
            & (Q(end_date__isnull=False) | Q(chair_period__end_date__gte=day))
        )
    )


_WORKING_BODY_MEETING = "working_body"


def voting_organization_id(
    *, meeting: Any = None, body: Any = None, organization: Any = None
) -> int | None:
    """The primary key of the organisation whose memberships carry the vote (DOMAIN rule 1,
    issue 11 item 1), or None when nobody votes there.

    ``organization`` (an Organization or pk) is taken as it is. A ``meeting`` votes in its own
    organisation (a working body's meeting: that working body's members); a meeting without
    one votes in its body's plenary, unless it is a working-body meeting (then nobody). A
    ``body`` (a Body, pk or object of it; e.g. a written procedure) votes in its plenary
    (``Organization.kind`` plenary). One query at most.
    """
    if organization is not None:
        return organization if isinstance(organization, int) else organization.pk
    if meeting is not None:
        if meeting.organization_id is not None:
            return meeting.organization_id
        if meeting.kind == _WORKING_BODY_MEETING:
            return None
        body = meeting.body_id
    body_id = body_id_of(body)
    if body_id is None:
        return None
    return (
        Organization.objects.filter(body_id=body_id, kind=Organization.Kind.PLENARY)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def voting_state_ids(
    user: Any, *, meeting: Model | None = None, body: Any = None, organization: Any = None
) -> frozenset[int]:
    """Primary keys of the Länder whose vote ``user`` may cast today (DOMAIN rule 1, seed §2.2).

    Asked for the organisation that votes (:func:`voting_organization_id`, issue 11 item 1):
    the plenary of the meeting's or ``body``'s body, or the working body whose meeting it is.
    A membership in office (:func:`in_office`: current, within its chair period) as member or
    permanent deputy *of that organisation* counts; a further deputy counts only for the
    meeting they were named for (``meeting``). A membership in a working group never gives a
    plenary vote, nor the other way round. Guests, Land staff and the Geschäftsstelle hold no
    vote. Without ``meeting``, ``body`` and ``organization`` the plenary memberships of any
    body count. Not cached: read afresh on every call. Empty for sessions without the second
    factor.
    """
    if not _authenticated(user):
        return frozenset()
    memberships = in_office(
        Membership.objects.filter(person__user=user, on_behalf_of__isnull=False)
    )
    if meeting is None and body is None and organization is None:
        memberships = memberships.filter(organization__kind=Organization.Kind.PLENARY)
    else:
        organization_id = voting_organization_id(
            meeting=meeting, body=body, organization=organization
        )
        if organization_id is None:
            return frozenset()
        memberships = memberships.filter(organization_id=organization_id)
    standing = Q(role__in=[MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY])
    if meeting is not None:
        standing |= Q(role=MembershipRole.FURTHER_DEPUTY, meeting_id=meeting.pk)
    return frozenset(memberships.filter(standing).values_list("on_behalf_of_id", flat=True))


def holds_voting_role(user: Any, *, meeting: Model, state_id: int, role: str) -> bool:
    """Whether ``user`` holds ``role`` (member, permanent or further deputy) for the Land
    ``state_id`` in the organisation that votes at ``meeting`` (:func:`voting_organization_id`),
    in office today; a further deputy only if named for ``meeting`` (DOMAIN rule 1; issue 11
    item 1). Used by ``dmk.voting.selectors.represents``."""
    if not _authenticated(user):
        return False
    organization_id = voting_organization_id(meeting=meeting)
    if organization_id is None:
        return False
    memberships = in_office(
        Membership.objects.filter(
            person__user=user,
            organization_id=organization_id,
            on_behalf_of_id=state_id,
            role=role,
        )
    )
    if role == MembershipRole.FURTHER_DEPUTY:
        memberships = memberships.filter(meeting_id=meeting.pk)
    return memberships.exists()


def can_run_session(user: Any, *, body: Any = None) -> bool:
    """Whether ``user`` may run a session cockpit or a written procedure of ``body`` (a Body,
    its pk, or any object of it — meeting, ballot, written procedure): open and close ballots,
    record votes on behalf of a Land, correct a cast vote or a written procedure's answer
    with a reason (issue 11 Build 2; DOMAIN rule 8) and manage vote transfers (the
    Geschäftsstelle of that body, seed §2.4; issue 11 item 1). Without ``body``: the
    Geschäftsstelle of any body (only to decide whether to *show* a link; every action passes
    the body)."""
    return is_secretariat_of(user, body)


def can_see_written_choices(user: Any, *, procedure: Any) -> bool:
    """Whether ``user`` may read each Land's choice in ``procedure`` (a WrittenProcedure
    ``user`` may open at all): everybody once its outcome is stored; before that — while it
    runs, or after a demand for oral treatment stopped it — only the Geschäftsstelle of its
    body (DOMAIN rule 8). Everybody else learns only that a Land answered ("hat
    geantwortet"), on the page as in the proof PDF."""
    return procedure.stored_outcome is not None or can_run_session(user, body=procedure.body_id)


def can_prepare_meetings(user: Any, *, body: Any = None) -> bool:
    """Whether ``user`` may prepare meetings of ``body`` (a Body, pk or meeting): schedule,
    invite, reschedule, hold and cancel them, manage their agenda and record the chair's
    consent to a Tischvorlage (issue 5 items 4 and 8; seed §2.4: the Geschäftsstelle
    prepares meetings; DOMAIN rules 7 and 11). Only the Geschäftsstelle *of that body*
    (issue 11 item 1); without ``body``: of any body."""
    return is_secretariat_of(user, body)


# --- organisation of the conference (issue 3) ---------------------------------------------


def can_open_directory(user: Any) -> bool:
    """Whether ``user`` may open the contact directory ``/intern/kontakte/`` at all: every
    portal user; guests see only part of it there (:func:`visible_persons`)."""
    return principal_for(user).roles.isdisjoint({Role.ANONYMOUS, Role.PUBLIC})


def _open_memberships(day: datetime.date) -> QuerySet[Any]:
    """Memberships not ended on ``day`` (Europe/Berlin date): current ones and those that begin
    later (a nomination for the coming chair period)."""
    return Membership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def _former_persons_of(body_ids: list[int], day: datetime.date) -> Q:
    """Condition on ``bodies.Person`` rows: persons without a membership open on ``day``
    (:func:`_open_memberships`) whose latest ended membership (greatest ``end_date``) was in
    an organisation of one of ``body_ids`` — the people who have left those bodies and whom
    their Geschäftsstelle may erase (issue 3 item 7, issue 11 item 1). Two subqueries."""
    last_end = (
        Membership.objects.filter(person_id=OuterRef("person_id"), end_date__isnull=False)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    last_in_body = Membership.objects.filter(
        organization__body_id__in=body_ids, end_date=Subquery(last_end)
    ).values("person_id")
    return Q(pk__in=last_in_body) & ~Q(pk__in=_open_memberships(day).values("person_id"))


def visible_persons(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``bodies.Person`` queryset to the contacts ``user`` may see (issue 3 item 6,
    DOMAIN rule 11, asked per body: issue 11 item 1).

    - A member, deputy, Land-staff or Geschäftsstelle user of body X sees the persons holding
      a current membership in an organisation of X (``Membership.organization.body``: its
      plenary, working bodies and the organisations of its guests), plus the persons holding
      a current Geschäftsstelle membership of *any* body (every conference's office is a
      contact point, seed §2.4). The people of another body are not there.
    - The Geschäftsstelle of X sees in addition the persons with a coming membership in X
      (not yet begun) and those who have left X (no open membership, the latest one in X:
      the people it may erase, :func:`can_erase_person`).
    - A guest sees the people who hold a current Geschäftsstelle membership plus the people
      of the meetings the guest is invited to (:func:`guest_meeting_ids`: invited guests,
      registered attendances and further deputies named for that meeting); a user who is
      guest in one body and internal in another gets both.
    - Superusers see everybody; everybody else nobody.

    Returns ``queryset`` filtered (never evaluated). Subqueries only: the number of queries
    does not grow with the number of persons.
    """
    principal = principal_for(user)
    if principal.every_body:
        return queryset
    is_guest = Role.GUEST in principal.roles
    if not principal.is_internal and not is_guest:
        return queryset.none()
    today = timezone.localdate()
    current = Membership.objects.current(today)
    condition = Q(pk__in=current.filter(role=MembershipRole.SECRETARIAT).values("person_id"))
    if principal.internal_body_ids:
        internal = sorted(principal.internal_body_ids)
        condition |= Q(
            pk__in=current.filter(organization__body_id__in=internal).values("person_id")
        )
    if principal.secretariat_body_ids:
        offices = sorted(principal.secretariat_body_ids)
        condition |= Q(
            pk__in=_open_memberships(today)
            .filter(organization__body_id__in=offices)
            .values("person_id")
        )
        condition |= _former_persons_of(offices, today)
    if is_guest:
        from django.apps import apps

        invitation = apps.get_model("meetings", "GuestInvitation")
        attendance = apps.get_model("meetings", "Attendance")
        meetings = invitation.objects.filter(person__user=user).values("meeting_id")
        condition |= (
            Q(pk__in=invitation.objects.filter(meeting_id__in=meetings).values("person_id"))
            | Q(
                pk__in=attendance.objects.filter(
                    meeting_id__in=meetings, person__isnull=False
                ).values("person_id")
            )
            | Q(pk__in=Membership.objects.filter(meeting_id__in=meetings).values("person_id"))
        )
    return queryset.filter(condition)


def _current_body_ids(person: Any) -> frozenset[int]:
    """Primary keys of the bodies in which ``person`` (a ``bodies.Person``) holds a current
    membership. Reads the ``current_memberships`` list that
    ``dmk.bodies.selectors.directory_persons`` prefetches (with ``organization``: no query);
    without it, one query."""
    prefetched = getattr(person, "current_memberships", None)
    if prefetched is not None:
        return frozenset(m.organization.body_id for m in prefetched)
    return frozenset(
        Membership.objects.current()
        .filter(person_id=person.pk)
        .values_list("organization__body_id", flat=True)
    )


def visible_contact_fields(user: Any, person: Any) -> frozenset[str]:
    """The names of ``person``'s contact fields (``bodies.Person.CONTACT_FIELDS``) that
    ``user`` may read — the one decision for the directory, the person page, vCards, CSV/XLSX
    and "Meine Daten" (issue 3 item 6: per-field visibility "alle internen Nutzer" / "nur
    Geschäftsstelle"; DOMAIN rule 11; issue 11 item 1: the Geschäftsstelle *of the person's
    body*).

    Every field for the person themself, for superusers and for the Geschäftsstelle of a body
    in which ``person`` holds a current membership (:func:`_current_body_ids`); anybody else
    who may see the person (:func:`visible_persons`, checked by the caller) — also the
    Geschäftsstelle of another body — sees all fields but those in
    ``person.restricted_fields``; anonymous users and sessions without the second factor see
    none. No database query for the person themself, for users who are no Geschäftsstelle and
    for persons of ``directory_persons``; else one.
    """
    from dmk.bodies.models import Person

    principal = principal_for(user)
    if principal in (ANONYMOUS, WITHOUT_SECOND_FACTOR):
        return frozenset()
    every = frozenset(Person.CONTACT_FIELDS)
    if principal.every_body or (person.user_id is not None and person.user_id == user.pk):
        return every
    if principal.secretariat_body_ids and (
        principal.secretariat_body_ids & _current_body_ids(person)
    ):
        return every
    return every - frozenset(person.restricted_fields or ())


def can_hand_over(user: Any, *, body: Any = None) -> bool:
    """Whether ``user`` may run the chair-period handover of ``body`` (issue 3 item 4; DOMAIN
    rule 10, seed §2.4): the current Geschäftsstelle of that body only (issue 11 item 1);
    without ``body``: of any body."""
    return is_secretariat_of(user, body)


def can_export_contacts(user: Any) -> bool:
    """CSV/XLSX export of the directory: the Geschäftsstelle of some body (issue 3 item 6).
    What the file holds is decided per body as for the list: the persons of
    :func:`visible_persons`, their restricted fields only where :func:`visible_contact_fields`
    allows (issue 11 item 1)."""
    return principal_for(user).is_secretariat


def states_acted_for(user: Any, *, body: Any = None) -> QuerySet[Any]:
    """The Länder (``bodies.State`` queryset, ordered by German name) for which ``user`` drafts
    papers and registers attendance in ``body`` (DOMAIN rules 1 and 11, issue 5 items 3 and
    6; issue 11 item 1: asked for a body, None = any): the Länder of their memberships in that
    body; every Land for that body's Geschäftsstelle without a Land of its own; none for
    guests, anonymous users and password-only sessions."""
    principal = principal_for(user)
    body_id = body_id_of(body)
    own = principal.state_ids_in(body_id)
    if principal.is_secretariat_of(body_id) and not own:
        return State.objects.order_by("name_de")
    return State.objects.filter(pk__in=own).order_by("name_de")


def acts_for_a_land(user: Any) -> bool:
    """Whether :func:`states_acted_for` is not empty, answered without a query (the link to
    draft a paper is shown exactly to those ``paper_new`` lets in)."""
    principal = principal_for(user)
    return principal.is_secretariat or bool(principal.state_ids)


def can_edit_nominations(user: Any, state: Any, *, body: Any = None) -> bool:
    """Whether ``user`` may name member and permanent deputy of ``state`` (a ``State``) in
    ``body`` (None: any body): the Geschäftsstelle of that body for every Land, members,
    deputies and Land staff for their own (DOMAIN rule 10, issue 3 item 3, issue 11 item 1)."""
    principal = principal_for(user)
    body_id = body_id_of(body)
    return principal.is_secretariat_of(body_id) or state.pk in principal.state_ids_in(body_id)


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

    Members, deputies, Land staff and the Geschäftsstelle see every item of the meetings of
    their body (issue 11 item 1). A guest sees the items of a meeting they are invited to as
    a whole, and of any other meeting only the items they are invited to: the titles of the
    other items are internal. Everybody else sees none.
    """
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return queryset.none()
    principal = principal_for(user)
    if principal.every_body:
        return queryset
    whole_meeting = Q(
        meeting__guest_invitations__person__user=user,
        meeting__guest_invitations__agenda_items__isnull=True,
    )
    own_item = Q(guest_invitations__person__user=user)
    internal = Q(meeting__body_id__in=principal.internal_body_ids)
    ids = queryset.filter(internal | whole_meeting | own_item).values("pk")
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
    app can show the cancellation) that :func:`visible_meetings` shows them — the public
    ones and those of their own body (issue 11 item 1); guests only the meetings they are
    invited to (:func:`guest_meeting_ids`).
    """
    if not can_use_calendar_feed(user):
        return queryset.none()
    if principal_for(user).is_internal:
        return visible_meetings(user, queryset)
    return queryset.filter(pk__in=guest_meeting_ids(user))


def can_erase_person(user: Any, person: Any = None) -> bool:
    """Whether ``user`` may erase the personal data of ``person`` (a ``bodies.Person``; GDPR
    Art. 17, issue 3 item 7), asked per body (issue 11 item 1).

    Only the Geschäftsstelle of the person's body: when the person still holds memberships
    that have not ended (current or coming), the user must be the Geschäftsstelle of *every*
    body of them (the conference B's office never erases a member of conference A, nor
    somebody who is still with A); when all have ended, of the body of the latest one (greatest
    ``end_date``). Superusers always; a person who never held a membership belongs to no body
    and only a superuser may erase them. Without ``person``: whether the user may erase
    anybody at all (the Geschäftsstelle of some body; the view answers 403 before it looks
    the person up). Whether the person has left is checked by
    ``dmk.bodies.services.person_erase`` (``ValidationError``). One query with ``person``.
    """
    principal = principal_for(user)
    if principal.every_body:
        return True
    offices = principal.secretariat_body_ids
    if not offices:
        return False
    if person is None:
        return True
    today = timezone.localdate()
    rows = list(
        Membership.objects.filter(person_id=person.pk).values_list(
            "organization__body_id", "end_date"
        )
    )
    still_open = {body for body, end in rows if end is None or end >= today}
    if still_open:
        return still_open <= offices
    if not rows:
        return False
    last = max(end for _body, end in rows)
    return any(body in offices for body, end in rows if end == last)


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


def can_create_followup(user: Any, *, body: Any = None) -> bool:
    """Giving a resolution a follow-up: the Geschäftsstelle of the resolution's ``body`` only
    (seed §2.4, issue 6 item 6, issue 11 item 1; without ``body``: of any body)."""
    return is_secretariat_of(user, body)


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
    body_id = body_id_of(followup.resolution)
    if principal.is_secretariat_of(body_id):
        return True
    if not can_view_followups(user) or not can_view(user, followup.resolution):
        return False
    if followup.state_id is not None:
        return followup.state_id in principal.state_ids_in(body_id)
    return followup.organization_id in followup_organization_ids(user)


# --- several bodies on one install (issue 11 item 1) -----------------------------------------


def secretariat_body_ids(user: Any) -> frozenset[int] | None:
    """Primary keys of the bodies whose Geschäftsstelle ``user`` is; None for a superuser
    (every body). Empty for everybody else."""
    principal = principal_for(user)
    if principal.every_body:
        return None
    return principal.secretariat_body_ids


#: How each back-office model reaches its body (issue 11 item 1); models not listed (persons,
#: Länder, topics, pages, documents) belong to no single body and stay unscoped.
_BODY_PATHS = {
    ("bodies", "body"): "pk",
    ("bodies", "organization"): "body_id",
    ("bodies", "chairperiod"): "body_id",
    ("bodies", "membership"): "organization__body_id",
    ("meetings", "meeting"): "body_id",
    ("meetings", "agendaitem"): "meeting__body_id",
    ("resolutions", "resolution"): "body_id",
    ("resolutions", "followup"): "resolution__body_id",
    ("papers", "paper"): "body_id",
    ("voting", "writtenprocedure"): "body_id",
    ("voting", "ballot"): "agenda_item__meeting__body_id",
}


def backoffice_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a back-office (``/verwaltung/``) queryset to the rows of the bodies whose
    Geschäftsstelle ``user`` is (issue 11 item 1: a second conference on the same install is
    not run by the first one's staff). Superusers see every row; models without a body
    (:data:`_BODY_PATHS`) are returned unchanged. Used by the back-office viewsets for their
    listings and for every single-object view (edit, inspect, delete, history)."""
    path = _BODY_PATHS.get((queryset.model._meta.app_label, queryset.model._meta.model_name))
    bodies = secretariat_body_ids(user)
    if path is None or bodies is None:
        return queryset
    return queryset.filter(**{f"{path}__in": bodies})


def holds_secretariat_membership(user: Any, *, day: datetime.date | None = None) -> bool:
    """Whether ``user``'s person holds a Geschäftsstelle membership valid on ``day``
    (Europe/Berlin date, default today; ``Membership.objects.current`` — the same reading as
    :func:`principal_for`) in any body: the one source of truth for the back-office group
    "Geschäftsstelle" (issue 11 item 1, ``dmk.access.backoffice.secretariat_group_sync``).
    Ignores the session's second factor: the back office asks for it itself."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return (
        Membership.objects.current(day)
        .filter(person__user=user, role=MembershipRole.SECRETARIAT)
        .exists()
    )


def portal_bodies_of(user: Any) -> QuerySet[Any]:
    """The bodies (``bodies.Body`` queryset, by short name) in which ``user`` holds an internal
    role — the choice the portal offers where a page concerns one body (issue 11 item 1,
    defect 8); every body for a superuser."""
    principal = principal_for(user)
    if principal.every_body:
        return Body.objects.order_by("short_name")
    return Body.objects.filter(pk__in=principal.internal_body_ids).order_by("short_name")


def bodies_run_by(user: Any) -> QuerySet[Any]:
    """The bodies (``bodies.Body`` queryset, by short name) whose Geschäftsstelle ``user`` is:
    where the portal lets them schedule meetings, start written procedures or hand over
    (issue 11 item 1, defect 8); every body for a superuser, none for everybody else."""
    ids = secretariat_body_ids(user)
    if ids is None:
        return Body.objects.order_by("short_name")
    return Body.objects.filter(pk__in=ids).order_by("short_name")


# --- the public record as open data: the OParl interface /oparl/v1/ (issue 16) --------------
#
# The OParl interface is read by anybody, so it shows exactly what an anonymous visitor may
# see (DOMAIN rule 11): every predicate below is the anonymous view, decided here and only
# here. ``dmk.api`` asks them for its lists, its single objects and its tombstones.

#: The kinds of ``bodies.Organization`` that are the conference's own bodies (seed §2.1) and
#: public as OParl ``Organization``; external bodies (ministries, authorities, the
#: IT-Planungsrat) are kept only as the organisations of guests and are not published.
PUBLIC_ORGANIZATION_KINDS = (
    "plenary",
    "working_group",
    "community_of_practice",
    "agile_circle",
    "secretariat",
)

#: The fields of a ``bodies.Person`` the public sees: name, title and function, exactly what
#: ``/laender/`` shows (issue 3 item 8). Never an e-mail address, phone number or postal
#: address — the anonymous visitor's :func:`visible_contact_fields` is empty.
PUBLIC_PERSON_FIELDS = ("form_of_address", "title", "given_name", "family_name", "function")


def public_meetings(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``meetings.Meeting`` queryset to the publicly announced sessions — the
    anonymous view of ``meeting_list`` (``is_public``; DOMAIN rule 11)."""
    return queryset.filter(is_public=True)


def public_agenda_items(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``meetings.AgendaItem`` queryset to the items marked public of public
    sessions (DOMAIN rule 11); the titles of all other items are internal."""
    return queryset.filter(public=True, meeting__is_public=True)


def public_papers(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The anonymous view of papers (:func:`visible` for nobody): *public* ones only."""
    return visible(None, queryset)


def public_resolutions(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The anonymous view of resolutions: released (*public*) ones only; drafts and internal
    resolutions do not exist for the public (DOMAIN rule 11)."""
    return visible(None, queryset)


def public_paper_files(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``papers.PaperFile`` queryset to the files of public papers (the public
    download ``/vorlagen/<slug>/download/`` serves them; DOMAIN rule 11)."""
    return queryset.filter(paper__visibility=Visibility.PUBLIC)


def public_consultations(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``papers.Consultation`` queryset to those of public papers at public
    sessions or at no session yet (DOMAIN rule 11)."""
    return queryset.filter(paper__visibility=Visibility.PUBLIC).filter(
        Q(meeting__isnull=True) | Q(meeting__is_public=True)
    )


def public_organizations(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``bodies.Organization`` queryset to the conference's own bodies
    (:data:`PUBLIC_ORGANIZATION_KINDS`)."""
    return queryset.filter(kind__in=PUBLIC_ORGANIZATION_KINDS)


def public_memberships(queryset: QuerySet[Any], *, today: Any = None) -> QuerySet[Any]:
    """Narrow a ``bodies.Membership`` queryset to the public nominations: member and permanent
    deputy of a Land in the plenary for a chair period that has begun on ``today`` (a
    Europe/Berlin date, default today) — what ``/laender/`` shows for the current period,
    kept for the past ones (seed §2.2, DOMAIN rule 10). Guests, further deputies, Land staff
    and the Geschäftsstelle are not public; nominations for a coming period become public
    when it starts."""
    from django.utils import timezone

    day = today or timezone.localdate()
    return queryset.filter(
        organization__kind="plenary",
        role__in=[MembershipRole.MEMBER, MembershipRole.PERMANENT_DEPUTY],
        on_behalf_of__isnull=False,
        chair_period__isnull=False,
        chair_period__start_date__lte=day,
    )


def public_persons(queryset: QuerySet[Any], *, today: Any = None) -> QuerySet[Any]:
    """Narrow a ``bodies.Person`` queryset to the persons holding a public nomination
    (:func:`public_memberships`); only :data:`PUBLIC_PERSON_FIELDS` of them are public.
    One subquery."""
    membership_model = queryset.model._meta.get_field("memberships").related_model
    nominated = public_memberships(membership_model.objects.all(), today=today)
    return queryset.filter(pk__in=nominated.values("person_id"))


# --- the functional mailbox (issue 15 item 4) -----------------------------------------------
# Based on the current Geschäftsstelle membership *in the mailbox's body* (DOMAIN rule 10): a
# handover of the chair moves those memberships, and with them the access to the history.


def mailbox_body_ids(user: Any) -> frozenset[int]:
    """Ids of the bodies whose mailbox ``user`` may use: those in which the user holds a
    secretariat membership valid today (any organisation of that body). Superusers count
    as the Geschäftsstelle of every body; a session without the second factor counts for
    none. Cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if _without_second_factor(user):
        return frozenset()
    cached = getattr(user, "_dmk_mailbox_body_ids", None)
    if cached is not None:
        return cached
    from dmk.bodies.models import Body

    if user.is_superuser:
        ids = frozenset(Body.objects.values_list("pk", flat=True))
    else:
        ids = frozenset(
            Membership.objects.current()
            .filter(person__user=user, role=MembershipRole.SECRETARIAT)
            .values_list("organization__body_id", flat=True)
        )
    user._dmk_mailbox_body_ids = ids
    return ids


def can_use_mailbox(user: Any, mailbox: Model) -> bool:
    """Whether ``user`` may open ``mailbox`` (a ``mailbox.Mailbox``): only the current
    Geschäftsstelle of its body (issue 15 item 4, seed §2.4)."""
    return mailbox.body_id in mailbox_body_ids(user)  # type: ignore[attr-defined]


def usable_mailboxes(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The mailboxes of ``queryset`` that ``user`` may open (see :func:`can_use_mailbox`)."""
    return queryset.filter(body_id__in=mailbox_body_ids(user))


def visible_conversations(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The conversations of ``queryset`` that ``user`` may read: those of a mailbox whose
    body's Geschäftsstelle the user is today. Everybody else (Land users, guests, the former
    Geschäftsstelle after a handover) sees none (issue 15 items 4 and 5)."""
    return queryset.filter(mailbox__body_id__in=mailbox_body_ids(user))


def can_work_on_conversation(user: Any, conversation: Model) -> bool:
    """Whether ``user`` may answer, note, assign and close ``conversation``: the current
    Geschäftsstelle of the mailbox's body."""
    return conversation.mailbox.body_id in mailbox_body_ids(user)  # type: ignore[attr-defined]


def can_be_assigned_conversations(user: Any, mailbox: Model) -> bool:
    """Whether ``user`` may be named as the one working on a conversation of ``mailbox``:
    a current Geschäftsstelle member of its body (issue 15 item 2)."""
    return (
        Membership.objects.current()
        .filter(
            person__user=user,
            role=MembershipRole.SECRETARIAT,
            organization__body_id=mailbox.body_id,  # type: ignore[attr-defined]
        )
        .exists()
    )


def assignable_users(mailbox: Model, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The users of ``queryset`` that :func:`can_be_assigned_conversations` allows for
    ``mailbox``: today's Geschäftsstelle of its body."""
    members = Membership.objects.current().filter(
        role=MembershipRole.SECRETARIAT,
        organization__body_id=mailbox.body_id,  # type: ignore[attr-defined]
    )
    return queryset.filter(person__memberships__in=members).distinct()


# --- the record must be right, second half (issue 11b) ---------------------------------------


def can_view_paper(user: Any, paper: Model) -> bool:
    """Whether ``user`` may see ``paper`` (a ``papers.Paper``) and so download its files: the
    rule of :func:`can_view` (DOMAIN rule 11), or — for a guest — :func:`guest_visible`, the
    same rule the paper page uses (rule 11, last sentence: a guest sees what belongs to the
    meetings or items they are invited to). One query at most for a guest (issue 11,
    defect 5: the invited guest saw the paper but got 404 on its file)."""
    if can_view(user, paper):
        return True
    return guest_visible(user, type(paper).objects.filter(pk=paper.pk)).exists()


# --- search (issue 13 item 3) ----------------------------------------------------------------


def visible_search_entries(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a ``documents.SearchEntry`` queryset to the rows ``user`` may open — the set
    every search query, count, facet and snippet is built from (issue 13 item 3, DOMAIN
    rule 11), so a hit the user may not open is never counted, listed or highlighted.

    Each row carries the ``visibility`` and ``author_state`` of its object, so :func:`visible`
    decides as for the object itself (a Land B user never gets Land A's draft). Guests see
    in addition, as in the portal: the papers of :func:`guest_visible`, the agenda items of
    :func:`visible_agenda_items` and the meetings of :func:`guest_meeting_ids` — never an
    internal resolution, follow-up or page. Subqueries only; no query per row."""
    principal = principal_for(user)
    base = visible(user, queryset)
    if principal.is_internal or Role.GUEST not in principal.roles:
        return base
    from django.apps import apps

    paper_model = apps.get_model("papers", "Paper")
    item_model = apps.get_model("meetings", "AgendaItem")
    papers = guest_visible(user, paper_model.objects.all()).values("pk")
    items = visible_agenda_items(user, item_model.objects.all()).values("pk")
    guest = (
        Q(kind="paper", paper_id__in=papers)
        | Q(kind="agenda_item", agenda_item_id__in=items)
        | Q(kind="meeting", meeting_id__in=list(guest_meeting_ids(user)))
    )
    return queryset.filter(Q(pk__in=base.values("pk")) | guest)


# --- data exchange platform (issue 14) --------------------------------------------------------


def _exchange_memberships(user: Any) -> list[tuple[str, int | None, int, int, bool]]:
    """``(role, state_id, organization_id, body_id, in_plenary)`` of ``user``'s current
    memberships,
    cached on the user object (one query per request); empty for anonymous users and
    sessions without the second factor."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return []
    cached = getattr(user, "_dmk_exchange_memberships", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.current()
        .filter(person__user=user)
        .values_list(
            "role",
            "on_behalf_of_id",
            "organization_id",
            "organization__body_id",
            "organization__kind",
        )
    )
    rows = [(role, s, o, b, kind == "plenary") for role, s, o, b, kind in rows]
    user._dmk_exchange_memberships = rows
    return rows


_GUEST_ROLES = frozenset({MembershipRole.GUEST, MembershipRole.PERMANENT_GUEST})
_MEETING_OVER = frozenset({"held", "minutes_released", "cancelled"})


def workspace_role(user: Any, workspace: Any) -> int:
    """What ``user`` may do in ``workspace`` (an ``exchange.Workspace``), as an integer:
    0 nothing (callers answer 404), 1 lesen, 2 schreiben, 3 verwalten (issue 14 item 1,
    DOMAIN rule 11; ``exchange.models.WorkspaceRole``).

    - The Geschäftsstelle *of the workspace's body* (a current secretariat membership in an
      organisation of that body) and superusers manage every workspace of the body.
    - Body workspace: every member, deputy or Land-staff user of the body's plenary writes
      (a membership of a working body alone does not make a Land user of the body, as for
      the vote, issue 11).
    - Working-body workspace: the working body's current members write, its guests read.
    - Meeting workspace: the participants write until the meeting is held or cancelled, then
      read (the record is closed); for a working body's meeting the participants are that
      body's members, else every Land user of the body. Invited guests read.
    - Ad-hoc workspace: the named people and the users acting for a named Land of the body,
      with the role given to them.
    Memberships are read once per request; the meeting's guest invitation and the ad-hoc
    grants cost one query each when asked.
    """
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return 0
    if user.is_superuser:
        return 3
    rows = [r for r in _exchange_memberships(user) if r[3] == workspace.body_id]
    if any(row[0] == MembershipRole.SECRETARIAT for row in rows):
        return 3
    land_ids = {s for role, s, _o, _b, plenary in rows if role in _STATE_ROLES and s and plenary}
    kind = workspace.kind
    if kind == "body":
        return 2 if land_ids else 0
    if kind == "organization":
        roles = {row[0] for row in rows if row[2] == workspace.organization_id}
        if roles - _GUEST_ROLES:
            return 2
        return 1 if roles else 0
    if kind == "meeting":
        meeting = workspace.meeting
        org = meeting.organization
        if org is not None and org.kind != "plenary":
            participant = any(row[2] == org.pk and row[0] not in _GUEST_ROLES for row in rows)
        else:
            participant = bool(land_ids)
        if participant:
            return 1 if meeting.state in _MEETING_OVER else 2
        return 1 if meeting.pk in guest_meeting_ids(user) else 0
    if kind == "adhoc":
        grants = workspace.access.filter(Q(person__user=user) | Q(state_id__in=land_ids))
        return max(grants.values_list("role", flat=True), default=0)
    return 0


def visible_workspaces(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow an ``exchange.Workspace`` queryset to those where :func:`workspace_role` is at
    least 1 (lesen) — the same rules, as one filter with subqueries (issue 14 items 1 and 6:
    ``/intern/austausch/`` lists exactly the workspaces a user can open)."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    rows = _exchange_memberships(user)
    secretariat_bodies = {row[3] for row in rows if row[0] == MembershipRole.SECRETARIAT}
    land_pairs = {
        (b, s) for role, s, _o, b, plenary in rows if role in _STATE_ROLES and s and plenary
    }
    land_bodies = {b for b, _s in land_pairs}
    org_ids = {row[2] for row in rows}
    member_org_ids = {row[2] for row in rows if row[0] not in _GUEST_ROLES}
    condition = Q(body_id__in=secretariat_bodies)
    condition |= Q(kind="body", body_id__in=land_bodies)
    condition |= Q(kind="organization", organization_id__in=org_ids)
    plenary_meeting = Q(meeting__organization__isnull=True) | Q(
        meeting__organization__kind="plenary"
    )
    condition |= Q(kind="meeting", body_id__in=land_bodies) & plenary_meeting
    condition |= Q(kind="meeting", meeting__organization_id__in=member_org_ids)
    condition |= Q(kind="meeting", meeting_id__in=guest_meeting_ids(user))
    adhoc = Q(access__person__user=user)
    for body_id, state_id in land_pairs:
        adhoc |= Q(body_id=body_id, access__state_id=state_id)
    ids = queryset.filter(kind="adhoc").filter(adhoc).values("pk")
    condition |= Q(pk__in=ids)
    return queryset.filter(condition)


def can_open_workspace(user: Any, workspace: Any) -> bool:
    """``workspace_role`` ≥ lesen."""
    return workspace_role(user, workspace) >= 1


def can_write_workspace(user: Any, workspace: Any) -> bool:
    """``workspace_role`` ≥ schreiben: upload, new versions, folders, rename, move, trash."""
    return workspace_role(user, workspace) >= 2


def can_manage_workspace(user: Any, workspace: Any) -> bool:
    """``workspace_role`` = verwalten: grants, quota, purging the trash."""
    return workspace_role(user, workspace) >= 3


def can_create_workspace(user: Any, body: Any) -> bool:
    """Opening an ad-hoc workspace of ``body``: its Geschäftsstelle (issue 14 item 1)."""
    if user is None or not getattr(user, "is_authenticated", False) or _without_second_factor(user):
        return False
    if user.is_superuser:
        return True
    return any(
        row[0] == MembershipRole.SECRETARIAT and row[3] == body.pk
        for row in _exchange_memberships(user)
    )


def statement_states_acted_for(user: Any, workspace: Any) -> frozenset[int]:
    """Primary keys of the Länder for which ``user`` may answer a joint statement of
    ``workspace`` (issue 14 item 5): the Länder of their member, deputy and Land-staff
    memberships in the plenary of the workspace's body — if they may open the workspace."""
    if not can_open_workspace(user, workspace):
        return frozenset()
    return frozenset(
        s
        for role, s, _o, b, plenary in _exchange_memberships(user)
        if role in _STATE_ROLES and s and b == workspace.body_id and plenary
    )


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
