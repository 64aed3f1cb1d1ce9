"""Extracted file text and the one search index (issue 13 items 1–3).

``FileText`` keeps what :func:`dmk.documents.extraction.extract_text` read from one stored
file (any model: a paper file now, minutes and attachments later), keyed by the file row.

``SearchEntry`` is the search index: one row per searchable object (paper with its files'
text, resolution, meeting, agenda item, follow-up, page), written by the registry
(:mod:`dmk.documents.registry`) whenever the object or one of its files changes. The row
copies what a search needs to decide *before* matching who may see it (``visibility``,
``author_state``, ``paper``/``meeting``/``agenda_item`` for guests; DOMAIN rule 11 via
``dmk.access.policy.visible_search_entries``) and what the facets count. ``terms`` holds the
German-normalised, stemmed words (:mod:`dmk.documents.text`) and is the one field indexed by
Wagtail's search backend (PostgreSQL full text / SQLite FTS5), so every backend applies the
same word rules.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from dmk.core.enums import Visibility
from dmk.documents.extraction import ExtractionStatus


class FileText(models.Model):
    """The extracted text of one stored file (issue 13 item 1)."""

    file_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    file_id = models.PositiveBigIntegerField()
    status = models.CharField(_("Status"), max_length=20, choices=ExtractionStatus.choices)
    pages = models.JSONField(_("Text je Seite"), default=list, blank=True)
    paged = models.BooleanField(_("echte Seitenzahlen"), default=False)
    chars = models.PositiveIntegerField(_("Zeichen"), default=0)
    detail = models.CharField(_("Fehler"), max_length=300, blank=True)
    extracted_at = models.DateTimeField(_("gelesen am"), auto_now=True)

    class Meta:
        verbose_name = _("Dateitext")
        verbose_name_plural = _("Dateitexte")
        constraints = [
            models.UniqueConstraint(fields=["file_type", "file_id"], name="filetext_one_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.file_type.model} {self.file_id}: {self.status}"


class EntryKind(models.TextChoices):
    PAPER = "paper", _("Vorlage")
    RESOLUTION = "resolution", _("Beschluss")
    MEETING = "meeting", _("Sitzung")
    AGENDA_ITEM = "agenda_item", _("Tagesordnungspunkt")
    FOLLOWUP = "followup", _("Auftrag")
    PAGE = "page", _("Seite")


class SearchEntry(index.Indexed, models.Model):
    """One searchable object in the index (issue 13 item 2). Written only by
    :func:`dmk.documents.registry.index_object`; never edited by hand."""

    kind = models.CharField(_("Art"), max_length=20, choices=EntryKind.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(_("Titel"), max_length=500)
    url = models.CharField(_("Adresse im Portal"), max_length=500)
    public_url = models.CharField(_("öffentliche Adresse"), max_length=500, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, blank=True)
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices)
    author_state = models.ForeignKey(
        "bodies.State", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # SET_NULL: deleting a meeting must not drop the rows of its papers; a source's own row
    # goes with it through the post_delete receiver (dmk/documents/signals.py).
    paper = models.ForeignKey(
        "papers.Paper", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    states = models.ManyToManyField("bodies.State", blank=True, related_name="+")
    topics = models.ManyToManyField("bodies.Topic", blank=True, related_name="+")
    body_text = models.TextField(_("Text"), blank=True)
    pages = models.JSONField(_("Dateitexte"), default=list, blank=True)
    terms = models.TextField(_("Suchwörter"), blank=True)
    indexed_at = models.DateTimeField(_("indexiert am"), auto_now=True)

    search_fields = [
        index.AutocompleteField("terms"),
        # The search narrows rows by ``id__in`` (the visible set, built with the ORM) and
        # sorts by date; the backend checks that these are declared.
        index.FilterField("id"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="searchentry_one_per_object"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="searchentry_date")]

    def __str__(self) -> str:
        return self.title
