"""Writes of meetings, agenda items and attendance (STYLE.md "Services").

Every function is keyword-only, atomic, checks permissions and invariants and writes an audit
entry. Bad input raises ``django.core.exceptions.ValidationError`` with a German message; a
missing permission raises ``django.core.exceptions.PermissionDenied``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import is_secretariat_of, principal_for
from dmk.bodies.models import (
    Body,
    Membership,
    MembershipRole,
    Organization,
    Person,
    State,
    Topic,
)
from dmk.core.audit import log_action
from dmk.core.text import german_slug
from dmk.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceRole,
    GuestInvitation,
    GuestInvitationStatus,
    Meeting,
    MeetingKind,
    MeetingState,
    validate_https_url,
)

#: Allowed state transitions (OParl life cycle plus cancellation).
TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingState.PLANNED: frozenset({MeetingState.SCHEDULED, MeetingState.INVITED}),
    MeetingState.SCHEDULED: frozenset({MeetingState.INVITED}),
    MeetingState.INVITED: frozenset({MeetingState.HELD}),
    MeetingState.HELD: frozenset({MeetingState.MINUTES_RELEASED}),
    MeetingState.MINUTES_RELEASED: frozenset(),
    MeetingState.CANCELLED: frozenset(),
}
_CANCELLABLE = frozenset({MeetingState.PLANNED, MeetingState.SCHEDULED, MeetingState.INVITED})


def require_secretariat(actor: Any, *, body: Any = None) -> None:
    """Raise PermissionDenied unless ``actor`` acts for the Geschäftsstelle of ``body`` (a Body,
    pk or object of it; seed §2.4, issue 11 item 1: a Geschäftsstelle prepares only its own
    body's meetings). Without ``body``: of any body."""
    if not is_secretariat_of(actor, body):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf das."))


def next_ordinal(*, body: Body, organization: Organization | None) -> int:
    """The next ordinal of a regular session of ``body``/``organization``: the highest so far
    plus one (special sessions consume none; ``../shared/data/README.md``)."""
    highest = Meeting.objects.filter(
        body=body, organization=organization, ordinal__isnull=False
    ).aggregate(m=Max("ordinal"))["m"]
    return (highest or 0) + 1


def _unique_slug(base: str) -> str:
    base = german_slug(base, max_length=90) or "sitzung"
    slug, n = base, 2
    while Meeting.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    kind: str,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    organization: Organization | None = None,
    place: str = "",
    venue: str = "",
    video_url: str = "",
    is_public: bool = True,
    chairs: Iterable[State] = (),
    today: datetime.date | None = None,
) -> Meeting:
    """Create a meeting in state *terminiert* and return it.

    A regular session gets the next ordinal of its body and organisation (max + 1); special
    sessions and working-body meetings get none. ``start_date``/``end_date`` are Europe/Berlin
    dates; ``today`` defaults to today in Europe/Berlin. ``video_url`` is the meeting's video
    conference (issue 5 item 1; ``https://`` only, internal). Raises ValidationError for a
    date in the past, an end before the start, an unknown kind or a video link that is not
    https; PermissionDenied unless the actor is Geschäftsstelle.
    """
    require_secretariat(actor, body=body)
    today = today or timezone.localdate()
    if kind not in (MeetingKind.REGULAR, MeetingKind.SPECIAL, MeetingKind.WORKING_BODY):
        raise ValidationError({"kind": _("Diese Sitzungsart kann nicht angelegt werden.")})
    if start_date < today:
        raise ValidationError(
            {
                "start_date": _(
                    "Das Datum liegt in der Vergangenheit. Bitte wählen Sie ein künftiges Datum."
                )
            }
        )
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("Das Ende darf nicht vor dem Beginn liegen.")})
    if not name.strip():
        raise ValidationError({"name": _("Bitte geben Sie eine Bezeichnung an.")})
    video_url = _checked_video_url(video_url)
    ordinal = None
    if kind == MeetingKind.REGULAR:
        # Lock the body's meetings so two concurrent creations cannot draw the same ordinal.
        list(Meeting.objects.select_for_update().filter(body=body).values_list("pk", flat=True))
        ordinal = next_ordinal(body=body, organization=organization)
    meeting = Meeting.objects.create(
        body=body,
        organization=organization,
        kind=kind,
        ordinal=ordinal,
        name=name.strip(),
        slug=_unique_slug(f"{name}-{start_date.isoformat()}"),
        state=MeetingState.SCHEDULED,
        start_date=start_date,
        end_date=end_date,
        place=place,
        venue=venue,
        video_url=video_url,
        is_public=is_public,
    )
    meeting.chairs.set(chairs)
    log_action(
        "meetings.meeting.create",
        actor=actor,
        obj=meeting,
        data={"kind": kind, "ordinal": ordinal, "start_date": start_date.isoformat()},
    )
    return meeting


