"""Background jobs of the functional mailbox (django-tasks, backend ``queue``; issue 15)."""

from __future__ import annotations

import datetime
import email.utils
import logging
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dmk.mailbox.models import Message, SendStatus

logger = logging.getLogger(__name__)

#: Attempts per run of :func:`deliver`; waits ``DMK_MAIL_RETRY_DELAY`` × 2ⁿ seconds between.
MAX_ATTEMPTS = 3
#: A message still "wird gesendet" after this long is enqueued again by
#: :func:`send_pending_messages` (its task was lost, e.g. the worker stopped).
STALE_AFTER = datetime.timedelta(minutes=10)
#: How long one worker holds a message while sending it (longer than 3 SMTP timeouts).
CLAIM_FOR = datetime.timedelta(minutes=5)


def build_email(message: Message) -> EmailMessage:
    """The mail of outgoing ``message``: from the mailbox's address and name, with its
    Message-ID, ``In-Reply-To`` and ``References`` (RFC 5322 §3.6.4), ``Auto-Submitted:
    auto-replied`` for automatic answers (RFC 3834 §5) and the stored attachments."""
    mailbox = message.mailbox
    headers = {"Message-ID": message.message_id}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    if message.is_automatic:
        headers["Auto-Submitted"] = "auto-replied"
    mail = EmailMessage(
        subject=message.subject,
        body=message.text,
        from_email=email.utils.formataddr((mailbox.display_name, mailbox.address)),
        to=[message.to],
        headers=headers,
        # a hanging server must not hold the worker (and the claim) for ever
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30),
    )
    for attachment in message.attachments.all():
        with default_storage.open(attachment.file, "rb") as handle:
            mail.attach(attachment.filename, handle.read(), attachment.content_type)
    return mail


def _claim(message_id: int) -> Message | None:
    """Lock outgoing message ``message_id`` for this worker for :data:`CLAIM_FOR` (a short
    transaction: the database is not held while talking to the SMTP server). None when it is
    gone, already sent, not outgoing, or claimed by another worker right now."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("mailbox")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.send_status in (SendStatus.SENT, SendStatus.NONE):
            return None
        if message.send_claimed_until is not None and message.send_claimed_until > now:
            return None
        message.send_claimed_until = now + CLAIM_FOR
        message.save(update_fields=["send_claimed_until"])
        return message


def deliver(message_id: int) -> str:
    """Send outgoing message ``message_id`` over SMTP once: the message is claimed first (see
    :func:`_claim`), so two workers never send it both, and a message already "gesendet" is
    left alone. Tries ``MAX_ATTEMPTS`` times on connection errors (``OSError``, which
    includes ``smtplib.SMTPException``); then the message shows "Fehler beim Senden" with the
    error and is tried again by the next :func:`send_pending_messages`. Returns the
    resulting ``send_status`` ("" when there was nothing to do)."""
    message = _claim(message_id)
    if message is None:
        return ""
    delay = getattr(settings, "DMK_MAIL_RETRY_DELAY", 2)
    mail = build_email(message)
    status, error, attempts = SendStatus.FAILED, "", 0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        attempts += 1
        try:
            mail.send(fail_silently=False)
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
            logger.warning("mailbox message %s: attempt %s failed", message_id, attempt)
            if attempt < MAX_ATTEMPTS:
                time.sleep(delay * 2 ** (attempt - 1))
            continue
        status, error = SendStatus.SENT, ""
        break
    Message.objects.filter(pk=message_id).update(
        send_status=status,
        send_error=error,
        send_attempts=message.send_attempts + attempts,
        sent_at=timezone.now() if status == SendStatus.SENT else None,
        send_claimed_until=None,
    )
    return status


@task(queue_name="default", backend="queue")
def send_message_task(message_id: int) -> str:
    """Queued sending of one outgoing mailbox message (see :func:`deliver`)."""
    return deliver(message_id)


def send_pending_messages(*, now: datetime.datetime | None = None) -> int:
    """Enqueue again every message whose sending failed or whose task got lost (still
    "wird gesendet" after :data:`STALE_AFTER`). Returns how many were enqueued."""
    now = now or timezone.now()
    ids = list(
        Message.objects.filter(send_status=SendStatus.FAILED).values_list("pk", flat=True)
    ) + list(
        Message.objects.filter(
            send_status=SendStatus.PENDING, date__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        send_message_task.enqueue(pk)
    return len(ids)


def fetch_mail() -> dict[str, int]:
    """One scheduled run: fetch and file new mail of the platform's mailbox (when IMAP is
    configured) and retry unsent replies. Returns the counts."""
    from dmk.mailbox.fetching import fetch_new_mail, imap_config
    from dmk.mailbox.services import default_mailbox

    counts = {"seen": 0, "stored": 0, "duplicates": 0, "failed": 0}
    config = imap_config()
    if config is not None:
        result = fetch_new_mail(mailbox=default_mailbox(), config=config)
        counts.update(vars(result))
    counts["resent"] = send_pending_messages()
    return counts


@task(queue_name="default", backend="queue")
def fetch_mail_task() -> dict[str, int]:
    """Queued :func:`fetch_mail` (``manage.py fetch_mail --enqueue``)."""
    return fetch_mail()


@task(queue_name="default", backend="queue")
def purge_mailbox_task() -> int:
    """Queued deletion of conversations past their retention period."""
    from dmk.mailbox.services import conversations_purge_expired

    return conversations_purge_expired()
