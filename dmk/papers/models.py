"""Papers (Vorlagen: Beschlussvorschlag, Bericht, Konzeptpapier) and where they are consulted
(OParl 1.1 ``Paper``, ``Consultation``)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Body, State, Topic
from dmk.core.enums import Visibility
from dmk.meetings.models import AgendaItem, Meeting


class PaperType(models.TextChoices):
    PROPOSAL = "proposal", _("Beschlussvorschlag")
    REPORT = "report", _("Bericht")
    CONCEPT = "concept", _("Konzeptpapier")
    OTHER = "other", _("Sonstige Vorlage")


class Paper(models.Model):
    """A Vorlage. ``visibility`` decides who sees it (DOMAIN rule 11); a draft is visible only
    to ``author_state`` and the Geschäftsstelle. ``text_source`` keeps the text as received
    (Markdown), ``text_html`` the sanitised HTML rendering shown to readers."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="papers")
    reference = models.CharField(_("Aktenzeichen"), max_length=50, blank=True)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    title = models.CharField(_("Titel"), max_length=500)
    paper_type = models.CharField(_("Art"), max_length=20, choices=PaperType.choices)
    date = models.DateField(_("Datum"), null=True, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.DRAFT
    )
    author_state = models.ForeignKey(
        State,
        verbose_name=_("einreichendes Land"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_papers",
    )
    originator_note = models.CharField(_("Urheber (Freitext)"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="+")
    text_source = models.TextField(_("Text (Quelle, Markdown)"), blank=True)
    text_html = models.TextField(_("Text (HTML)"), blank=True)
    source_filename = models.CharField(_("Dateiname der Quelle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("website:paper_detail", kwargs={"slug": self.slug})


class Consultation(models.Model):
    """A paper's treatment at a meeting / agenda item (OParl ``Consultation``)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="consultations"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    role = models.CharField(_("Rolle"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "meeting", "agenda_item"], name="consultation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper} @ {self.meeting or self.agenda_item}"