def _checked_video_url(video_url: str) -> str:
    """``video_url`` stripped, or ValidationError (key ``video_url``) unless it is empty or
    an ``https://`` address (issue 5 item 1)."""
    video_url = (video_url or "").strip()
    if video_url:
        try:
            validate_https_url(video_url)
        except ValidationError as exc:
            raise ValidationError({"video_url": exc.messages[0]}) from exc
        if len(video_url) > Meeting._meta.get_field("video_url").max_length:
            message = _("Die Adresse der Videokonferenz ist zu lang (höchstens 500 Zeichen).")
            raise ValidationError({"video_url": message})
    return video_url


def _transition(*, actor: Any, meeting: Meeting, to: str, verb: str) -> Meeting:
    require_secretariat(actor, body=meeting.body_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    allowed = _CANCELLABLE if to == MeetingState.CANCELLED else TRANSITIONS[meeting.state]
    if (to == MeetingState.CANCELLED and meeting.state not in allowed) or (
        to != MeetingState.CANCELLED and to not in allowed
    ):
        raise ValidationError(
            _("Eine Sitzung im Status „%(von)s“ kann nicht in den Status „%(nach)s“ wechseln.")
            % {"von": meeting.get_state_display(), "nach": MeetingState(to).label}
        )
    before = meeting.state
    meeting.state = to
    meeting.save(update_fields=["state"])
    log_action(
        f"meetings.meeting.{verb}", actor=actor, obj=meeting, data={"from": before, "to": to}
    )
    return meeting


INVITED_ROLES = (
    MembershipRole.MEMBER,
    MembershipRole.PERMANENT_DEPUTY,
    MembershipRole.SECRETARIAT,
)


def invitation_recipients(meeting: Meeting) -> list[str]:
    """E-mail addresses of the current members, permanent deputies and Geschäftsstelle of the
    meeting's body (seed §2.2, §2.4), sorted and without duplicates."""
    addresses = set()
    memberships = Membership.objects.current().filter(
        organization__body=meeting.body, role__in=INVITED_ROLES
    )
    for person_email, user_email in memberships.values_list("person__email", "person__user__email"):
        if person_email or user_email:
            addresses.add((person_email or user_email).lower())
    return sorted(addresses)


def _send_calendar(meeting: Meeting, method: str) -> list[str]:
    from dmk.meetings.tasks import send_meeting_calendar_task

    recipients = invitation_recipients(meeting)
    if recipients and meeting.start_date is not None:
        transaction.on_commit(
            lambda: send_meeting_calendar_task.enqueue(meeting.pk, method, recipients)
        )
    return recipients


@transaction.atomic
def meeting_invite(*, actor: Any, meeting: Meeting) -> Meeting:
    """Mark ``meeting`` as invited (from planned/scheduled) and, after commit, e-mail the
    invitation with an iCalendar REQUEST to members, permanent deputies and the
    Geschäftsstelle (background task on the ``queue`` backend). Raises ValidationError for an
    undated meeting or another state."""
    if meeting.start_date is None:
        raise ValidationError(_("Zu einer Sitzung ohne Datum kann nicht eingeladen werden."))
    meeting = _transition(actor=actor, meeting=meeting, to=MeetingState.INVITED, verb="invite")
    recipients = _send_calendar(meeting, "REQUEST")
    log_action(
        "meetings.invitation.send",
        actor=actor,
        obj=meeting,
        data={"method": "REQUEST", "sequence": meeting.ical_sequence, "count": len(recipients)},
    )
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    actor: Any,
    meeting: Meeting,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    place: str | None = None,
    venue: str | None = None,
    video_url: str | None = None,
    today: datetime.date | None = None,
) -> Meeting:
    """Change date, time, place or video link (issue 5 item 1) of a meeting not yet held;
    ``None`` keeps place, venue or video link as they are. Every call raises the iCalendar
    SEQUENCE; an already invited meeting gets an updated REQUEST (RFC 5546 §2.1.4). Raises
    ValidationError for a past date, a video link that is not https, a time the spring clock
    change skips in Europe/Berlin (``meetings.rules.berlin_datetime``, issue 18 item 4) or a
    held/cancelled meeting."""
    require_secretariat(actor, body=meeting.body_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    today = today or timezone.localdate()
    if meeting.state not in _CANCELLABLE:
        raise ValidationError(_("Diese Sitzung kann nicht mehr verlegt werden."))
    if start_date < today:
        raise ValidationError(
            {
                "start_date": _(
                    "Das Datum liegt in der Vergangenheit. Bitte wählen Sie ein künftiges Datum."
                )
            }
        )
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("Das Ende darf nicht vor dem Beginn liegen.")})
    video_url_before = meeting.video_url
    if video_url is not None:
        meeting.video_url = _checked_video_url(video_url)
    meeting.start_date, meeting.end_date = start_date, end_date
    meeting.start_time, meeting.end_time = start_time, end_time
    if time_errors := meeting.local_time_errors():
        raise ValidationError(time_errors)
    if place is not None:
        meeting.place = place
    if venue is not None:
        meeting.venue = venue
    meeting.ical_sequence += 1
    meeting.save()
    log_action(
        "meetings.meeting.reschedule",
        actor=actor,
        obj=meeting,
        data={
            "start_date": start_date.isoformat(),
            "sequence": meeting.ical_sequence,
            # the link itself may carry a meeting passcode: only whether it changed
            "video_url_changed": meeting.video_url != video_url_before,
        },
    )
    if meeting.state == MeetingState.INVITED:
        _send_calendar(meeting, "REQUEST")
    return meeting


