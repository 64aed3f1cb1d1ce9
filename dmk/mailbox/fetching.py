"""Fetching the functional mailbox over IMAP (issue 15 item 1; RFC 3501, imapclient).

Every mail not yet filed (no ``$DMKFiled`` keyword) is fetched by UID, one at a time, and
handed to :func:`dmk.mailbox.services.message_receive`; only after that has committed is it
flagged ``$DMKFiled`` + ``\\Seen`` on the server (and moved to the done folder when one is
set). A crash in between leaves the mail unflagged: the next run fetches it again and the
service recognises it by its SHA-256 / Message-ID, so nothing is lost or stored twice.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from imapclient import IMAPClient

from dmk.mailbox.models import Mailbox
from dmk.mailbox.services import message_receive

logger = logging.getLogger(__name__)

#: The IMAP keyword (RFC 3501 §2.3.2) that marks a mail as filed in the platform.
FILED_FLAG = b"$DMKFiled"
SEEN = b"\\Seen"


@dataclass(frozen=True)
class ImapConfig:
    """Where and how to reach the mailbox; ``security`` is "ssl", "starttls" or "none"."""

    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    security: str = "ssl"
    done_folder: str = ""


@dataclass
class FetchResult:
    """Counts of one run: mails seen on the server, newly stored, already stored, failed."""

    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0


def imap_config() -> ImapConfig | None:
    """The configuration from the environment (``DMK_MAILBOX_IMAP_URL`` or the separate
    ``DMK_MAILBOX_IMAP_*`` settings), or None when no host is set. Raises
    ``ImproperlyConfigured`` for an unknown URL scheme or security value."""
    url = settings.DMK_MAILBOX_IMAP_URL
    if url:
        parts = urlsplit(url)
        schemes = {"imaps": ("ssl", 993), "imap+starttls": ("starttls", 143), "imap": ("none", 143)}
        if parts.scheme not in schemes:
            raise ImproperlyConfigured(f"DMK_MAILBOX_IMAP_URL scheme {parts.scheme!r} unknown")
        security, port = schemes[parts.scheme]
        return ImapConfig(
            host=parts.hostname or "",
            port=parts.port or port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            security=security,
            done_folder=settings.DMK_MAILBOX_IMAP_DONE_FOLDER,
        )
    if not settings.DMK_MAILBOX_IMAP_HOST:
        return None
    if settings.DMK_MAILBOX_IMAP_SECURITY not in {"ssl", "starttls", "none"}:
        raise ImproperlyConfigured("DMK_MAILBOX_IMAP_SECURITY must be ssl, starttls or none")
    return ImapConfig(
        host=settings.DMK_MAILBOX_IMAP_HOST,
        port=settings.DMK_MAILBOX_IMAP_PORT,
        user=settings.DMK_MAILBOX_IMAP_USER,
        password=settings.DMK_MAILBOX_IMAP_PASSWORD,
        folder=settings.DMK_MAILBOX_IMAP_FOLDER or "INBOX",
        security=settings.DMK_MAILBOX_IMAP_SECURITY,
        done_folder=settings.DMK_MAILBOX_IMAP_DONE_FOLDER,
    )


def connect(config: ImapConfig) -> IMAPClient:
    """A logged-in client with ``config.folder`` selected (TLS verified against the system's
    certificate store for "ssl" and "starttls")."""
    context = ssl.create_default_context()
    client = IMAPClient(
        config.host,
        port=config.port,
        ssl=config.security == "ssl",
        ssl_context=context if config.security == "ssl" else None,
        timeout=60,
    )
    try:
        if config.security == "starttls":
            client.starttls(context)
        client.login(config.user, config.password)
        if config.done_folder and not client.folder_exists(config.done_folder):
            client.create_folder(config.done_folder)
        client.select_folder(config.folder)
    except BaseException:
        client.shutdown()
        raise
    return client


def mark_filed(client: IMAPClient, uid: int, config: ImapConfig) -> None:
    """Flag ``uid`` as filed and seen; move it to the done folder when one is set."""
    client.add_flags([uid], [FILED_FLAG, SEEN])
    if config.done_folder:
        client.move([uid], config.done_folder)


def fetch_new_mail(
    *, mailbox: Mailbox, config: ImapConfig, limit: int | None = None
) -> FetchResult:
    """File every mail of ``config.folder`` not yet flagged ``$DMKFiled`` into ``mailbox``
    (at most ``limit`` mails per run). Mails over ``settings.DMK_MAILBOX_MAX_BYTES`` are
    fetched as headers only. One failing mail is logged, left unflagged and skipped; the
    others go on. Returns the counts."""
    result = FetchResult()
    client = connect(config)
    try:
        info = client.folder_status(config.folder, [b"UIDVALIDITY"])
        uids = sorted(client.search(["UNKEYWORD", FILED_FLAG.decode()]))
        if limit is not None:
            uids = uids[:limit]
        result.seen = len(uids)
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), 200):
            chunk = uids[start : start + 200]
            for uid, data in client.fetch(chunk, [b"RFC822.SIZE"]).items():
                sizes[uid] = int(data.get(b"RFC822.SIZE", 0))
        for uid in uids:
            size = sizes.get(uid, 0)
            oversized = size > settings.DMK_MAILBOX_MAX_BYTES
            part = b"BODY.PEEK[HEADER]" if oversized else b"BODY.PEEK[]"
            key = b"BODY[HEADER]" if oversized else b"BODY[]"
            fetched = client.fetch([uid], [part]).get(uid)
            if fetched is None:  # expunged meanwhile
                continue
            raw = fetched.get(key) or b""
            try:
                received = message_receive(
                    mailbox=mailbox, raw=raw, imap_uid=uid, size=size if oversized else None
                )
            except Exception:
                logger.exception("mail uid %s could not be filed", uid)
                result.failed += 1
                continue
            if received.created:
                result.stored += 1
            else:
                result.duplicates += 1
            mark_filed(client, uid, config)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            imap_uidvalidity=info.get(b"UIDVALIDITY"),
            imap_last_uid=uids[-1] if uids else mailbox.imap_last_uid,
            last_fetch_at=timezone.now(),
        )
    finally:
        try:
            client.logout()
        except Exception:
            client.shutdown()
    return result
