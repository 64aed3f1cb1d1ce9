"""Papers (Vorlagen: Beschlussvorschlag, Bericht, Konzeptpapier) and where they are consulted
(OParl 1.1 ``Paper``, ``Consultation``)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Body, State, Topic
from dmk.core.enums import Visibility
from dmk.core.models import Timestamped
from dmk.meetings.models import AgendaItem, Meeting


class PaperType(models.TextChoices):
    PROPOSAL = "proposal", _("Beschlussvorschlag")
    REPORT = "report", _("Bericht")
    CONCEPT = "concept", _("Konzeptpapier")
    OTHER = "other", _("Sonstige Vorlage")


class Paper(Timestamped):
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
    submission_token = models.UUIDField(
        _("Formular-Kennung"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_(
            "Einmal-Kennung des Formulars, mit dem der Entwurf angelegt wurde; ein zweites "
            "Absenden desselben Formulars legt keinen zweiten Entwurf an."
        ),
    )

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("website:paper_detail", kwargs={"slug": self.slug})


class Consultation(Timestamped):
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
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    is_tischvorlage = models.BooleanField(
        _("Tischvorlage"),
        default=False,
        help_text=_("Nach der Vorlagenfrist eingereicht."),
    )
    chair_consent_at = models.DateTimeField(_("Zustimmung des Vorsitzes am"), null=True, blank=True)
    chair_refused_at = models.DateTimeField(
        _("Zustimmung des Vorsitzes verweigert am"), null=True, blank=True
    )

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


class SponsorStatus(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    ACCEPTED = "accepted", _("zugestimmt")
    DECLINED = "declined", _("abgelehnt")


class PaperSponsor(models.Model):
    """A Land invited to co-sponsor a paper (Mitantragsteller) and its answer."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sponsors")
    state = models.ForeignKey(
        State, verbose_name=_("Land"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=SponsorStatus.choices, default=SponsorStatus.INVITED
    )
    invited_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    answered_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitantragstellung")
        verbose_name_plural = _("Mitantragstellungen")
        ordering = ["paper", "state__name_de"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "state"], name="papersponsor_one_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.paper}: {self.state}"


class PaperFile(models.Model):
    """One stored version of a file of a paper (OParl ``File``). Versions are kept; the
    highest ``version`` per ``(paper, original_name)`` is current. Downloaded only through
    ``dmk.portal`` after ``dmk.access.policy.can_view`` on the paper (DOMAIN rule 11)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField(_("Version"))
    original_name = models.CharField(_("Dateiname"), max_length=255)
    file = models.FileField(_("Datei"), max_length=300)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: OParl 1.1 ``File.sha512Checksum`` (issue 16 item 3); empty only for a stored file that
    #: was missing when the column was added.
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True, default="")
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")
        ordering = ["paper", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "version"], name="paperfile_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"
