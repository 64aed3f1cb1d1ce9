"""Resolutions (Beschlüsse): the archive of what the conference decided (seed §2.4), and the
follow-ups (Aufträge) a resolution gives a working body or a Land (issue 6 item 6)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from dmk.bodies.models import Body, Organization, State, Topic
from dmk.core.enums import Visibility
from dmk.core.links import slug_url
from dmk.core.models import Timestamped
from dmk.meetings.models import AgendaItem, Meeting
from dmk.papers.models import Paper


class ResolutionStatus(models.TextChoices):
    ADOPTED = "adopted", _("gefasst")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    REPLACED = "replaced", _("ersetzt")


class Resolution(index.Indexed, Timestamped):
    """A Beschluss (OParl ``AgendaItem.resolutionText``).

    ``number`` follows the body's scheme (default "DMK 2026/07") and is unique per body when
    set; imported historic resolutions may have none. ``title_is_exact`` is False when the
    public record gives only a paraphrase of the topic. ``vote_table_known`` is False for
    imported resolutions whose per-Land votes were never published.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="resolutions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Vorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    number = models.CharField(_("Beschlussnummer"), max_length=40, blank=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=160, unique=True)
    title = models.CharField(_("Titel"), max_length=500)
    title_is_exact = models.BooleanField(
        _("amtlicher Titel"),
        default=True,
        help_text=_("Aus, wenn nur eine Umschreibung des Themas bekannt ist."),
    )
    text_html = models.TextField(_("Beschlusstext"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ResolutionStatus.choices,
        default=ResolutionStatus.ADOPTED,
    )
    decided_on = models.DateField(_("Datum"), null=True, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.DRAFT
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="+")
    initiating_states = models.ManyToManyField(
        State, verbose_name=_("initiierende Länder"), blank=True, related_name="+"
    )
    initiating_note = models.CharField(_("Initiative (Freitext)"), max_length=200, blank=True)
    vote_table_known = models.BooleanField(_("Abstimmungsergebnis je Land bekannt"), default=False)
    unanimous = models.BooleanField(_("einstimmig"), null=True, blank=True)
    notes = models.TextField(_("Anmerkungen"), blank=True)
    source_url = models.URLField(_("Quelle"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    # --- adopted on the platform (issue 6 item 6) ---
    ballot = models.OneToOneField(
        "voting.Ballot",
        verbose_name=_("Abstimmung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolution",
    )
    number_year = models.PositiveSmallIntegerField(_("Jahr der Nummer"), null=True, blank=True)
    number_seq = models.PositiveSmallIntegerField(
        _("laufende Nummer im Jahr"), null=True, blank=True
    )
    released_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("ersetzt durch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    # Wagtail search (issue 7 item 5); readers always filter through dmk.access.visible.
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("number"),
        index.SearchField("text_html"),
        index.AutocompleteField("title"),
        index.FilterField("visibility"),
        index.FilterField("body_id"),  # dmk.access.policy.visible decides per body (issue 11)
    ]

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = [models.F("decided_on").desc(nulls_last=True), "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"], condition=~Q(number=""), name="resolution_unique_number"
            ),
            models.UniqueConstraint(
                fields=["body", "number_year", "number_seq"],
                condition=Q(number_seq__isnull=False),
                name="resolution_unique_year_seq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return slug_url("website:resolution_detail", self.slug)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


#: Statuses in which a follow-up still waits for work (and can be overdue).
PENDING_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class FollowUp(models.Model):
    """An Auftrag of a resolution (DOMAIN glossary "Auftrag / Handlungsbedarf", code
    ``FollowUp``; issue 6 item 6 "follow-ups (owner body or Land, due date, status)"); the
    portal calls the list of them "Nachverfolgung".

    The owner is exactly one of ``organization`` (a working body, e.g. an Arbeitsgruppe) or
    ``state`` (a Land) — a database constraint enforces it, and :meth:`clean` says so in
    German for back-office forms. There is no third, implicit owner: work for the
    Geschäftsstelle itself is given to an organisation of kind "Geschäftsstelle".
    ``due_date`` and ``done_on`` are Europe/Berlin calendar dates; the due date is never
    before the resolution's date. Writes go through ``dmk.resolutions.services``
    (``followup_create``, ``followup_update_status``).
    """

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("Beschluss"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    task = models.TextField(_("Auftrag"), help_text=_("Was ist zu tun? (reiner Text)"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("zuständiges Gremium"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    state = models.ForeignKey(
        State,
        verbose_name=_("zuständiges Land"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("fällig am"))
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
    )
    progress_note = models.TextField(_("Sachstand"), blank=True)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Auftrag")
        verbose_name_plural = _("Aufträge")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, state__isnull=True)
                    | Q(organization__isnull=True, state__isnull=False)
                ),
                name="followup_exactly_one_owner",
                violation_error_message=_(
                    "Ein Auftrag hat genau eine zuständige Stelle: ein Gremium oder ein Land."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number or self.resolution.title}: {self.task[:60]}"

    @property
    def owner(self) -> Organization | State | None:
        """The responsible working body or Land."""
        return self.organization or self.state

    def is_overdue(self, today: datetime.date) -> bool:
        """True when the follow-up is still open or in progress and ``today`` (a
        Europe/Berlin date) is after its due date; due today is not yet overdue."""
        return self.status in PENDING_STATUSES and self.due_date < today

    def clean(self) -> None:
        """German form errors for the owner rule (exactly one of Gremium and Land), a due
        date before the resolution's date (issue 6 item 6), and — for the back-office form,
        which saves without ``followup_update_status`` — the status rules of that service:
        "entfallen" needs a reason in the note, "erledigt" a done date not before the
        resolution's date, every other status none."""
        errors: dict[str, str] = {}
        if (self.organization_id is None) == (self.state_id is None):
            errors["organization"] = _(
                "Bitte wählen Sie genau eine zuständige Stelle: ein Gremium oder ein Land."
            )
        decided_on = self.resolution.decided_on if self.resolution_id else None
        if self.due_date and decided_on and self.due_date < decided_on:
            errors["due_date"] = _(
                "Das Fälligkeitsdatum darf nicht vor dem Datum des Beschlusses (%(date)s) liegen."
            ) % {"date": decided_on.strftime("%d.%m.%Y")}
        if self.status == FollowUpStatus.DROPPED and not (self.progress_note or "").strip():
            errors["progress_note"] = _(
                "Bitte begründen Sie im Sachstand, warum der Auftrag entfällt."
            )
        if self.status == FollowUpStatus.DONE and self.done_on is None:
            errors["done_on"] = _("Bitte geben Sie an, wann der Auftrag erledigt wurde.")
        elif self.status != FollowUpStatus.DONE and self.done_on is not None:
            errors["done_on"] = _("Ein Erledigungsdatum haben nur erledigte Aufträge.")
        elif self.done_on and decided_on and self.done_on < decided_on:
            errors["done_on"] = _(
                "Das Erledigungsdatum darf nicht vor dem Datum des Beschlusses (%(date)s) liegen."
            ) % {"date": decided_on.strftime("%d.%m.%Y")}
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: set[str] | None = None) -> None:
        """The owner constraint is reported by :meth:`clean` with a field message; leave it
        out here so a form does not show the same fault twice (the database still checks
        it)."""
        super().validate_constraints(exclude={*(exclude or ()), "organization", "state"})
