"""Writes of papers: drafting, co-sponsors, files, submission for a meeting, Tischvorlagen
(issue 5 items 3 and 4; DOMAIN rules 7 and 11).

Keyword-only, atomic, audited. Bad input raises ``ValidationError`` with a German message,
a missing permission ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.access.policy import (
    body_id_of,
    can_view_paper,
    is_secretariat_of,
    principal_for,
)
from dmk.bodies.models import Body, State
from dmk.core.audit import log_action
from dmk.core.enums import Visibility
from dmk.core.text import german_slug
from dmk.documents.services import file_text_enqueue
from dmk.meetings.models import AgendaItem, Meeting, MeetingState
from dmk.meetings.rules import is_tischvorlage
from dmk.meetings.selectors import meeting_deadlines
from dmk.papers.files import CheckedFile, check_upload, original_file_name, store_atomically
from dmk.papers.models import (
    Consultation,
    Paper,
    PaperFile,
    PaperSponsor,
    PaperType,
    SponsorStatus,
)


def _require_acts_for(actor: Any, state: State, *, body: Any = None) -> None:
    """Refuse unless ``actor`` acts for ``state`` in ``body`` or is its Geschäftsstelle
    (issue 11 item 1; None: any body)."""
    principal = principal_for(actor)
    body_id = body_id_of(body)
    if not (principal.is_secretariat_of(body_id) or state.pk in principal.state_ids_in(body_id)):
        raise PermissionDenied(_("Sie handeln nicht für dieses Land."))


def _require_author(actor: Any, paper: Paper) -> None:
    if paper.author_state is None:
        raise PermissionDenied(_("Diese Vorlage hat kein einreichendes Land."))
    _require_acts_for(actor, paper.author_state, body=paper.body_id)


def _unique_slug(title: str) -> str:
    base = german_slug(title) or "vorlage"
    slug, n = base, 2
    while Paper.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_text(title: str, paper_type: str) -> str:
    title = title.strip()
    errors = {}
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    if paper_type not in PaperType.values:
        errors["paper_type"] = _("Bitte wählen Sie die Art der Vorlage.")
    if errors:
        raise ValidationError(errors)
    return title


@transaction.atomic
def paper_create(
    *,
    actor: Any,
    body: Body,
    state: State,
    title: str,
    paper_type: str,
    text_source: str = "",
    upload_name: str = "",
    upload_stream: IO[bytes] | None = None,
    upload_size: int | None = None,
    submission_token: uuid.UUID | None = None,
) -> Paper:
    """Draft a paper of ``state`` (visibility *Entwurf*: only that Land and the
    Geschäftsstelle see it, DOMAIN rule 11), optionally with a first file (version 1). The
    actor must act for ``state``. All input, the file included, is checked before anything is
    written: a ValidationError leaves neither a paper nor a file behind.

    ``submission_token`` is the one-time token of the form (uuid4, rendered into it): a second
    submission with the same token (a double click) creates nothing and returns the paper
    the first one created. The token is unique in the database, so two concurrent requests
    cannot both create a draft; the loser's IntegrityError is caught in a savepoint. A token
    used for another Land's paper is refused with ValidationError. Source: the double-submit
    bug of ``tests/adversarial/test_double_submit_and_csrf.py``.
    """
    _require_acts_for(actor, state, body=body)
    if submission_token is not None:
        existing = _paper_of_token(submission_token, state)
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_text(title, paper_type)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    checked = None
    if upload_stream is not None:
        try:
            checked = check_upload(upload_name, upload_stream, size=upload_size)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            paper = Paper.objects.create(
                body=body,
                slug=_unique_slug(title),
                title=title,
                paper_type=paper_type,
                visibility=Visibility.DRAFT,
                author_state=state,
                text_source=text_source,
                date=timezone.localdate(),
                submission_token=submission_token,
            )
    except IntegrityError:
        # a concurrent submission of the same form won the race
        existing = _paper_of_token(submission_token, state) if submission_token else None
        if existing is None:
            raise
        return existing
    log_action("papers.paper.create", actor=actor, obj=paper, data={"state": state.code})
    if checked is not None:
        _store_version(actor=actor, paper=paper, name=upload_name, checked=checked)
    return paper


def _paper_of_token(token: uuid.UUID, state: State) -> Paper | None:
    """The paper created with form token ``token``, if any; ValidationError if it belongs to
    another Land (a token is never a way to reach a foreign paper)."""
    paper = Paper.objects.filter(submission_token=token).first()
    if paper is not None and paper.author_state_id != state.pk:
        raise ValidationError(
            _("Dieses Formular wurde bereits verwendet. Bitte laden Sie die Seite neu.")
        )
    return paper


@transaction.atomic
def paper_update(
    *, actor: Any, paper: Paper, title: str, paper_type: str, text_source: str = ""
) -> Paper:
    """Change title, type and text of a paper of the actor's Land."""
    _require_author(actor, paper)
    paper.title = _clean_text(title, paper_type)
    paper.paper_type = paper_type
    paper.text_source = text_source
    paper.save(update_fields=["title", "paper_type", "text_source"])
    log_action("papers.paper.update", actor=actor, obj=paper)
    return paper


