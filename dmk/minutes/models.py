"""Minutes (Ergebnisprotokoll, OParl ``Meeting.resultsProtocol``) and meeting packs
(Sitzungsmappe, OParl ``Meeting.auxiliaryFile``) — issue 12; DOMAIN glossary ``Minutes``,
``MeetingPack``; rules 3, 4, 6, 8, 10, 11.

Models hold fields and constraints only; every write goes through ``dmk.minutes.services``
(minutes) or ``dmk.minutes.pack`` (packs).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import State
from dmk.meetings.models import AgendaItem, Meeting


class MinutesStatus(models.TextChoices):
    """The life cycle of minutes (issue 12 item 2); each step is one service."""

    DRAFT = "draft", _("Entwurf")
    CIRCULATED = "circulated", _("zur Stellungnahme")
    IN_APPROVAL = "in_approval", _("zur Genehmigung")
    APPROVED = "approved", _("genehmigt")


class Minutes(models.Model):
    """The Ergebnisprotokoll of one meeting.

    ``version`` is the number of the current :class:`MinutesVersion`; it doubles as the
    optimistic lock (issue 12 item 3): a save names the version it started from and is
    refused when another save came first. ``comment_deadline`` is the last Europe/Berlin
    calendar day on which the Länder may comment. Approval is either by a ballot on
    ``approval_agenda_item`` (a TOP "Genehmigung des Protokolls" of a later meeting) or by
    ``written_procedure`` (DOMAIN rule 8). Internal by default (DOMAIN rule 11): who sees
    what is decided by ``dmk.access.policy.can_view_minutes``.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.PROTECT, related_name="minutes"
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("aktuelle Fassung"), default=1)
    comment_deadline = models.DateField(_("Frist zur Stellungnahme"), null=True, blank=True)
    circulated_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    approval_agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Genehmigung unter TOP"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
    )
    written_procedure = models.OneToOneField(
        "voting.WrittenProcedure",
        verbose_name=_("Genehmigung im Umlaufverfahren"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    approving_ballot = models.OneToOneField(
        "voting.Ballot",
        verbose_name=_("genehmigt durch Abstimmung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
    )
    approved_at = models.DateTimeField(_("genehmigt am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ergebnisprotokoll")
        verbose_name_plural = _("Ergebnisprotokolle")
        ordering = ["-meeting__start_date", "-pk"]

    def __str__(self) -> str:
        return f"{_('Protokoll')}: {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("portal:minutes_detail", kwargs={"slug": self.meeting.slug})

    @property
    def is_frozen(self) -> bool:
        """True once approval has begun: the text changes only by a Berichtigung."""
        return self.status in (MinutesStatus.IN_APPROVAL, MinutesStatus.APPROVED)


class VersionKind(models.TextChoices):
    DRAFT = "draft", _("Entwurf aus dem Sitzungsverlauf")
    REVISION = "revision", _("Überarbeitung")
    CORRECTION = "correction", _("Berichtigung")


class MinutesVersion(models.Model):
    """One kept version of the minutes (issue 12 item 2: every version kept).

    ``record`` is the part written from the record when the draft was made (header,
    attendance, per TOP: papers, outcome wording, vote table, transfers, reservations,
    declarations, Tischvorlagen, follow-ups) — a JSON snapshot, so later changes of the record
    do not change approved minutes. ``texts`` maps an agenda item's primary key (a string)
    to its sanitised discussion summary (HTML, nh3).
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    kind = models.CharField(_("Art"), max_length=20, choices=VersionKind.choices)
    record = models.JSONField(_("Sitzungsverlauf"), default=dict)
    texts = models.JSONField(_("Texte je TOP"), default=dict)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Fassung des Protokolls")
        verbose_name_plural = _("Fassungen des Protokolls")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="minutesversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} – {_('Fassung')} {self.number}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Anmerkung")
    NO_OBJECTION = "no_objection", _("keine Einwände")


class MinutesComment(models.Model):
    """A Land's comment on circulated minutes, on one TOP (``agenda_item``) or on the whole
    (None), or its statement "keine Einwände" (issue 12 item 2). ``version`` is the version
    it was made on."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField(_("zu Fassung"))
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="+"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("TOP"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=CommentKind.choices)
    text = models.TextField(_("Anmerkung"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("abgegeben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stellungnahme zum Protokoll")
        verbose_name_plural = _("Stellungnahmen zum Protokoll")
        ordering = ["minutes", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.state}: {self.get_kind_display()}"


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("in der Warteschlange")
    BUILDING = "building", _("wird erstellt")
    READY = "ready", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class MeetingPack(models.Model):
    """A built Sitzungsmappe (issue 12 item 5): one PDF per meeting and *set of inputs*.

    ``input_hash`` is the SHA-256 of what the reader may see (agenda items, papers and the
    current versions of their files); readers with the same visible set share one pack, and
    a changed paper file gives a new hash, hence a rebuild. ``file`` is set only once the
    whole PDF is stored, so a half-built pack is never served. ``progress`` is 0–100.
    ``notes`` lists files that could not be merged (not PDF, encrypted, broken); ``spec`` is
    what goes in (``dmk.minutes.pack.pack_inputs``), so the worker builds it without a user.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    input_hash = models.CharField(_("Prüfsumme der Eingaben"), max_length=64)
    spec = models.JSONField(_("Inhalt"), default=dict)
    status = models.CharField(
        _("Status"), max_length=20, choices=PackStatus.choices, default=PackStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    file = models.FileField(_("Datei"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0)
    pages = models.PositiveIntegerField(_("Seiten"), default=0)
    notes = models.JSONField(_("Hinweise"), default=list, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    built_at = models.DateTimeField(_("erstellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sitzungsmappe")
        verbose_name_plural = _("Sitzungsmappen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "input_hash"], name="meetingpack_unique"),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""), name="meetingpack_ready_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Sitzungsmappe')}: {self.meeting} ({self.input_hash[:8]})"

    @property
    def is_ready(self) -> bool:
        return self.status == PackStatus.READY and bool(self.file)
