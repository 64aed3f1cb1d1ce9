"""Resolutions (Beschlüsse): the archive of what the conference decided (seed §2.4)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from dmk.bodies.models import Body, State, Topic
from dmk.core.enums import Visibility
from dmk.meetings.models import AgendaItem, Meeting
from dmk.papers.models import Paper


class ResolutionStatus(models.TextChoices):
    ADOPTED = "adopted", _("gefasst")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    REPLACED = "replaced", _("ersetzt")


class Resolution(index.Indexed, models.Model):
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
        return reverse("website:resolution_detail", kwargs={"slug": self.slug})