@transaction.atomic
def sponsor_invite(*, actor: Any, paper: Paper, state: State) -> PaperSponsor:
    """Invite ``state`` to co-sponsor ``paper``. Refused (ValidationError) for the author Land
    itself and for a Land already invited."""
    _require_author(actor, paper)
    if state.pk == paper.author_state_id:
        raise ValidationError(
            {
                "state": _(
                    "Ihr eigenes Land reicht die Vorlage ein und kann nicht als "
                    "Mitantragsteller eingeladen werden."
                )
            }
        )
    if PaperSponsor.objects.filter(paper=paper, state=state).exists():
        raise ValidationError({"state": _("Dieses Land ist bereits eingeladen.")})
    sponsor = PaperSponsor.objects.create(paper=paper, state=state)
    log_action("papers.sponsor.invite", actor=actor, obj=sponsor, data={"state": state.code})
    return sponsor


@transaction.atomic
def sponsor_answer(*, actor: Any, sponsor: PaperSponsor, accept: bool) -> PaperSponsor:
    """The invited Land accepts or declines the co-sponsorship."""
    _require_acts_for(actor, sponsor.state, body=sponsor.paper.body_id)
    sponsor.status = SponsorStatus.ACCEPTED if accept else SponsorStatus.DECLINED
    sponsor.answered_at = timezone.now()
    sponsor.save(update_fields=["status", "answered_at"])
    log_action("papers.sponsor.answer", actor=actor, obj=sponsor, data={"status": sponsor.status})
    return sponsor


