"""Wagtail page types of the public website."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from dmk.bodies.selectors import chair_period_with_names
from dmk.meetings.selectors import meeting_list
from dmk.resolutions.selectors import resolution_list
from dmk.website.pagination import paginate

RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


class HomePage(Page):
    """Start page: current chair and Leitthema, next session, latest resolutions."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["current_period"], context["current_chairs"] = chair_period_with_names(today)
        # the page shows name, date and place of the meeting, title and meeting name of the
        # resolutions, title and date of the releases: nothing more is loaded (issue 17
        # item 1: fewer queries and columns per page)
        meetings = meeting_list(user=request.user).select_related(None).prefetch_related(None)
        context["next_meeting"] = (
            meetings.filter(models.Q(start_date__gte=today) | models.Q(start_date__isnull=True))
            .order_by(models.F("start_date").asc(nulls_last=True))
            .only("slug", "name", "start_date", "end_date", "place")
            .first()
        )
        context["latest_resolutions"] = (
            resolution_list(user=request.user)
            .select_related(None)
            .select_related("meeting")
            .prefetch_related(None)
            .only("slug", "title", "meeting__name")[:5]
        )
        context["latest_news"] = (
            PressReleasePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .order_by("-date", "-pk")
            .only("title", "url_path", "date")[:3]
        )
        return context


# --- Content blocks -------------------------------------------------------------------------


class ImageBlock(blocks.StructBlock):
    """An image with a required alternative text (WCAG 1.1.1) and an optional caption."""

    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen (Pflichtfeld)."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "website/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Linktext"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "website/blocks/document.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    source = blocks.CharBlock(label=_("Quelle"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "website/blocks/quote.html"


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    body = blocks.RichTextBlock(label=_("Inhalt"), features=RICH_FEATURES)


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Einträge"))

    class Meta:
        icon = "list-ul"
        template = "website/blocks/accordion.html"


class SignLanguageVideoBlock(blocks.StructBlock):
    """A video in German Sign Language with captions and a download (BITV 2.0 §4).

    Without a video file the page says "Video folgt" and still offers the captions file
    (``static/website/gebaerdensprache.de.vtt``) and the transcript — no fake video.
    """

    video = DocumentChooserBlock(label=_("Videodatei (MP4/WebM)"), required=False)
    captions = DocumentChooserBlock(label=_("Untertitel (WebVTT)"), required=False)
    transcript = blocks.RichTextBlock(label=_("Abschrift"), features=RICH_FEATURES)

    class Meta:
        icon = "media"
        template = "website/blocks/sign_language_video.html"


BODY_BLOCKS = [
    ("text", blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)),
    ("image", ImageBlock(label=_("Bild"))),
    ("document", DocumentBlock(label=_("Dokument"))),
    ("quote", QuoteBlock(label=_("Zitat"))),
    ("accordion", AccordionBlock(label=_("Akkordeon"))),
    ("sign_language_video", SignLanguageVideoBlock(label=_("Gebärdensprachvideo"))),
]


# --- Page types -----------------------------------------------------------------------------


class ListedPageMixin:
    """A page that an index lists with a short description under its title."""

    search_description: str
    intro: str

    @property
    def short_description(self) -> str:
        """The search description, else the introduction (may be empty)."""
        return self.search_description or self.intro


class StandardPage(ListedPageMixin, Page):
    """A content page: Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache …"""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BODY_BLOCKS, verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("Standardseite")
        verbose_name_plural = _("Standardseiten")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Adds ``subpages``: the live, public child pages in tree order (e.g. the topic
        pages under ``/themen/``), each listed with title, short description and link."""
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific()
        return context


class NewsIndexPage(Page):
    """The list of press releases, newest first."""

    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["website.PressReleasePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Nachrichtenübersicht")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["releases"] = paginate(
            request,
            PressReleasePage.objects.child_of(self).live().public().order_by("-date", "-pk"),
        )
        return context


class PressReleasePage(Page):
    """A press release with its date (Europe/Berlin calendar date) and teaser."""

    date = models.DateField(_("Datum"))
    teaser = models.TextField(_("Anreißer"), max_length=500)
    body = StreamField(BODY_BLOCKS, verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]
    parent_page_types = ["website.NewsIndexPage"]

    class Meta:
        verbose_name = _("Pressemitteilung")
        verbose_name_plural = _("Pressemitteilungen")


class TopicPage(ListedPageMixin, Page):
    """A theme of seed §1.3 with its public resolutions (via ``resolution_list``)."""

    topic = models.ForeignKey(
        "bodies.Topic", verbose_name=_("Thema"), on_delete=models.PROTECT, related_name="+"
    )
    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BODY_BLOCKS, verbose_name=_("Inhalt"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("topic"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("Themenseite")
        verbose_name_plural = _("Themenseiten")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["resolutions"] = resolution_list(user=request.user).filter(topics=self.topic_id)
        return context


class ContactMessage(models.Model):
    """A message sent through the contact form, kept for the Geschäftsstelle."""

    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"))
    subject = models.CharField(_("Betreff"), max_length=200)
    message = models.TextField(_("Nachricht"), max_length=5000)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created = models.DateTimeField(_("eingegangen"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontaktanfrage")
        verbose_name_plural = _("Kontaktanfragen")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.name})"


class ContactPage(Page):
    """The contact form (issue 7 item 1): stored for the Geschäftsstelle, with a honeypot
    and a rate limit per IP address (no third-party captcha). ``?betreff=barrierefreiheit``
    presets the subject for feedback on accessibility (BITV 2.0 §7)."""

    intro = models.TextField(_("Einleitung"), blank=True)
    thank_you = models.TextField(_("Dankestext"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("thank_you")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Kontaktseite")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from dmk.website import contact

        return contact.serve_contact_page(self, request)
