"""Writes of the minutes: one service per transition of the life cycle (issue 12 item 2).

Entwurf (``minutes_create_draft``) → zur Stellungnahme (``minutes_circulate``; Länder
comment with ``minutes_comment``) → revised (``minutes_revise``, every version kept) → zur
Genehmigung (``minutes_schedule_approval`` on a TOP of a later meeting, or
``minutes_start_written_approval``, DOMAIN rule 8) → genehmigt (``minutes_approve``, also
reached through ``minutes_settle_ballot`` when that TOP's ballot is closed) — the meeting
then moves to "Protokoll freigegeben". After approval only ``minutes_correct`` changes the
text, as a new "Berichtigung" version.

Every service is keyword-only and atomic, checks who may do it, locks the minutes row, and
writes one audit entry. A refusal raises :class:`MinutesError` with a German message; a
concurrent edit raises :class:`MinutesConflict` carrying both texts (issue 12 item 3).
"""

from __future__ import annotations

import datetime
import html
import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import can_edit_minutes, minutes_comment_state_ids
from dmk.bodies.models import State
from dmk.core.audit import log_action
from dmk.meetings import services as meeting_services
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.minutes.models import (
    CommentKind,
    Minutes,
    MinutesComment,
    MinutesStatus,
    MinutesVersion,
    VersionKind,
)
from dmk.minutes.record import minutes_record
from dmk.resolutions.services import sanitize_html
from dmk.voting import services as voting_services
from dmk.voting.models import Ballot, WrittenProcedure
from dmk.voting.rules import MajorityRule

#: Longest comment a Land may write (characters).
MAX_COMMENT = 10_000


class MinutesError(Exception):
    """A refused action on minutes; ``message`` is German and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MinutesConflict(MinutesError):
    """Another save came first (issue 12 item 3). ``mine`` holds the texts the caller tried
    to save, ``theirs`` the texts now current and ``version`` its number, so that nothing
    typed is lost: the page shows both."""

    def __init__(self, *, mine: dict[str, str], theirs: dict[str, str], version: int) -> None:
        super().__init__(
            _(
                "Das Protokoll wurde inzwischen von jemand anderem geändert (jetzt Fassung "
                "%(version)s). Ihre Änderungen sind nicht gespeichert, aber unten erhalten: "
                "Bitte übernehmen Sie sie in die aktuelle Fassung und speichern Sie erneut."
            )
            % {"version": version}
        )
        self.mine = mine
        self.theirs = theirs
        self.version = version


def _require_editor(user: Any) -> None:
    if not can_edit_minutes(user):
        raise MinutesError(_("Nur die Geschäftsstelle darf das Protokoll bearbeiten."))


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__body").get(pk=minutes.pk)


def current_version(minutes: Minutes) -> MinutesVersion:
    """The version numbered ``minutes.version``."""
    return minutes.versions.get(number=minutes.version)


def rich_text(value: str) -> str:
    """A discussion summary as sanitised HTML (nh3, ``dmk.resolutions.services.sanitize_html``).
    Text without any tag is taken as plain text: blank lines separate paragraphs, a line
    break stays a line break. Returns "" for blank input."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n")).strip()
    if not value:
        return ""
    if "<" not in value:
        paragraphs = [p.strip() for p in value.split("\n\n") if p.strip()]
        value = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
            for p in paragraphs
        )
    return sanitize_html(value).strip()


def _clean_texts(minutes: Minutes, texts: dict[Any, str]) -> dict[str, str]:
    """``texts`` keyed by agenda item primary key (str), sanitised (nh3); keys of items
    not on the meeting's agenda are refused."""
    item_ids = {str(pk) for pk in minutes.meeting.agenda_items.values_list("pk", flat=True)}
    cleaned: dict[str, str] = {}
    for key, value in texts.items():
        if str(key) not in item_ids:
            raise MinutesError(_("Dieser Tagesordnungspunkt gehört nicht zu der Sitzung."))
        text = rich_text(value)
        if text:
            cleaned[str(key)] = text
    return cleaned


@transaction.atomic
def minutes_create_draft(*, meeting: Meeting, user: Any) -> Minutes:
    """Create the draft minutes of ``meeting`` from its record (issue 12 item 1): version 1
    holds the snapshot of :func:`dmk.minutes.record.minutes_record` and no free texts.

    Only the Geschäftsstelle; only for a held meeting (OParl: the minutes make a held meeting
    ``durchgeführt`` with a ``resultsProtocol``); only once per meeting. Raises
    :class:`MinutesError` otherwise.
    """
    _require_editor(user)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.state != MeetingState.HELD:
        raise MinutesError(
            _("Ein Protokoll kann erst angelegt werden, wenn die Sitzung durchgeführt ist.")
        )
    if Minutes.objects.filter(meeting=meeting).exists():
        raise MinutesError(_("Für diese Sitzung gibt es bereits ein Protokoll."))
    minutes = Minutes.objects.create(meeting=meeting, created_by=user)
    MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        kind=VersionKind.DRAFT,
        record=minutes_record(meeting),
        created_by=user,
    )
    log_action("minutes.minutes.drafted", actor=user, obj=minutes, data={"version": 1})
    return minutes


