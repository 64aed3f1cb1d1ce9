"""Writes of the functional mailbox (issue 15): filing incoming mail, conversations, notes,
replies and the deletion job. Keyword-only, ``@transaction.atomic``, audited
(``dmk.core.audit``); mail goes out by ``dmk.mailbox.tasks.send_message_task`` once the
transaction commits. Permission checks live in ``dmk.access.policy`` (mailbox section); the
views ask there before calling these services.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.bodies.models import Body, State
from dmk.core.audit import log_action
from dmk.mailbox import parsing
from dmk.mailbox.models import (
    Attachment,
    Conversation,
    ConversationState,
    Mailbox,
    Message,
    MessageKind,
    SendStatus,
    Tag,
    TextModule,
)
from dmk.meetings.models import Meeting
from dmk.papers.files import CheckedFile, check_upload, store_atomically
from dmk.papers.models import Paper

#: Where attachments are stored (``default_storage``), below MEDIA_ROOT.
ATTACHMENT_DIR = "postfach"


def mailbox_for_body(body: Body) -> Mailbox:
    """The mailbox of ``body``, created on first use with ``settings.DMK_FUNCTIONAL_MAILBOX``
    as its address."""
    mailbox, _made = Mailbox.objects.get_or_create(
        body=body,
        defaults={
            "address": settings.DMK_FUNCTIONAL_MAILBOX,
            "display_name": f"Geschäftsstelle {body.name}",
            "signature": f"Geschäftsstelle der {body.name}\n{settings.DMK_FUNCTIONAL_MAILBOX}",
        },
    )
    return mailbox


def default_mailbox() -> Mailbox:
    """The mailbox of the platform's body (``settings.DMK_BODY_SHORT_NAME``), created on
    first use. Raises ``Body.DoesNotExist`` when that body is not in the database."""
    return mailbox_for_body(Body.objects.get(short_name=settings.DMK_BODY_SHORT_NAME))


def _next_number(mailbox: Mailbox) -> str:
    """The next ticket number of ``mailbox`` ("2026-0042": Europe/Berlin year, a sequence per
    year, at least four digits). Locks the mailbox row until the transaction ends."""
    locked = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    year = timezone.localdate().year
    if locked.ticket_year != year:
        locked.ticket_year, locked.ticket_seq = year, 0
    locked.ticket_seq += 1
    Mailbox.objects.filter(pk=locked.pk).update(
        ticket_year=locked.ticket_year, ticket_seq=locked.ticket_seq
    )
    return f"{year}-{locked.ticket_seq:04d}"


def _open_conversation(
    mailbox: Mailbox, *, subject: str, name: str, address: str, at: datetime.datetime
) -> Conversation:
    return Conversation.objects.create(
        mailbox=mailbox,
        number=_next_number(mailbox),
        subject=subject[:500],
        contact_name=name[:200],
        contact_email=address[:320],
        last_message_at=at,
    )


def _megabytes(size: int) -> str:
    """``size`` bytes in MB for a German text: "25", "0,5", "31,4"."""
    value = round(size / (1024 * 1024), 1)
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return text if value > 0 else "0,1"


def _find_conversation(mailbox: Mailbox, parsed: parsing.ParsedMail) -> Conversation | None:
    """The conversation ``parsed`` answers: by ``In-Reply-To``/``References`` (RFC 5322
    §3.6.4), else by the ticket number in the subject (issue 15 item 2)."""
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        found = (
            Message.objects.filter(mailbox=mailbox, message_id__in=ids)
            .select_related("conversation")
            .order_by("-pk")
            .first()
        )
        if found is not None:
            return found.conversation
    number = parsing.ticket_in(parsed.subject, mailbox.ticket_prefix)
    if number:
        return Conversation.objects.filter(mailbox=mailbox, number=number).first()
    return None


def _keep_attachments(message: Message, parsed: parsing.ParsedMail) -> None:
    """Store each attachment through the checks of papers (``check_upload``); a refused one
    is recorded with its reason (the raw mail still holds it)."""
    for part in parsed.attachments:
        row = Attachment(
            message=message,
            filename=part.filename,
            content_type=part.content_type[:200],
            size=len(part.data),
            sha256=hashlib.sha256(part.data).hexdigest(),
        )
        try:
            checked = check_upload(part.filename, io.BytesIO(part.data), size=len(part.data))
        except ValidationError as exc:
            row.refused = " ".join(exc.messages)[:300]
        else:
            row.file = store_atomically(checked, directory=ATTACHMENT_DIR)
            row.content_type = checked.content_type
        row.save()


def _reopen(conversation: Conversation, at: datetime.datetime) -> None:
    """A new mail in a closed or waiting conversation puts it back on the desk."""
    changes: dict[str, Any] = {"last_message_at": max(conversation.last_message_at, at)}
    if conversation.state in (ConversationState.DONE, ConversationState.WAITING):
        changes.update(state=ConversationState.NEW, closed_at=None)
    Conversation.objects.filter(pk=conversation.pk).update(**changes)
    for name, value in changes.items():
        setattr(conversation, name, value)


def _existing(mailbox: Mailbox, sha256: str, message_id: str) -> Message | None:
    query = Q(sha256=sha256)
    if message_id:
        query |= Q(message_id=message_id, kind=MessageKind.INCOMING)
    return Message.objects.filter(query, mailbox=mailbox).order_by("pk").first()


@dataclass(frozen=True)
class Received:
    """What :func:`message_receive` did: the message and whether it was new."""

    message: Message
    created: bool


def message_receive(
    *, mailbox: Mailbox, raw: bytes, imap_uid: int | None = None, size: int | None = None
) -> Received:
    """File one incoming mail (issue 15 items 1 and 2) and return what was done.

    ``raw`` is the whole mail (RFC 5322 bytes) or, when ``size`` (bytes, as the server
    reported it) is over ``settings.DMK_MAILBOX_MAX_BYTES``, only its header: then the mail
    is stored as a notice and the sender gets a polite German reply. Idempotent: a mail whose
    SHA-256 or Message-ID is already stored is not stored again (``created=False``), so a
    crash between filing and flagging on the server never duplicates one. Never raises for
    malformed mail: it is stored raw with a notice. A new conversation gets an automatic
    acknowledgement when the mailbox says so — never for auto-replies, bounces or list mail
    (RFC 3834). Audited as ``mailbox.message.received``.
    """
    oversized = size is not None and size > settings.DMK_MAILBOX_MAX_BYTES
    digest = hashlib.sha256(raw if not oversized else b"oversized:%d:" % size + raw).hexdigest()
    parsed = parsing.headers_only(raw) if oversized else parsing.parse(raw)
    existing = _existing(mailbox, digest, parsed.message_id)
    if existing is not None:
        return Received(existing, False)
    try:
        with transaction.atomic():
            return _store(mailbox, raw, parsed, digest, imap_uid, size, oversized)
    except IntegrityError:
        # a second worker filed the same mail at the same moment: that row wins
        existing = _existing(mailbox, digest, parsed.message_id)
        if existing is None:
            raise
        return Received(existing, False)


def _store(
    mailbox: Mailbox,
    raw: bytes,
    parsed: parsing.ParsedMail,
    digest: str,
    imap_uid: int | None,
    size: int | None,
    oversized: bool,
) -> Received:
    now = timezone.now()
    at = parsed.date or now
    conversation = _find_conversation(mailbox, parsed)
    new_conversation = conversation is None
    subject = parsed.subject or _("(ohne Betreff)")
    if conversation is None:
        conversation = _open_conversation(
            mailbox, subject=subject, name=parsed.from_name, address=parsed.from_address, at=at
        )
    else:
        _reopen(conversation, at)
    notice = parsed.notice
    if oversized:
        limit = _megabytes(settings.DMK_MAILBOX_MAX_BYTES)
        notice = _(
            "Die Nachricht ist %(size)s MB groß und überschreitet die Grenze von %(limit)s MB. "
            "Sie wurde nicht übernommen; die Absenderin oder der Absender wurde gebeten, sie "
            "kleiner erneut zu senden."
        ) % {"size": _megabytes(size or 0), "limit": limit}
    message = Message.objects.create(
        mailbox=mailbox,
        conversation=conversation,
        kind=MessageKind.INCOMING,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references),
        sha256=digest,
        raw=raw,
        size=size if size is not None else len(raw),
        imap_uid=imap_uid,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        to=parsed.to,
        cc=parsed.cc,
        subject=subject,
        date=at,
        text=parsed.text,
        html=parsed.html,
        notice=notice,
        is_automatic=parsed.is_automatic,
    )
    if parsed.ok and not oversized:
        _keep_attachments(message, parsed)
    log_action(
        "mailbox.message.received",
        obj=message,
        data={
            "conversation": conversation.number,
            "new_conversation": new_conversation,
            "oversized": oversized,
            "readable": parsed.ok,
        },
    )
    if parsed.from_address and not parsed.is_automatic:
        if oversized:
            _automatic_reply(conversation, message, kind="oversized")
        elif new_conversation and mailbox.send_acknowledgement:
            _automatic_reply(conversation, message, kind="acknowledgement")
    return Received(message, True)


def _automatic_reply(conversation: Conversation, answered: Message, *, kind: str) -> Message:
    """Queue the acknowledgement or the polite refusal of an oversized mail (German, with
    the ticket number and ``Auto-Submitted: auto-replied``, RFC 3834 §5)."""
    name = answered.from_name or _("Damen und Herren")
    greeting = (
        _("Guten Tag %(name)s,") % {"name": answered.from_name}
        if answered.from_name
        else _("Sehr geehrte %(name)s,") % {"name": name}
    )
    if kind == "oversized":
        limit = _megabytes(settings.DMK_MAILBOX_MAX_BYTES)
        text = _(
            "vielen Dank für Ihre Nachricht. Leider ist sie größer als %(limit)s MB und konnte "
            "deshalb nicht angenommen werden. Bitte senden Sie sie erneut mit kleineren "
            "Anhängen oder teilen Sie große Dateien über einen Download-Link."
        ) % {"limit": limit}
        subject = _("Ihre Nachricht ist zu groß: %(subject)s") % {"subject": answered.subject}
    else:
        text = _(
            "vielen Dank für Ihre Nachricht. Sie ist unter der Vorgangsnummer %(ticket)s "
            "eingegangen; wir melden uns so bald wie möglich. Bitte lassen Sie die Nummer im "
            "Betreff stehen, wenn Sie antworten."
        ) % {"ticket": conversation.ticket}
        subject = _("Eingangsbestätigung: %(subject)s") % {"subject": answered.subject}
    body = f"{greeting}\n\n{text}\n\n{_('Mit freundlichen Grüßen')}"
    return _queue_outgoing(
        conversation, answered=answered, subject=subject, text=body, author=None, automatic=True
    )


def outgoing_subject(conversation: Conversation, subject: str) -> str:
    """``subject`` on one line, with the conversation's ticket number exactly once."""
    one_line = " ".join(subject.split())
    one_line = parsing.TICKET_RE.sub("", one_line).strip()
    return f"{one_line} {conversation.ticket}".strip()[:500]