@transaction.atomic
def meeting_hold(*, actor: Any, meeting: Meeting) -> Meeting:
    """Mark ``meeting`` as held (from invited). Raises ValidationError otherwise."""
    return _transition(actor=actor, meeting=meeting, to=MeetingState.HELD, verb="hold")


@transaction.atomic
def meeting_release_minutes(*, actor: Any, meeting: Meeting) -> Meeting:
    """Mark the minutes of ``meeting`` released (from held). Raises ValidationError otherwise."""
    return _transition(
        actor=actor, meeting=meeting, to=MeetingState.MINUTES_RELEASED, verb="release_minutes"
    )


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    """Cancel ``meeting`` (only before it is held). If invitations went out, the SEQUENCE is
    raised and an iCalendar CANCEL is e-mailed (RFC 5546 §3.2.5). Raises ValidationError
    otherwise."""
    was_invited = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.INVITED).exists()
    meeting = _transition(actor=actor, meeting=meeting, to=MeetingState.CANCELLED, verb="cancel")
    if was_invited:
        meeting.ical_sequence += 1
        meeting.save(update_fields=["ical_sequence"])
        _send_calendar(meeting, "CANCEL")
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItemKind.DECISION,
    number: str = "",
    order: int | None = None,
    public: bool = False,
    in_parliamentary_procedure: bool = False,
    touches_it_planungsrat: bool = False,
    institutional: bool = False,
    lead_states: Iterable[State] = (),
    co_sponsor_states: Iterable[State] = (),
    lead_note: str = "",
    topics: Iterable[Topic] = (),
) -> AgendaItem:
    """Add a TOP to ``meeting`` and return it; ``order`` defaults to the last place + 1,
    ``number`` to the order. ``number`` (e.g. "3.1") must be unique within the meeting.

    DOMAIN rule 5: an item *im parlamentarischen Verfahren* cannot be a decision item (no
    content resolution) — refused with ValidationError. Rule 9 and rule 3 are recorded as
    flags (``touches_it_planungsrat``, ``institutional``); for rule 9 the IT-Planungsrat's
    contact person is invited as a guest of the item. ``lead_states`` lead the item,
    ``co_sponsor_states`` co-sponsor it (issue 5 item 2); a Land cannot be both. Raises
    ValidationError for a held, minuted or cancelled meeting, a taken ``order`` or a Land in
    both lists (key ``co_sponsor_states``).
    """
    require_secretariat(actor, body=meeting.body_id)
    lead_states, co_sponsor_states = list(lead_states), list(co_sponsor_states)
    _check_co_sponsors(lead_states, co_sponsor_states)
    meeting = _lock_open_agenda(meeting)
    if order is None:
        order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    elif meeting.agenda_items.filter(order=order).exists():
        raise ValidationError({"order": _("Diese Position ist auf der Tagesordnung schon belegt.")})
    title, number = _checked_item_fields(
        meeting=meeting,
        title=title,
        kind=kind,
        number=number.strip() or str(order),
        in_parliamentary_procedure=in_parliamentary_procedure,
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        kind=kind,
        number=number,
        order=order,
        public=public,
        lead_note=lead_note.strip(),
        in_parliamentary_procedure=in_parliamentary_procedure,
        touches_it_planungsrat=touches_it_planungsrat,
        institutional=institutional,
    )
    item.lead_states.set(lead_states)
    item.co_sponsor_states.set(co_sponsor_states)
    item.topics.set(topics)
    log_action(
        "meetings.agendaitem.create",
        actor=actor,
        obj=item,
        data={
            "meeting": meeting.pk,
            "number": item.number,
            "kind": kind,
            "in_parliamentary_procedure": in_parliamentary_procedure,
            "touches_it_planungsrat": touches_it_planungsrat,
            "institutional": institutional,
        },
    )
    if touches_it_planungsrat:
        _invite_it_planungsrat_contacts(actor=actor, item=item)
    return item