def _notify_laender(minutes: Minutes) -> None:
    from dmk.minutes.tasks import notify_minutes_circulated_task  # tasks import this module

    notify_minutes_circulated_task.enqueue(minutes.pk)


@transaction.atomic
def minutes_circulate(
    *, minutes: Minutes, user: Any, deadline: datetime.date | None = None
) -> Minutes:
    """Send the draft to the Länder for comment (Entwurf → zur Stellungnahme) and e-mail
    them (a queued task). ``deadline`` is the last Europe/Berlin calendar day for comments,
    default today + ``body.minutes_comment_days`` (14); not in the past. Only the
    Geschäftsstelle, only from "Entwurf". Raises :class:`MinutesError` otherwise."""
    _require_editor(user)
    locked = _lock(minutes)
    if locked.status != MinutesStatus.DRAFT:
        raise MinutesError(_("Nur ein Entwurf kann zur Stellungnahme versandt werden."))
    today = timezone.localdate()
    deadline = deadline or today + datetime.timedelta(days=locked.meeting.body.minutes_comment_days)
    if deadline < today:
        raise MinutesError(_("Die Frist darf nicht in der Vergangenheit liegen."))
    locked.status = MinutesStatus.CIRCULATED
    locked.comment_deadline = deadline
    locked.circulated_at = timezone.now()
    locked.save(update_fields=["status", "comment_deadline", "circulated_at"])
    log_action(
        "minutes.minutes.circulated",
        actor=user,
        obj=locked,
        data={"deadline": deadline.isoformat(), "version": locked.version},
    )
    transaction.on_commit(lambda: _notify_laender(locked))
    minutes.refresh_from_db()
    return locked


@transaction.atomic
def minutes_comment(
    *,
    minutes: Minutes,
    user: Any,
    state: State,
    text: str = "",
    agenda_item: AgendaItem | None = None,
    no_objection: bool = False,
) -> MinutesComment:
    """``state`` comments on circulated minutes, on ``agenda_item`` or on the whole, or
    states "keine Einwände" (``no_objection``; issue 12 item 2).

    A Land comments only for itself (``dmk.access.policy.minutes_comment_state_ids``) and
    only while the minutes are "zur Stellungnahme" and the deadline (Europe/Berlin, inclusive)
    has not passed. A comment needs a text of at most :data:`MAX_COMMENT` characters; the
    item must be on the meeting's agenda. Raises :class:`MinutesError` otherwise.
    """
    locked = _lock(minutes)
    if state.pk not in minutes_comment_state_ids(user):
        raise MinutesError(_("Sie können nur für Ihr eigenes Land Stellung nehmen."))
    if locked.status != MinutesStatus.CIRCULATED:
        raise MinutesError(
            _("Stellungnahmen sind nur möglich, solange das Protokoll zur Stellungnahme steht.")
        )
    if locked.comment_deadline and timezone.localdate() > locked.comment_deadline:
        raise MinutesError(_("Die Frist zur Stellungnahme ist abgelaufen."))
    if agenda_item is not None and agenda_item.meeting_id != locked.meeting_id:
        raise MinutesError(_("Dieser Tagesordnungspunkt gehört nicht zu der Sitzung."))
    text = (text or "").strip()
    if no_objection:
        kind = CommentKind.NO_OBJECTION
        agenda_item = None
    else:
        kind = CommentKind.COMMENT
        if not text:
            raise MinutesError(_("Bitte geben Sie Ihre Anmerkung ein."))
        if len(text) > MAX_COMMENT:
            raise MinutesError(
                _("Die Anmerkung ist zu lang (höchstens %(max)s Zeichen).") % {"max": MAX_COMMENT}
            )
    comment = MinutesComment.objects.create(
        minutes=locked,
        version=locked.version,
        state=state,
        agenda_item=agenda_item,
        kind=kind,
        text=text,
        author=user,
    )
    log_action(
        "minutes.comment.added",
        actor=user,
        obj=locked,
        data={
            "state": state.code,
            "kind": kind,
            "agenda_item": agenda_item.pk if agenda_item else None,
        },
    )
    return comment