def _queue_outgoing(
    conversation: Conversation,
    *,
    answered: Message | None,
    subject: str,
    text: str,
    author: Any,
    automatic: bool = False,
    to: str | None = None,
) -> Message:
    mailbox = conversation.mailbox
    domain = mailbox.address.rsplit("@", 1)[-1] or "dmk.example"
    references: list[str] = []
    in_reply_to = ""
    if answered is not None and answered.message_id:
        references = [*answered.references.split(), answered.message_id][-20:]
        in_reply_to = answered.message_id
    signature = mailbox.signature.strip()
    if signature:
        text = f"{text.rstrip()}\n\n-- \n{signature}"
    now = timezone.now()
    message = Message.objects.create(
        mailbox=mailbox,
        conversation=conversation,
        kind=MessageKind.OUTGOING,
        message_id=email.utils.make_msgid(domain=domain),
        in_reply_to=in_reply_to,
        references=" ".join(references),
        from_address=mailbox.address,
        from_name=mailbox.display_name,
        to=to if to is not None else conversation.contact_email,
        subject=outgoing_subject(conversation, subject),
        date=now,
        text=text,
        is_automatic=automatic,
        author=author if getattr(author, "is_authenticated", False) else None,
        send_status=SendStatus.PENDING,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    from dmk.mailbox.tasks import send_message_task

    transaction.on_commit(lambda: send_message_task.enqueue(message.pk))
    return message


@transaction.atomic
def conversation_from_contact_form(
    *, body: Body, name: str, email_address: str, subject: str, text: str, reference: str
) -> Conversation:
    """Open a conversation for a message of the public contact form (issue 15 item 2) in
    ``body``'s mailbox; ``reference`` names the form message (the ``website.ContactMessage``
    pk), stored as the Message-ID ``<kontakt-<reference>@…>``, so that the same form message
    never opens two conversations.
    No acknowledgement mail: the website showed its thank-you page. Audited as
    ``mailbox.conversation.from_contact_form``."""
    mailbox = mailbox_for_body(body)
    domain = mailbox.address.rsplit("@", 1)[-1] or "dmk.example"
    message_id = f"<kontakt-{reference}@{domain}>"
    existing = Message.objects.filter(mailbox=mailbox, message_id=message_id).first()
    if existing is not None:
        return existing.conversation
    now = timezone.now()
    conversation = _open_conversation(
        mailbox, subject=subject, name=name, address=email_address, at=now
    )
    message = Message.objects.create(
        mailbox=mailbox,
        conversation=conversation,
        kind=MessageKind.INCOMING,
        message_id=message_id,
        from_address=email_address[:320],
        from_name=name[:200],
        to=mailbox.address,
        subject=subject[:500],
        date=now,
        text=text,
        notice=_("Über das Kontaktformular der Website eingegangen."),
    )
    log_action(
        "mailbox.conversation.from_contact_form",
        obj=conversation,
        data={"number": conversation.number, "message": message.pk},
    )
    return conversation


@transaction.atomic
def conversation_update(
    *,
    conversation: Conversation,
    actor: Any,
    state: str,
    assignee: Any | None,
    meeting: Meeting | None,
    paper: Paper | None,
    land: State | None,
    tags: list[str],
) -> list[str]:
    """Set state, assignee, links and tags of ``conversation`` (issue 15 item 2); returns the
    names of the fields that changed. ``assignee`` must be a current Geschäftsstelle member of
    the mailbox's body (``ValidationError`` otherwise); ``tags`` are names (created in the
    mailbox as needed, at most 50 characters each). Closing sets ``closed_at`` (the start of
    the retention period, item 4); reopening clears it. Audited as
    ``mailbox.conversation.updated``."""
    from dmk.access.policy import can_be_assigned_conversations

    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if state not in ConversationState.values:
        raise ValidationError(_("Diesen Status gibt es nicht."))
    if assignee is not None and not can_be_assigned_conversations(assignee, locked.mailbox):
        raise ValidationError(
            _("Zuständig kann nur ein Mitglied der Geschäftsstelle dieser Konferenz sein.")
        )
    changed = []
    for name, value in (
        ("state", state),
        ("assignee", assignee),
        ("meeting", meeting),
        ("paper", paper),
        ("land", land),
    ):
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    if "state" in changed:
        locked.closed_at = timezone.now() if state == ConversationState.DONE else None
        changed.append("closed_at")
    if changed:
        locked.save(update_fields=changed)
    names = sorted({" ".join(t.split())[:50] for t in tags if t.strip()})
    before = sorted(locked.tags.values_list("name", flat=True))
    if names != before:
        wanted = [Tag.objects.get_or_create(mailbox=locked.mailbox, name=n)[0] for n in names]
        locked.tags.set(wanted)
        changed.append("tags")
    if changed:
        log_action(
            "mailbox.conversation.updated",
            actor=actor,
            obj=locked,
            data={"fields": changed, "state": locked.state},
        )
    conversation.refresh_from_db()
    return changed


@transaction.atomic
def note_add(*, conversation: Conversation, actor: Any, text: str) -> Message:
    """An internal note on ``conversation`` (never sent; issue 15 item 2). Raises
    ``ValidationError`` for an empty text. Audited as ``mailbox.note.added``."""
    if not text.strip():
        raise ValidationError(_("Bitte schreiben Sie eine Notiz."))
    note = Message.objects.create(
        mailbox=conversation.mailbox,
        conversation=conversation,
        kind=MessageKind.NOTE,
        subject="",
        date=timezone.now(),
        text=text,
        author=actor,
    )
    log_action("mailbox.note.added", actor=actor, obj=note, data={"conversation": conversation.pk})
    return note


_PLACEHOLDER_RE = re.compile(r"\{(name|vorgang|betreff|bearbeitung)\}")


def text_module_render(*, module: TextModule, conversation: Conversation, actor: Any) -> str:
    """The text of ``module`` with its placeholders filled for ``conversation``: ``{name}``
    (contact name, or "Damen und Herren"), ``{vorgang}`` (ticket number), ``{betreff}``,
    ``{bearbeitung}`` (the actor's name). Other braces stay as they are (the text is data,
    never a format string)."""
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = actor.get_full_name() or actor.email
    values = {
        "name": conversation.contact_name or _("Damen und Herren"),
        "vorgang": conversation.ticket,
        "betreff": conversation.subject,
        "bearbeitung": actor_name,
    }
    return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], module.text)