@transaction.atomic
def agenda_item_add_by_rule(*, actor: Any, meeting: Meeting, title: str, reason: str) -> AgendaItem:
    """Add a decision TOP at the end of ``meeting``'s agenda because a governance rule demands
    it, whoever triggered it: a Land's demand for oral treatment of a written procedure puts
    the proposal on the next meeting (DOMAIN rule 8; issue 11, Build 4). The caller has
    checked that ``actor`` may trigger it; ``reason`` goes into the audit entry. The item is
    internal (not public) and numbered by its order, like :func:`agenda_item_add`. Raises
    ValidationError for a held, minuted or cancelled meeting (its agenda is closed)."""
    meeting = _lock_open_agenda(meeting)
    order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    number = str(order)
    while meeting.agenda_items.filter(number=number).exists():
        number = f"{number}a"
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title.strip()[:500] or _("Beschlussvorschlag"),
        kind=AgendaItemKind.DECISION,
        number=number,
        order=order,
    )
    log_action(
        "meetings.agendaitem.create",
        actor=actor,
        obj=item,
        data={"meeting": meeting.pk, "number": item.number, "reason": reason},
    )
    return item


_AGENDA_CLOSED = (MeetingState.HELD, MeetingState.MINUTES_RELEASED, MeetingState.CANCELLED)