def _new_version(
    *,
    locked: Minutes,
    user: Any,
    texts: dict[Any, str],
    base_version: int,
    kind: str,
    note: str,
) -> MinutesVersion:
    current = current_version(locked)
    cleaned = _clean_texts(locked, texts)
    if base_version != locked.version:
        raise MinutesConflict(
            mine={str(k): v for k, v in texts.items()},
            theirs=current.texts,
            version=locked.version,
        )
    version = MinutesVersion.objects.create(
        minutes=locked,
        number=locked.version + 1,
        kind=kind,
        record=current.record,
        texts=cleaned,
        note=(note or "").strip()[:500],
        created_by=user,
    )
    locked.version = version.number
    locked.save(update_fields=["version"])
    return version


@transaction.atomic
def minutes_revise(
    *,
    minutes: Minutes,
    user: Any,
    texts: dict[Any, str],
    base_version: int,
    note: str = "",
) -> MinutesVersion:
    """Save the Geschäftsstelle's revision as a new version (issue 12 item 2: every version
    kept). ``texts`` maps agenda item primary keys to discussion summaries (HTML, sanitised
    with nh3); ``base_version`` is the version the editor started from.

    Optimistic locking (issue 12 item 3): if another revision was saved since
    ``base_version``, nothing is written and :class:`MinutesConflict` carries both texts.
    Refused with :class:`MinutesError` for anybody but the Geschäftsstelle and once approval
    has begun (the text is frozen; a correction after approval is :func:`minutes_correct`).
    """
    _require_editor(user)
    locked = _lock(minutes)
    if locked.is_frozen:
        raise MinutesError(
            _(
                "Das Protokoll ist zur Genehmigung gestellt oder genehmigt und kann nicht mehr "
                "überarbeitet werden; nach der Genehmigung ist nur eine Berichtigung möglich."
            )
        )
    version = _new_version(
        locked=locked,
        user=user,
        texts=texts,
        base_version=base_version,
        kind=VersionKind.REVISION,
        note=note,
    )
    log_action("minutes.minutes.revised", actor=user, obj=locked, data={"version": version.number})
    minutes.refresh_from_db()
    return version


@transaction.atomic
def minutes_correct(
    *,
    minutes: Minutes,
    user: Any,
    texts: dict[Any, str],
    base_version: int,
    reason: str,
) -> MinutesVersion:
    """Correct approved minutes: a new, audited "Berichtigung" version (issue 12 item 2);
    ``reason`` is required and kept as the version's note. Only the Geschäftsstelle, only
    after approval; optimistic locking as in :func:`minutes_revise`. Raises
    :class:`MinutesError` / :class:`MinutesConflict`."""
    _require_editor(user)
    locked = _lock(minutes)
    if locked.status != MinutesStatus.APPROVED:
        raise MinutesError(_("Eine Berichtigung ist nur bei einem genehmigten Protokoll möglich."))
    reason = (reason or "").strip()
    if not reason:
        raise MinutesError(_("Bitte begründen Sie die Berichtigung."))
    version = _new_version(
        locked=locked,
        user=user,
        texts=texts,
        base_version=base_version,
        kind=VersionKind.CORRECTION,
        note=reason,
    )
    log_action(
        "minutes.minutes.corrected",
        actor=user,
        obj=locked,
        data={"version": version.number, "reason": reason[:500]},
    )
    minutes.refresh_from_db()
    return version


def _require_ready_for_approval(locked: Minutes) -> None:
    if locked.status not in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED):
        raise MinutesError(_("Das Protokoll ist bereits zur Genehmigung gestellt oder genehmigt."))
    if locked.status == MinutesStatus.DRAFT:
        raise MinutesError(
            _("Bitte versenden Sie das Protokoll zuerst zur Stellungnahme an die Länder.")
        )


@transaction.atomic
def minutes_schedule_approval(*, minutes: Minutes, user: Any, agenda_item: AgendaItem) -> Minutes:
    """Put the minutes to the vote on ``agenda_item``, a TOP (e.g. "Genehmigung des
    Protokolls") of a later meeting of the same body (zur Stellungnahme → zur Genehmigung);
    closing an adopted ballot on that TOP approves them (:func:`minutes_settle_ballot`).
    The text is frozen from now on. Only the Geschäftsstelle. Raises :class:`MinutesError`."""
    _require_editor(user)
    locked = _lock(minutes)
    _require_ready_for_approval(locked)
    meeting = locked.meeting
    later = agenda_item.meeting
    earlier = bool(
        later.start_date and meeting.start_date and later.start_date < meeting.start_date
    )
    if later.pk == meeting.pk or later.body_id != meeting.body_id or earlier:
        raise MinutesError(
            _(
                "Bitte wählen Sie einen Tagesordnungspunkt einer späteren Sitzung desselben "
                "Gremiums."
            )
        )
    locked.status = MinutesStatus.IN_APPROVAL
    locked.approval_agenda_item = agenda_item
    locked.save(update_fields=["status", "approval_agenda_item"])
    log_action(
        "minutes.minutes.approval_scheduled",
        actor=user,
        obj=locked,
        data={"agenda_item": agenda_item.pk, "meeting": later.slug},
    )
    minutes.refresh_from_db()
    return locked