def paper_file_add(
    *, actor: Any, paper: Paper, name: str, stream: IO[bytes], size: int | None = None
) -> PaperFile:
    """Check and store one file of ``paper`` as a new version (1, 2, …; older versions kept).

    Raises ValidationError (German, key ``file``) for a wrong type, content not matching the
    extension, an empty or oversized file — nothing is stored then. The file is written
    atomically (``dmk.papers.files.store_atomically``); if the database write fails, the file
    is removed again.

    A file added after the papers deadline of a meeting the paper is submitted for makes the
    paper a Tischvorlage there (DOMAIN rule 7: it needs the chair's consent again;
    :func:`_late_file_makes_tischvorlage`; issue 11, defect 6).
    """
    _require_author(actor, paper)
    try:
        checked = check_upload(name, stream, size=size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    paper_file = _store_version(actor=actor, paper=paper, name=name, checked=checked)
    _late_file_makes_tischvorlage(actor=actor, paper=paper, now=timezone.now())
    return paper_file


@transaction.atomic
def _late_file_makes_tischvorlage(*, actor: Any, paper: Paper, now: datetime.datetime) -> None:
    """Mark every consultation of ``paper`` at a meeting still being prepared (planned,
    scheduled, invited) whose papers deadline (a Europe/Berlin date) has passed at ``now`` as
    a Tischvorlage (DOMAIN rule 7): what the Länder read by the deadline is no longer the
    whole paper. A consent the chair gave before is void (the consent was to the paper as it
    was); a placed paper keeps its TOP, marked, until the chair consents again
    (``consultation_place_on_agenda`` with consent) or refuses. Audited per consultation as
    ``papers.consultation.late_file``."""
    consultations = (
        Consultation.objects.select_for_update()
        .select_related("meeting__body")
        .filter(
            paper=paper,
            meeting__state__in=[
                MeetingState.PLANNED,
                MeetingState.SCHEDULED,
                MeetingState.INVITED,
            ],
        )
    )
    for consultation in consultations:
        deadlines = meeting_deadlines(consultation.meeting)
        if deadlines is None or not is_tischvorlage(
            papers_deadline=deadlines.papers, submitted_at=now
        ):
            continue
        if consultation.is_tischvorlage and consultation.chair_consent_at is None:
            continue
        consultation.is_tischvorlage = True
        consultation.chair_consent_at = None
        consultation.save(update_fields=["is_tischvorlage", "chair_consent_at"])
        log_action(
            "papers.consultation.late_file",
            actor=actor,
            obj=consultation,
            data={"meeting": consultation.meeting_id, "paper": paper.pk},
        )


def _store_version(*, actor: Any, paper: Paper, name: str, checked: CheckedFile) -> PaperFile:
    stored = store_atomically(checked, directory=f"papers/{paper.pk}")
    try:
        with transaction.atomic():
            Paper.objects.select_for_update().filter(pk=paper.pk).first()
            version = (paper.files.aggregate(m=Max("version"))["m"] or 0) + 1
            paper_file = PaperFile.objects.create(
                paper=paper,
                version=version,
                original_name=original_file_name(name),
                file=stored,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=checked.sha256,
                sha512=checked.sha512,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            log_action(
                "papers.file.add",
                actor=actor,
                obj=paper_file,
                data={"paper": paper.pk, "version": version, "sha256": checked.sha256},
            )
            # issue 13 item 1: read the file's text for the search once it is committed
            file_text_enqueue(paper_file)
    except BaseException:
        default_storage.delete(stored)
        raise
    return paper_file


@transaction.atomic
def paper_submit(
    *, actor: Any, paper: Paper, meeting: Meeting, now: datetime.datetime | None = None
) -> Consultation:
    """Submit ``paper`` for ``meeting``: a Consultation is created and the paper becomes
    *intern* (all Länder and the Geschäftsstelle see it, DOMAIN rule 11). Submitted after the
    meeting's papers deadline (a Europe/Berlin date, rule 7) it is a Tischvorlage.

    Raises ValidationError if the meeting is held, cancelled or undated, or the paper is
    already submitted for it.
    """
    _require_author(actor, paper)
    now = now or timezone.now()
    deadlines = meeting_deadlines(meeting)
    if deadlines is None or meeting.state not in (
        MeetingState.PLANNED,
        MeetingState.SCHEDULED,
        MeetingState.INVITED,
    ):
        raise ValidationError(
            {"meeting": _("Für diese Sitzung können keine Vorlagen eingereicht werden.")}
        )
    if Consultation.objects.filter(paper=paper, meeting=meeting).exists():
        raise ValidationError(
            {"meeting": _("Die Vorlage ist für diese Sitzung bereits eingereicht.")}
        )
    late = is_tischvorlage(papers_deadline=deadlines.papers, submitted_at=now)
    consultation = Consultation.objects.create(
        paper=paper, meeting=meeting, submitted_at=now, is_tischvorlage=late
    )
    if paper.visibility == Visibility.DRAFT:
        paper.visibility = Visibility.INTERNAL
        paper.save(update_fields=["visibility"])
    log_action(
        "papers.paper.submit",
        actor=actor,
        obj=paper,
        data={"meeting": meeting.pk, "tischvorlage": late},
    )
    return consultation


#: Meeting states whose agenda is closed (as ``dmk.meetings.services._AGENDA_CLOSED``).
_AGENDA_CLOSED = (MeetingState.HELD, MeetingState.MINUTES_RELEASED, MeetingState.CANCELLED)


def _require_open_agenda(consultation: Consultation) -> None:
    """Lock the consultation's meeting (agenda writes run one after the other) and refuse a
    held, minuted or cancelled meeting with ValidationError: its record stays as it is."""
    meeting = Meeting.objects.select_for_update().get(pk=consultation.meeting_id)
    if meeting.state in _AGENDA_CLOSED:
        raise ValidationError(_("Die Tagesordnung dieser Sitzung kann nicht mehr geändert werden."))


@transaction.atomic
def consultation_place_on_agenda(
    *,
    actor: Any,
    consultation: Consultation,
    agenda_item: AgendaItem,
    chair_consent: bool = False,
) -> Consultation:
    """Put a submitted paper on ``agenda_item`` (Geschäftsstelle only). A Tischvorlage reaches
    the agenda only with the chair's consent (DOMAIN rule 7): without ``chair_consent`` it is
    refused with ValidationError, and so is any placing once the meeting is held, minuted or
    cancelled (its agenda is closed)."""
    if not is_secretariat_of(actor, consultation.meeting.body_id):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf das."))
    _require_open_agenda(consultation)
    if agenda_item.meeting_id != consultation.meeting_id:
        raise ValidationError(_("Der Tagesordnungspunkt gehört zu einer anderen Sitzung."))
    if consultation.chair_refused_at is not None:
        raise ValidationError(
            _("Der Vorsitz hat dieser Tischvorlage nicht zugestimmt; sie bleibt ohne TOP.")
        )
    if consultation.is_tischvorlage and not chair_consent:
        raise ValidationError(
            _(
                "Diese Vorlage ist nach der Vorlagenfrist eingegangen (Tischvorlage) und kann nur "
                "mit Zustimmung des Vorsitzes auf die Tagesordnung gesetzt werden."
            )
        )
    consultation.agenda_item = agenda_item
    if consultation.is_tischvorlage:
        consultation.chair_consent_at = timezone.now()
    consultation.save(update_fields=["agenda_item", "chair_consent_at"])
    log_action(
        "papers.consultation.place",
        actor=actor,
        obj=consultation,
        data={"agenda_item": agenda_item.pk, "chair_consent": chair_consent},
    )
    return consultation


@transaction.atomic
def consultation_refuse(*, actor: Any, consultation: Consultation) -> Consultation:
    """Record that the chair refuses a Tischvorlage (DOMAIN rule 7; issue 5 item 4): it does
    not reach the agenda (:func:`consultation_place_on_agenda` refuses it afterwards) and
    stays a submitted paper of the meeting. Geschäftsstelle only (PermissionDenied);
    ValidationError for a paper in time, one already placed with consent, one already
    refused, or a held, minuted or cancelled meeting. Audited as
    ``papers.consultation.refused``."""
    if not is_secretariat_of(actor, consultation.meeting.body_id):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf das."))
    _require_open_agenda(consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_tischvorlage:
        raise ValidationError(
            _("Diese Vorlage ist fristgerecht eingegangen und braucht keine Zustimmung.")
        )
    if consultation.chair_consent_at is not None or consultation.agenda_item_id is not None:
        raise ValidationError(_("Diese Tischvorlage steht bereits auf der Tagesordnung."))
    if consultation.chair_refused_at is not None:
        raise ValidationError(_("Die Zustimmung ist bereits verweigert."))
    consultation.chair_refused_at = timezone.now()
    consultation.save(update_fields=["chair_refused_at"])
    log_action(
        "papers.consultation.refused",
        actor=actor,
        obj=consultation,
        data={"meeting": consultation.meeting_id, "paper": consultation.paper_id},
    )
    return consultation


def file_for_download(*, user: Any, paper_slug: str, file_id: int) -> PaperFile | None:
    """The file ``file_id`` of paper ``paper_slug`` if ``user`` may see the paper
    (``dmk.access.policy.can_view_paper``: DOMAIN rule 11, a guest the papers of the meetings
    and items they are invited to, as on the paper page), else None (callers answer 404)."""
    paper_file = (
        PaperFile.objects.select_related("paper").filter(pk=file_id, paper__slug=paper_slug).first()
    )
    if paper_file is None or not can_view_paper(user, paper_file.paper):
        return None
    return paper_file