def _lock_open_agenda(meeting: Meeting) -> Meeting:
    """Lock ``meeting``'s row for the rest of the transaction (concurrent agenda writes, e.g.
    a double click, run one after the other) and refuse a held, minuted or cancelled
    meeting with ValidationError."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state in _AGENDA_CLOSED:
        raise ValidationError(_("Die Tagesordnung dieser Sitzung kann nicht mehr geändert werden."))
    return meeting


def _checked_item_fields(
    *,
    meeting: Meeting,
    title: str,
    kind: str,
    number: str,
    in_parliamentary_procedure: bool,
    item_pk: int | None = None,
) -> tuple[str, str]:
    """Check a TOP's fields for :func:`agenda_item_add` and :func:`agenda_item_update` and
    return the stripped ``(title, number)``. Collects every problem into one ValidationError
    (keys ``title``, ``kind``, ``number``): empty title, unknown kind, a decision item *im
    parlamentarischen Verfahren* (DOMAIN rule 5), a number already used by another item of
    the meeting."""
    errors: dict[str, str] = {}
    title, number = title.strip(), number.strip()
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    if kind not in AgendaItemKind.values:
        errors["kind"] = _("Unbekannte Art des Tagesordnungspunkts.")
    elif in_parliamentary_procedure and kind == AgendaItemKind.DECISION:
        errors["kind"] = _(
            "Ein Tagesordnungspunkt im parlamentarischen Verfahren kann nur beraten, "
            "nicht inhaltlich beschlossen werden (Regel 5)."
        )
    if not number:
        errors["number"] = _("Bitte geben Sie die Nummer des Tagesordnungspunkts an.")
    elif meeting.agenda_items.filter(number=number).exclude(pk=item_pk).exists():
        errors["number"] = _("Die Nummer „%(number)s“ ist in dieser Sitzung bereits vergeben.") % {
            "number": number
        }
    if errors:
        raise ValidationError(errors)
    return title, number


def lead_and_co_sponsor(
    lead_states: Iterable[State] | None, co_sponsor_states: Iterable[State] | None
) -> list[State]:
    """The Länder named both as lead and as co-sponsor of one TOP (issue 5 item 2), by
    German name; empty if the two lists are disjoint. ``None`` counts as an empty list."""
    lead = {s.pk for s in lead_states or ()}
    return sorted(
        {s.pk: s for s in co_sponsor_states or () if s.pk in lead}.values(),
        key=lambda s: s.name_de,
    )


def both_roles_message(states: Iterable[State]) -> str:
    """The German message for Länder that are both lead and co-sponsor of a TOP."""
    return _("Ein Land kann nicht zugleich federführend und Mitantragsteller sein: %(states)s.") % {
        "states": ", ".join(s.name_de for s in states)
    }


def _check_co_sponsors(lead_states: list[State], co_sponsor_states: list[State]) -> None:
    both = lead_and_co_sponsor(lead_states, co_sponsor_states)
    if both:
        raise ValidationError({"co_sponsor_states": both_roles_message(both)})


def _has_votes_or_resolutions(item: AgendaItem) -> bool:
    """Whether a ballot, a resolution or a Protokollerklärung refers to ``item`` (reverse
    relations of the voting and resolutions apps, read without importing them upwards)."""
    return any(
        getattr(item, name).exists()
        for name in ("ballots", "resolutions", "protocol_declarations")
        if hasattr(item, name)
    )


@transaction.atomic
def agenda_item_update(
    *,
    actor: Any,
    item: AgendaItem,
    title: str,
    kind: str,
    number: str,
    public: bool = False,
    in_parliamentary_procedure: bool = False,
    touches_it_planungsrat: bool = False,
    institutional: bool = False,
    lead_states: Iterable[State] = (),
    co_sponsor_states: Iterable[State] = (),
    lead_note: str = "",
    topics: Iterable[Topic] = (),
) -> AgendaItem:
    """Change a TOP of a meeting not yet held (issue 5 items 2 and 8) and return it.

    The rules of :func:`agenda_item_add` hold again: a title and a number unique within the
    meeting, DOMAIN rule 5 (no decision item *im parlamentarischen Verfahren*), no Land both
    lead and co-sponsor (issue 5 item 2; ``co_sponsor_states`` replaces the list). Once a ballot,
    resolution or Protokollerklärung exists, kind and the rule 3/5 flags are frozen (the
    outcome was computed under them). Switching *Bezug zum IT-Planungsrat* on invites the
    IT-Planungsrat's contact persons as guests of the item (rule 9); switching it off leaves
    existing invitations alone (the Geschäftsstelle may have invited them on purpose). Audited
    as ``meetings.agendaitem.updated`` with the changed field names. Raises ValidationError
    (German, keyed by field) or PermissionDenied unless the actor is Geschäftsstelle.
    """
    require_secretariat(actor, body=item.meeting.body_id)
    lead_states, co_sponsor_states = list(lead_states), list(co_sponsor_states)
    _check_co_sponsors(lead_states, co_sponsor_states)
    meeting = _lock_open_agenda(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    title, number = _checked_item_fields(
        meeting=meeting,
        title=title,
        kind=kind,
        number=number,
        in_parliamentary_procedure=in_parliamentary_procedure,
        item_pk=item.pk,
    )
    frozen = {
        "kind": kind,
        "in_parliamentary_procedure": in_parliamentary_procedure,
        "institutional": institutional,
    }
    if any(getattr(item, f) != v for f, v in frozen.items()) and _has_votes_or_resolutions(item):
        raise ValidationError(
            _(
                "Zu diesem Tagesordnungspunkt gibt es bereits eine Abstimmung oder einen "
                "Beschluss; Art und Kennzeichen nach den Regeln 3 und 5 können nicht mehr "
                "geändert werden."
            )
        )
    switched_on_rule_9 = touches_it_planungsrat and not item.touches_it_planungsrat
    values = {
        "title": title,
        "number": number,
        "public": public,
        "lead_note": lead_note.strip(),
        "touches_it_planungsrat": touches_it_planungsrat,
        **frozen,
    }
    changed = sorted(f for f, v in values.items() if getattr(item, f) != v)
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=list(values))
    topics = list(topics)
    relations = {
        "lead_states": lead_states,
        "co_sponsor_states": co_sponsor_states,
        "topics": topics,
    }
    for field, objs in relations.items():
        manager = getattr(item, field)
        if {o.pk for o in objs} != set(manager.values_list("pk", flat=True)):
            changed.append(field)
        manager.set(objs)
    log_action(
        "meetings.agendaitem.updated",
        actor=actor,
        obj=item,
        data={"meeting": meeting.pk, "number": number, "changed": changed},
    )
    if switched_on_rule_9:
        _invite_it_planungsrat_contacts(actor=actor, item=item)
    return item


@transaction.atomic
def agenda_item_move(*, actor: Any, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap ``item`` with its neighbour on the agenda (``direction`` "up" or "down");
    numbers stay as they are (the Geschäftsstelle renumbers by editing). Audited as
    ``meetings.agendaitem.moved`` with the old and new ``order``. Raises ValidationError for
    an unknown direction, the first item moved up or the last moved down, a closed agenda."""
    require_secretariat(actor, body=item.meeting.body_id)
    meeting = _lock_open_agenda(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    items = meeting.agenda_items.order_by("order")
    if direction == "up":
        neighbour = items.filter(order__lt=item.order).last()
    elif direction == "down":
        neighbour = items.filter(order__gt=item.order).first()
    else:
        raise ValidationError(_("Unbekannte Richtung."))
    if neighbour is None:
        raise ValidationError(
            _("Der Tagesordnungspunkt steht bereits an erster Stelle.")
            if direction == "up"
            else _("Der Tagesordnungspunkt steht bereits an letzter Stelle.")
        )
    before, target = item.order, neighbour.order
    # (meeting, order) is unique: park the item on a free place before the swap
    item.order = (items.aggregate(m=Max("order"))["m"] or 0) + 1
    item.save(update_fields=["order"])
    neighbour.order = before
    neighbour.save(update_fields=["order"])
    item.order = target
    item.save(update_fields=["order"])
    log_action(
        "meetings.agendaitem.moved",
        actor=actor,
        obj=item,
        data={"meeting": meeting.pk, "from": before, "to": target},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    """Remove a TOP that has no ballot, resolution or Protokollerklärung yet (issue 5 item 8).

    Papers placed on it stay submitted for the meeting (their Consultation loses only the
    item). A guest invited to this item alone loses the invitation — an empty item list
    would otherwise mean the whole meeting (DOMAIN rule 11). Audited as
    ``meetings.agendaitem.removed``. Raises ValidationError (German) otherwise.
    """
    require_secretariat(actor, body=item.meeting.body_id)
    meeting = _lock_open_agenda(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    if _has_votes_or_resolutions(item):
        raise ValidationError(
            _(
                "Zu diesem Tagesordnungspunkt gibt es bereits eine Abstimmung oder einen "
                "Beschluss; er kann nicht entfernt werden."
            )
        )
    if hasattr(item, "consultations"):
        item.consultations.filter(meeting__isnull=True).update(meeting=meeting)
        item.consultations.update(agenda_item=None)
    only_this = [
        invitation.pk
        for invitation in item.guest_invitations.all()
        if list(invitation.agenda_items.values_list("pk", flat=True)) == [item.pk]
    ]
    GuestInvitation.objects.filter(pk__in=only_this).delete()
    data = {
        "meeting": meeting.pk,
        "number": item.number,
        "title": item.title,
        "guest_invitations_removed": only_this,
    }
    log_action("meetings.agendaitem.removed", actor=actor, obj=item, data=data)
    try:
        with transaction.atomic():
            item.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _("Auf diesen Tagesordnungspunkt verweisen noch andere Einträge; er bleibt bestehen.")
        ) from exc


def _invite_it_planungsrat_contacts(*, actor: Any, item: AgendaItem) -> None:
    """DOMAIN rule 9 (seed §1.4): the IT-Planungsrat's named contact person is a guest of
    every item that touches its remit. Contact persons are the current guest memberships in
    the body's organisation of kind IT-Planungsrat. A contact already invited to the whole
    meeting stays so; otherwise the item is added to their invitation."""
    contacts = (
        Membership.objects.current()
        .filter(
            organization__body=item.meeting.body,
            organization__kind=Organization.Kind.IT_PLANUNGSRAT,
            role__in=[MembershipRole.GUEST, MembershipRole.PERMANENT_GUEST],
        )
        .select_related("person")
    )
    for membership in contacts:
        invitation, created = GuestInvitation.objects.get_or_create(
            meeting=item.meeting, person=membership.person
        )
        if created or invitation.agenda_items.exists():
            invitation.agenda_items.add(item)
        log_action(
            "meetings.guest.invite",
            actor=actor,
            obj=invitation,
            data={"person": membership.person_id, "agenda_items": [item.pk], "rule": 9},
        )


@transaction.atomic
def attendance_register(
    *,
    actor: Any,
    meeting: Meeting,
    state: State,
    role: str,
    representative_name: str = "",
) -> Attendance:
    """Register who represents ``state`` at ``meeting`` (DOMAIN rule 1, seed §2.2): the member,
    the permanent deputy, a further deputy named for this meeting, or no participation.

    Only users acting for ``state`` and the Geschäftsstelle may register. A further deputy
    needs a name. Raises ValidationError for a held/cancelled meeting, an unknown role or a
    missing name; PermissionDenied otherwise. Returns the (created or updated) row.
    """
    principal = principal_for(actor)
    body_id = meeting.body_id
    if not (principal.is_secretariat_of(body_id) or state.pk in principal.state_ids_in(body_id)):
        raise PermissionDenied(_("Sie können nur Ihr eigenes Land anmelden."))
    if meeting.state in (
        MeetingState.HELD,
        MeetingState.MINUTES_RELEASED,
        MeetingState.CANCELLED,
    ):
        raise ValidationError(_("Für diese Sitzung ist keine Anmeldung mehr möglich."))
    if role not in AttendanceRole.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine Rolle.")})
    representative_name = representative_name.strip()
    if role == AttendanceRole.FURTHER_DEPUTY and not representative_name:
        raise ValidationError(
            {
                "representative_name": _(
                    "Bitte nennen Sie die weitere Stellvertretung für diese Sitzung."
                )
            }
        )
    if role == AttendanceRole.NONE:
        representative_name = ""
    attendance, created = Attendance.objects.update_or_create(
        meeting=meeting,
        state=state,
        defaults={
            "role": role,
            "representative_name": representative_name,
            "registered_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    log_action(
        "meetings.attendance.register",
        actor=actor,
        obj=attendance,
        data={"meeting": meeting.pk, "state": state.code, "role": role, "created": created},
    )
    return attendance


@transaction.atomic
def guest_invite(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    agenda_items: Iterable[AgendaItem] = (),
) -> GuestInvitation:
    """Invite ``person`` as a guest to ``meeting`` — as a whole (no ``agenda_items``) or to
    the given items only (seed §2.3; DOMAIN rule 11: a guest then sees only those items'
    papers). Inviting again replaces the items. Raises ValidationError for items of another
    meeting; PermissionDenied unless the actor is Geschäftsstelle."""
    require_secretariat(actor, body=meeting.body_id)
    items = list(agenda_items)
    if any(item.meeting_id != meeting.pk for item in items):
        raise ValidationError(
            {"agenda_items": _("Die Tagesordnungspunkte gehören zu einer anderen Sitzung.")}
        )
    invitation, _created = GuestInvitation.objects.get_or_create(meeting=meeting, person=person)
    invitation.agenda_items.set(items)
    log_action(
        "meetings.guest.invite",
        actor=actor,
        obj=invitation,
        data={"person": person.pk, "agenda_items": [i.pk for i in items]},
    )
    return invitation


@transaction.atomic
def guest_answer(*, actor: Any, invitation: GuestInvitation, attending: bool) -> GuestInvitation:
    """The invited guest confirms or declines (issue 5 item 6). Only the guest's own user may
    answer (or the Geschäftsstelle on their behalf)."""
    own = invitation.person.user_id is not None and invitation.person.user_id == getattr(
        actor, "pk", None
    )
    if not (own or is_secretariat_of(actor, invitation.meeting.body_id)):
        raise PermissionDenied(_("Sie können nur Ihre eigene Einladung beantworten."))
    invitation.status = (
        GuestInvitationStatus.CONFIRMED if attending else GuestInvitationStatus.DECLINED
    )
    invitation.save(update_fields=["status"])
    log_action(
        "meetings.guest.answer", actor=actor, obj=invitation, data={"status": invitation.status}
    )
    return invitation


@transaction.atomic
def attendance_set_present(
    *, actor: Any, meeting: Meeting, state_ids: Iterable[int]
) -> list[Attendance]:
    """The roll call (Anwesenheit feststellen): exactly the Länder ``state_ids`` (State
    primary keys) are present at ``meeting``, all others absent (DOMAIN rules 1 and 4: only a
    present Land votes or receives a transferred vote; issue 6 newcomer report, item 1).

    A Land marked present without a registered attendance gets a row with an empty role
    (represented, person unknown: its member represents it, rule 1); a Land registered as
    "nimmt nicht teil" that is marked present is set to that empty role, too. Absent Länder
    without a row get none. Audited ``meetings.attendance.present`` with the ISO codes of the
    Länder present and absent. Returns the meeting's attendance rows by Land name.

    Only the Geschäftsstelle (``policy.can_run_session``): PermissionDenied otherwise;
    ValidationError for an unknown Land.
    """
    from dmk.access.policy import can_run_session

    if not can_run_session(actor, body=meeting.body_id):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf die Anwesenheit feststellen."))
    wanted = {int(pk) for pk in state_ids}
    states = {s.pk: s for s in State.objects.all()}
    if not wanted <= states.keys():
        raise ValidationError({"present": _("Bitte wählen Sie nur Länder aus der Liste.")})
    rows = {a.state_id: a for a in Attendance.objects.select_for_update().filter(meeting=meeting)}
    for state_id, state in states.items():
        row = rows.get(state_id)
        present = state_id in wanted
        if row is None:
            if present:
                rows[state_id] = Attendance.objects.create(
                    meeting=meeting, state=state, present=True, registered_by=actor
                )
            continue
        role = "" if present and row.role == AttendanceRole.NONE else row.role
        if row.present != present or row.role != role:
            row.present, row.role = present, role
            row.save(update_fields=["present", "role", "registered_at"])
    by_name = sorted(states.values(), key=lambda s: s.name_de)
    log_action(
        "meetings.attendance.present",
        actor=actor,
        obj=meeting,
        data={
            "present": [s.code for s in by_name if s.pk in wanted],
            "absent": [s.code for s in by_name if s.pk not in wanted],
        },
    )
    return [rows[s.pk] for s in by_name if s.pk in rows]