@transaction.atomic
def minutes_start_written_approval(
    *, minutes: Minutes, user: Any, deadline: datetime.date | None = None
) -> Minutes:
    """Put the minutes to an Umlaufverfahren (DOMAIN rule 8; reuses
    ``dmk.voting.services.written_procedure_start``, default deadline from the body's rule
    set); once it is closed and adopted, :func:`minutes_approve` approves. Only the
    Geschäftsstelle. Raises :class:`MinutesError`."""
    _require_editor(user)
    locked = _lock(minutes)
    _require_ready_for_approval(locked)
    try:
        procedure = voting_services.written_procedure_start(
            body=locked.meeting.body,
            title=_("Genehmigung des Protokolls: %(meeting)s") % {"meeting": locked.meeting.name},
            user=user,
            deadline=deadline,
            rule=MajorityRule.TWO_THIRDS_OF_MEMBERS,
        )
    except voting_services.VotingError as exc:
        raise MinutesError(exc.message) from exc
    locked.status = MinutesStatus.IN_APPROVAL
    locked.written_procedure = procedure
    locked.save(update_fields=["status", "written_procedure"])
    log_action(
        "minutes.minutes.written_approval_started",
        actor=user,
        obj=locked,
        data={"procedure": procedure.pk},
    )
    minutes.refresh_from_db()
    return locked


@transaction.atomic
def minutes_approve(
    *,
    minutes: Minutes,
    user: Any,
    ballot: Ballot | None = None,
    procedure: WrittenProcedure | None = None,
) -> Minutes:
    """Approve the minutes (zur Genehmigung → genehmigt) on the evidence of a closed,
    adopted ``ballot`` on the approval TOP, or of the minutes' closed, adopted written
    ``procedure``; then the meeting moves to "Protokoll freigegeben" (OParl). The text is
    frozen. Only the Geschäftsstelle. Raises :class:`MinutesError` when the evidence is
    missing, not closed, rejected, or belongs to something else."""
    _require_editor(user)
    locked = _lock(minutes)
    if locked.status != MinutesStatus.IN_APPROVAL:
        raise MinutesError(_("Das Protokoll steht nicht zur Genehmigung."))
    if ballot is not None:
        ballot = Ballot.objects.get(pk=ballot.pk)
        if ballot.agenda_item_id != locked.approval_agenda_item_id:
            raise MinutesError(_("Diese Abstimmung betrifft nicht die Genehmigung des Protokolls."))
        outcome = ballot.stored_outcome
    elif procedure is not None:
        procedure = WrittenProcedure.objects.get(pk=procedure.pk)
        if procedure.pk != locked.written_procedure_id:
            raise MinutesError(
                _("Dieses Umlaufverfahren betrifft nicht die Genehmigung des Protokolls.")
            )
        outcome = procedure.stored_outcome
    else:
        raise MinutesError(_("Die Genehmigung braucht eine Abstimmung oder ein Umlaufverfahren."))
    if outcome is None:
        raise MinutesError(_("Die Abstimmung über das Protokoll ist noch nicht abgeschlossen."))
    if not outcome.adopted:
        raise MinutesError(_("Das Protokoll wurde nicht genehmigt: Die Mehrheit fehlt."))
    locked.status = MinutesStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.approving_ballot = ballot
    locked.save(update_fields=["status", "approved_at", "approving_ballot"])
    if locked.meeting.state == MeetingState.HELD:
        meeting_services.meeting_release_minutes(actor=user, meeting=locked.meeting)
    log_action(
        "minutes.minutes.approved",
        actor=user,
        obj=locked,
        data={
            "version": locked.version,
            "ballot": ballot.pk if ballot else None,
            "procedure": procedure.pk if procedure else None,
        },
    )
    minutes.refresh_from_db()
    return locked


def minutes_settle_ballot(*, ballot: Ballot, user: Any) -> Minutes | None:
    """After ``ballot`` was closed: if it is the approval TOP of minutes that are "zur
    Genehmigung" and it was adopted, approve them (:func:`minutes_approve`) and return them;
    otherwise return None (a rejected ballot leaves the minutes waiting)."""
    minutes = Minutes.objects.filter(
        approval_agenda_item_id=ballot.agenda_item_id, status=MinutesStatus.IN_APPROVAL
    ).first()
    if minutes is None or not ballot.adopted:
        return None
    return minutes_approve(minutes=minutes, user=user, ballot=ballot)
