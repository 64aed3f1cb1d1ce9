"""Writes of resolutions: adopt from a closed ballot, release, withdraw or replace (issue 6),
and their follow-ups (Aufträge, issue 6 item 6).

Every service is keyword-only and atomic and writes one audit entry. The resolution services
are allowed only for the Geschäftsstelle (seed §2.4) and refuse with
:class:`dmk.voting.services.VotingError`; the follow-up services refuse a user with
:class:`~django.core.exceptions.PermissionDenied` and bad input with
:class:`~django.core.exceptions.ValidationError` (German messages, keyed by field).
"""

from __future__ import annotations

import datetime
from html import unescape
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dmk.access.policy import can_create_followup, can_run_session, can_update_followup
from dmk.bodies.models import Body, Organization, State
from dmk.core.audit import log_action
from dmk.core.enums import Visibility
from dmk.resolutions.models import FollowUp, FollowUpStatus, Resolution, ResolutionStatus
from dmk.voting.models import Ballot
from dmk.voting.services import VotingError

#: Tags kept in a resolution's rich text; everything else (scripts, styles, handlers) goes.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def sanitize_html(html: str) -> str:
    """``html`` reduced to :data:`ALLOWED_TAGS` by nh3 (links get ``rel="noopener
    noreferrer"``); no script, style or event handler survives."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS)


def _require_secretariat(user: Any, *, body: Any) -> None:
    """Refuse unless ``user`` is the Geschäftsstelle of ``body`` (issue 11 item 1)."""
    if not can_run_session(user, body=body):
        raise VotingError(_("Nur die Geschäftsstelle darf Beschlüsse bearbeiten."))


def next_number(*, body: Body, year: int) -> tuple[int, str]:
    """The next sequence number of ``body`` in calendar ``year`` and its formatted number.

    The sequence runs per calendar year across all meetings and restarts at 1 each year
    (issue 6 item 6: "DMK 2026/07"); the text follows ``body.resolution_number_format`` with
    the placeholders ``{body}``, ``{year}`` and ``{seq}``. Call inside a transaction that has
    locked the body row.
    """
    highest = Resolution.objects.filter(body=body, number_year=year).aggregate(m=Max("number_seq"))
    seq = (highest["m"] or 0) + 1
    while True:
        number = body.resolution_number_format.format(body=body.short_name, year=year, seq=seq)
        if not Resolution.objects.filter(body=body, number=number).exists():
            return seq, number
        seq += 1


def _unique_slug(base: str) -> str:
    slug, n = base, 2
    while Resolution.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def meeting_day(ballot: Ballot) -> datetime.date:
    """The Europe/Berlin meeting day of ``ballot``: the day it closed, kept within the
    meeting's first and last day (a late record after the session still counts for the
    session day); a meeting without a date gives the closing day. The resolution's date and
    number year (issue 6 item 6; newcomer report item 4)."""
    closed = timezone.localdate(ballot.closed_at) if ballot.closed_at else timezone.localdate()
    meeting = ballot.agenda_item.meeting
    if meeting.start_date is None:
        return closed
    last = max(meeting.end_date or meeting.start_date, meeting.start_date)
    return min(max(closed, meeting.start_date), last)


@transaction.atomic
def resolution_adopt(
    *,
    ballot: Ballot,
    title: str,
    text_html: str,
    user: Any,
    decided_on: datetime.date | None = None,
) -> Resolution:
    """Record the Beschluss of a closed, adopted ``ballot`` and return it.

    Number by the body's scheme per calendar year of ``decided_on`` (a Europe/Berlin date,
    default :func:`meeting_day`: the meeting day on which the ballot closed — never simply
    "today"; issue 6 newcomer report, item 4); the rich text is sanitised with nh3; the
    per-Land vote table is the ballot's (``vote_table_known`` True), ``unanimous`` is the
    ballot's (DOMAIN rule 3). The resolution starts as a draft: public only after
    :func:`resolution_release` (DOMAIN rule 11). Raises :class:`VotingError` if the user is
    not the Geschäftsstelle, the ballot is open or rejected, it already has a resolution, or
    the title is empty; ``ValidationError`` (key ``text_html``) if the text is empty or only
    whitespace once sanitised.
    """
    ballot = Ballot.objects.select_related("agenda_item__meeting__body").get(pk=ballot.pk)
    _require_secretariat(user, body=ballot.agenda_item.meeting.body_id)
    title = (title or "").strip()
    if not title:
        raise VotingError(_("Bitte geben Sie einen Titel für den Beschluss ein."))
    text_html = sanitize_html(text_html)
    if not unescape(strip_tags(text_html)).strip():
        raise ValidationError(
            {
                "text_html": _(
                    "Bitte geben Sie den Text des Beschlusses ein; er darf nicht leer sein."
                )
            }
        )
    if ballot.is_open:
        raise VotingError(_("Die Abstimmung ist noch offen; schließen Sie sie zuerst."))
    if not ballot.adopted:
        raise VotingError(
            _("Der Antrag hat die erforderliche Mehrheit nicht erreicht; es gibt keinen Beschluss.")
        )
    if Resolution.objects.filter(ballot=ballot).exists():
        raise VotingError(_("Zu dieser Abstimmung ist bereits ein Beschluss erfasst."))
    item = ballot.agenda_item
    meeting = item.meeting
    body = Body.objects.select_for_update().get(pk=meeting.body_id)
    day = decided_on or meeting_day(ballot)
    seq, number = next_number(body=body, year=day.year)
    resolution = Resolution.objects.create(
        body=body,
        meeting=meeting,
        agenda_item=item,
        ballot=ballot,
        number=number,
        number_year=day.year,
        number_seq=seq,
        slug=_unique_slug(slugify(f"{body.short_name}-{day.year}-{seq:02d}")),
        title=title,
        text_html=text_html,
        status=ResolutionStatus.ADOPTED,
        decided_on=day,
        visibility=Visibility.DRAFT,
        vote_table_known=True,
        unanimous=ballot.unanimous,
    )
    resolution.topics.set(item.topics.all())
    log_action(
        "resolutions.resolution.adopted",
        actor=user,
        obj=resolution,
        data={"number": number, "ballot": ballot.pk},
    )
    return resolution


@transaction.atomic
def resolution_release(*, resolution: Resolution, user: Any) -> Resolution:
    """Publish ``resolution`` on the website (visibility public; DOMAIN rule 11).

    Raises :class:`VotingError` unless the user is the Geschäftsstelle."""
    _require_secretariat(user, body=resolution.body_id)
    resolution.visibility = Visibility.PUBLIC
    resolution.released_at = timezone.now()
    resolution.save(update_fields=["visibility", "released_at"])
    log_action("resolutions.resolution.released", actor=user, obj=resolution)
    return resolution


@transaction.atomic
def resolution_withdraw(*, resolution: Resolution, user: Any) -> Resolution:
    """Mark ``resolution`` withdrawn; it stays in the archive with its number."""
    _require_secretariat(user, body=resolution.body_id)
    resolution.status = ResolutionStatus.WITHDRAWN
    resolution.save(update_fields=["status"])
    log_action("resolutions.resolution.withdrawn", actor=user, obj=resolution)
    return resolution


@transaction.atomic
def resolution_replace(*, resolution: Resolution, by: Resolution, user: Any) -> Resolution:
    """Mark ``resolution`` replaced by ``by``; both stay in the archive ("vom … in der Fassung
    vom …"). Raises :class:`VotingError` if ``by`` is ``resolution`` itself."""
    _require_secretariat(user, body=resolution.body_id)
    if by.pk == resolution.pk:
        raise VotingError(_("Ein Beschluss kann nicht sich selbst ersetzen."))
    resolution.status = ResolutionStatus.REPLACED
    resolution.replaced_by = by
    resolution.save(update_fields=["status", "replaced_by"])
    log_action(
        "resolutions.resolution.replaced", actor=user, obj=resolution, data={"by": by.number}
    )
    return resolution


# --- follow-ups (Aufträge, issue 6 item 6) --------------------------------------------------


@transaction.atomic
def followup_create(
    *,
    actor: Any,
    resolution: Resolution,
    task: str,
    due_date: datetime.date,
    organization: Organization | None = None,
    state: State | None = None,
) -> FollowUp:
    """Give ``resolution`` a follow-up (status "offen") owned by exactly one of
    ``organization`` (a working body) or ``state`` (a Land), due on ``due_date`` (a
    Europe/Berlin calendar date, not before the resolution's date); ``task`` is plain text.

    Raises PermissionDenied unless ``actor`` is the Geschäftsstelle; ValidationError (German,
    by field: ``task``, ``organization``, ``due_date``) for an empty task, no or two owners,
    or a due date before the resolution's date. Audited as ``resolutions.followup.created``.
    """
    if not can_create_followup(actor, body=resolution.body_id):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf Aufträge anlegen."))
    followup = FollowUp(
        resolution=resolution,
        task=(task or "").strip(),
        organization=organization,
        state=state,
        due_date=due_date,
        status=FollowUpStatus.OPEN,
    )
    followup.full_clean()
    followup.save()
    log_action(
        "resolutions.followup.created",
        actor=actor,
        obj=followup,
        data={
            "resolution": resolution.pk,
            "organization": organization.pk if organization else None,
            "state": state.code if state else None,
            "due_date": due_date.isoformat(),
        },
    )
    return followup


@transaction.atomic
def followup_update_status(
    *,
    actor: Any,
    followup: FollowUp,
    status: str,
    note: str,
    today: datetime.date | None = None,
) -> FollowUp:
    """Set ``followup``'s status (a :class:`FollowUpStatus` value) and its progress note
    (``note``, plain text; replaces the previous note; may be empty except when the
    follow-up is dropped — "entfallen" needs a reason).

    ``done_on`` becomes ``today`` (Europe/Berlin, default the current date) when the status
    turns "erledigt" and is cleared when it leaves it. The row is locked while it is changed.
    Raises PermissionDenied unless :func:`dmk.access.policy.can_update_followup` (the
    Geschäftsstelle, the owner Land's users, the owner body's members); ValidationError
    (``status``) for an unknown status, (``note``) for "entfallen" without a reason.
    Audited as ``resolutions.followup.updated`` with the old and new status.
    """
    if not can_update_followup(actor, followup):
        raise PermissionDenied(_("Sie dürfen den Stand dieses Auftrags nicht ändern."))
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Bitte wählen Sie einen gültigen Status.")})
    note = (note or "").strip()
    if status == FollowUpStatus.DROPPED and not note:
        raise ValidationError(
            {"note": _("Bitte begründen Sie im Sachstand, warum der Auftrag entfällt.")}
        )
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    old_status = locked.status
    locked.status = status
    locked.progress_note = note
    if status == FollowUpStatus.DONE:
        locked.done_on = locked.done_on or today or timezone.localdate()
    else:
        locked.done_on = None
    locked.save(update_fields=["status", "progress_note", "done_on", "updated_at"])
    log_action(
        "resolutions.followup.updated",
        actor=actor,
        obj=locked,
        data={"status_from": old_status, "status_to": status},
    )
    return locked
