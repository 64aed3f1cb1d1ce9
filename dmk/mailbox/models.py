"""The functional mailbox of the Geschäftsstelle (issue 15; seed §2.4; DOMAIN glossary
``Mailbox``, ``Conversation``, ``Message``).

A :class:`Mailbox` belongs to a body, not to the chair Land (DOMAIN rule 10): a handover of
the chair moves the Geschäftsstelle memberships and with them access to the whole history.
Every incoming mail is stored once, raw, as a :class:`Message` (idempotent by ``sha256`` and
``Message-ID``); messages are grouped into :class:`Conversation` rows with a ticket number
("DMK#2026-0042"). Who may see what is decided in ``dmk.access.policy`` (mailbox section).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dmk.bodies.models import Body, State
from dmk.meetings.models import Meeting
from dmk.papers.models import Paper

#: Default retention after a conversation is closed (issue 15 item 4): two years.
DEFAULT_RETENTION_DAYS = 730


class Mailbox(models.Model):
    """The shared inbox of one body's Geschäftsstelle (seed §2.4)."""

    body = models.OneToOneField(
        Body, verbose_name=_("Konferenz"), on_delete=models.PROTECT, related_name="mailbox"
    )
    address = models.EmailField(_("Adresse des Funktionspostfachs"))
    display_name = models.CharField(_("Absendername"), max_length=200, blank=True)
    signature = models.TextField(
        _("Signatur"), blank=True, help_text=_("Wird unter jede Antwort gesetzt.")
    )
    retention_days = models.PositiveIntegerField(
        _("Aufbewahrung nach Abschluss (Tage)"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_("Erledigte Vorgänge werden so viele Tage nach dem Abschluss gelöscht."),
    )
    send_acknowledgement = models.BooleanField(
        _("Eingangsbestätigung senden"),
        default=True,
        help_text=_(
            "Neue Vorgänge erhalten eine automatische Eingangsbestätigung mit Vorgangsnummer "
            "(nie an automatische Antworten, Unzustellbarkeitsmeldungen oder Listen)."
        ),
    )
    # the ticket counter: locked row, one sequence per calendar year
    ticket_year = models.PositiveIntegerField(default=0, editable=False)
    ticket_seq = models.PositiveIntegerField(default=0, editable=False)
    # what the last fetch saw on the IMAP server (informational; the hash makes it safe)
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_last_uid = models.BigIntegerField(null=True, blank=True, editable=False)
    last_fetch_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Funktionspostfach")
        verbose_name_plural = _("Funktionspostfächer")

    def __str__(self) -> str:
        return f"{self.body.short_name}: {self.address}"

    @property
    def ticket_prefix(self) -> str:
        return self.body.short_name


class Tag(models.Model):
    """A label the Geschäftsstelle gives conversations of one mailbox."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("Schlagwort"), max_length=50)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "name"], name="mailbox_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ConversationState(models.TextChoices):
    NEW = "new", _("neu")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    WAITING = "waiting", _("wartet")
    DONE = "done", _("erledigt")


class Conversation(models.Model):
    """One matter in the mailbox with its ticket number (``number`` "2026-0042")."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="conversations")
    number = models.CharField(_("Vorgangsnummer"), max_length=20)
    subject = models.CharField(_("Betreff"), max_length=500, blank=True)
    state = models.CharField(
        _("Status"),
        max_length=20,
        choices=ConversationState.choices,
        default=ConversationState.NEW,
    )
    contact_name = models.CharField(_("Name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail-Adresse"), max_length=320, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), null=True, blank=True, on_delete=models.SET_NULL
    )
    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), null=True, blank=True, on_delete=models.SET_NULL
    )
    land = models.ForeignKey(
        State, verbose_name=_("Land"), null=True, blank=True, on_delete=models.SET_NULL
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("letzte Nachricht"), db_index=True)
    closed_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Vorgang")
        verbose_name_plural = _("Vorgänge")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "number"], name="mailbox_conversation_number_unique"
            )
        ]
        indexes = [models.Index(fields=["mailbox", "state", "-last_message_at"])]

    def __str__(self) -> str:
        return f"{self.ticket} {self.subject}"

    @property
    def ticket(self) -> str:
        """The ticket number as it stands in subjects, e.g. ``[DMK#2026-0042]``."""
        return f"[{self.mailbox.ticket_prefix}#{self.number}]"

    def retention_ends(self) -> datetime.datetime | None:
        if self.closed_at is None:
            return None
        return self.closed_at + datetime.timedelta(days=self.mailbox.retention_days)


class MessageKind(models.TextChoices):
    INCOMING = "incoming", _("eingegangen")
    OUTGOING = "outgoing", _("gesendet")
    NOTE = "note", _("interne Notiz")


class SendStatus(models.TextChoices):
    NONE = "", _("–")
    PENDING = "pending", _("wird gesendet")
    SENT = "sent", _("gesendet")
    FAILED = "failed", _("Fehler beim Senden")


class Message(models.Model):
    """One mail in or out, or an internal note, of a conversation.

    Incoming mails keep their raw bytes (``raw``, RFC 5322) so that nothing is lost, even
    when parsing failed (``notice`` says what went wrong)."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("Art"), max_length=10, choices=MessageKind.choices)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True, db_index=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    raw = models.BinaryField(_("Rohdaten"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    imap_uid = models.BigIntegerField(null=True, blank=True)
    from_address = models.CharField(_("Von"), max_length=320, blank=True)
    from_name = models.CharField(_("Name"), max_length=200, blank=True)
    to = models.TextField(_("An"), blank=True)
    cc = models.TextField(_("Kopie"), blank=True)
    subject = models.CharField(_("Betreff"), max_length=500, blank=True)
    date = models.DateTimeField(_("Datum"))
    text = models.TextField(_("Text"), blank=True)
    html = models.TextField(_("HTML (ungefiltert)"), blank=True)
    notice = models.TextField(_("Hinweis"), blank=True)
    is_automatic = models.BooleanField(_("automatische Nachricht"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    send_status = models.CharField(
        _("Versand"), max_length=10, choices=SendStatus.choices, default="", blank=True
    )
    send_error = models.TextField(_("Fehler beim Senden"), blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    #: set while a worker is sending (no second worker sends the same message meanwhile)
    send_claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "sha256"],
                condition=~models.Q(sha256=""),
                name="mailbox_message_sha256_unique",
            )
        ]

    def __str__(self) -> str:
        return self.subject or str(self.get_kind_display())


class Attachment(models.Model):
    """A file of a message. Kept only when it passes the checks of papers
    (``dmk.papers.files.check_upload``); else ``refused`` says why (the raw mail keeps it)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.CharField(max_length=300, blank=True)
    refused = models.CharField(_("nicht übernommen, weil"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class TextModule(models.Model):
    """A Textbaustein: a reusable answer with placeholders (``{name}``, ``{vorgang}``,
    ``{betreff}``, ``{bearbeitung}``), filled by ``dmk.mailbox.services.text_module_render``."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="text_modules")
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(
        _("Text"),
        help_text=_(
            "Platzhalter: {name} (Name der Absenderin oder des Absenders), {vorgang} "
            "(Vorgangsnummer), {betreff}, {bearbeitung} (Ihr Name)."
        ),
    )

    class Meta:
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "title"], name="mailbox_textmodule_unique")
        ]

    def __str__(self) -> str:
        return self.title