@transaction.atomic
def reply_send(
    *,
    conversation: Conversation,
    actor: Any,
    text: str,
    files: list[tuple[str, CheckedFile]] | None = None,
    attachment_ids: list[int] | None = None,
) -> Message:
    """Queue a reply to the conversation's correspondent from the mailbox's address (issue 15
    item 3): subject with the ticket number, ``In-Reply-To``/``References`` of the latest
    incoming mail (RFC 5322 §3.6.4), the body's signature, uploaded ``files`` (pairs of
    file name and file checked by ``dmk.papers.files.check_upload``) and attachments of
    this conversation (``attachment_ids``). Sent by ``send_message_task`` after commit;
    the message shows "wird gesendet" until then. Raises ``ValidationError`` for an empty
    text, a conversation without an address, or an attachment of another conversation.
    Moves a new conversation to "in Bearbeitung". Audited as ``mailbox.reply.queued``."""
    if not text.strip():
        raise ValidationError(_("Bitte schreiben Sie eine Antwort."))
    locked = (
        Conversation.objects.select_for_update()
        .select_related("mailbox__body")
        .get(pk=conversation.pk)
    )
    if not locked.contact_email:
        raise ValidationError(_("Für diesen Vorgang ist keine E-Mail-Adresse bekannt."))
    reused: list[Attachment] = []
    if attachment_ids:
        reused = list(
            Attachment.objects.filter(
                pk__in=attachment_ids, message__conversation=locked, refused=""
            ).exclude(file="")
        )
        if len(reused) != len(set(attachment_ids)):
            raise ValidationError(_("Ein gewählter Anhang gehört nicht zu diesem Vorgang."))
    answered = locked.messages.filter(kind=MessageKind.INCOMING).order_by("-date", "-pk").first()
    subject = "Re: " + (answered.subject if answered else locked.subject)
    if subject.lower().startswith("re: re:"):
        subject = subject[4:]
    message = _queue_outgoing(locked, answered=answered, subject=subject, text=text, author=actor)
    for filename, checked in files or []:
        name = store_atomically(checked, directory=ATTACHMENT_DIR)
        Attachment.objects.create(
            message=message,
            filename=filename[:255] or f"anhang.{checked.extension}",
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=checked.sha256,
            file=name,
        )
    for attachment in reused:
        Attachment.objects.create(
            message=message,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            file=attachment.file,
        )
    if locked.state == ConversationState.NEW:
        Conversation.objects.filter(pk=locked.pk).update(state=ConversationState.IN_PROGRESS)
    log_action(
        "mailbox.reply.queued",
        actor=actor,
        obj=message,
        data={"conversation": locked.number, "attachments": len(files or []) + len(reused)},
    )
    return message


def _delete_files(names: set[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


@transaction.atomic
def conversations_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every conversation closed longer ago than its mailbox's ``retention_days``
    (issue 15 item 4; default two years), with its messages and attachment files. Returns
    the number of conversations deleted. Audited once per run as
    ``mailbox.conversations.purged`` (numbers only, no content)."""
    now = now or timezone.now()
    expired: list[Conversation] = []
    for mailbox in Mailbox.objects.all():
        cutoff = now - datetime.timedelta(days=mailbox.retention_days)
        expired.extend(
            mailbox.conversations.select_for_update().filter(
                state=ConversationState.DONE, closed_at__lt=cutoff
            )
        )
    if not expired:
        return 0
    ids = [c.pk for c in expired]
    files = set(
        Attachment.objects.filter(message__conversation_id__in=ids).values_list("file", flat=True)
    )
    still_used = set(
        Attachment.objects.filter(file__in=files)
        .exclude(message__conversation_id__in=ids)
        .values_list("file", flat=True)
    )
    Conversation.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lambda: _delete_files(files - still_used))
    log_action(
        "mailbox.conversations.purged",
        data={"numbers": sorted(c.number for c in expired)},
    )
    return len(expired)
