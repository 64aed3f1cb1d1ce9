"""Reading a raw mail (RFC 5322, MIME RFC 2045–2049) with the standard library's ``email``
package and its default policy (issue 15 item 1). Pure functions: no database, no network.

:func:`parse` never raises for bad input: a mail that cannot be read comes back with
``ok=False`` and a German ``notice``; the caller stores it raw all the same.
"""

from __future__ import annotations

import datetime
import email
import email.utils
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

from django.utils import timezone

#: The ticket number in a subject, e.g. ``[DMK#2026-0042]`` (prefix, number).
TICKET_RE = re.compile(r"\[([A-Za-z][A-Za-z0-9-]{0,19})#(\d{4}-\d{4,6})\]")
_MESSAGE_ID_RE = re.compile(r"<[^<>\s]{1,990}>")


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    """What the mailbox needs of one raw mail (lengths cut to the model's fields)."""

    ok: bool = True
    notice: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    to: str = ""
    cc: str = ""
    subject: str = ""
    date: datetime.datetime | None = None
    text: str = ""
    html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    is_automatic: bool = False


def _clean(value: object, limit: int) -> str:
    """One line of at most ``limit`` characters, without control characters (a NUL byte is
    refused by PostgreSQL)."""
    text = " ".join(str(value or "").split())
    return "".join(ch for ch in text if ch.isprintable())[:limit]


def message_ids(value: object) -> list[str]:
    """The ``<…>`` message ids in a header value (RFC 5322 §3.6.4), in order."""
    return _MESSAGE_ID_RE.findall(str(value or ""))


def is_automatic(msg: EmailMessage) -> bool:
    """Whether ``msg`` is an auto-reply, a bounce or list mail that must never get an
    automatic answer (RFC 3834 §2 ``Auto-Submitted``; RFC 2076 ``Precedence``;
    ``X-Autoreply``/``X-Autorespond``; RFC 5321 §4.5.5 null ``Return-Path: <>``; RFC 2369/2919
    list headers; RFC 3464 delivery reports; mailer-daemon/postmaster senders)."""
    auto = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return True
    if str(msg.get("Precedence", "") or "").strip().lower() in {"bulk", "junk", "list"}:
        return True
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id"):
        if msg.get(name) is not None:
            return True
    if msg.get("List-Unsubscribe") is not None:
        return True
    return_path = msg.get("Return-Path")
    if return_path is not None and str(return_path).strip() in {"<>", ""}:
        return True
    if msg.get_content_type() == "multipart/report":
        return True
    sender = email.utils.parseaddr(str(msg.get("From", "") or ""))[1].lower()
    local = sender.split("@", 1)[0]
    return local in {"mailer-daemon", "postmaster", "noreply", "no-reply"}


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError, TypeError, AttributeError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _date(msg: EmailMessage) -> datetime.datetime | None:
    try:
        value = email.utils.parsedate_to_datetime(str(msg.get("Date", "") or ""))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    if not (1990 <= value.year <= 2200):
        return None
    return value


def headers_only(raw: bytes) -> ParsedMail:
    """Only the header fields of ``raw`` (for an oversized mail whose body is not fetched)."""
    return parse(raw, with_body=False)


def parse(raw: bytes, *, with_body: bool = True) -> ParsedMail:
    """Parse ``raw`` (bytes of one mail). Never raises: any error gives ``ok=False`` and a
    German ``notice``, with whatever header fields could be read."""
    result = ParsedMail()
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except Exception:
        result.ok = False
        result.notice = (
            "Die Nachricht konnte nicht gelesen werden; sie ist unverändert gespeichert."
        )
        return result
    try:
        _read_headers(msg, result)
        if with_body:
            _read_body(msg, result)
        if msg.defects:
            result.notice = (
                "Die Nachricht hat Formfehler (MIME); der Inhalt wird möglicherweise "
                "unvollständig angezeigt. Die Originalnachricht ist unverändert gespeichert."
            )
    except Exception:
        result.ok = False
        result.notice = (
            "Die Nachricht konnte nicht gelesen werden; sie ist unverändert gespeichert."
        )
    return result


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:
        values = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
        value = values[0] if values else ""
    return str(value or "")


def _read_headers(msg: EmailMessage, result: ParsedMail) -> None:
    ids = message_ids(_header(msg, "Message-ID"))
    result.message_id = ids[0] if ids else ""
    reply = message_ids(_header(msg, "In-Reply-To"))
    result.in_reply_to = reply[0] if reply else ""
    result.references = message_ids(_header(msg, "References"))[-50:]
    name, address = email.utils.parseaddr(_header(msg, "From"))
    result.from_name = _clean(name, 200)
    result.from_address = _clean(address, 320) if "@" in address else ""
    result.to = _clean(_header(msg, "To"), 2000)
    result.cc = _clean(_header(msg, "Cc"), 2000)
    result.subject = _clean(_header(msg, "Subject"), 500)
    result.date = _date(msg)
    result.is_automatic = is_automatic(msg)


def _read_body(msg: EmailMessage, result: ParsedMail) -> None:
    body = msg.get_body(preferencelist=("plain",))
    if body is not None:
        result.text = _part_text(body).replace("\x00", "")
    html = msg.get_body(preferencelist=("html",))
    if html is not None:
        result.html = _part_text(html).replace("\x00", "")
    for part in msg.iter_attachments():
        if part.is_multipart():
            continue
        filename = _clean(part.get_filename() or "", 255)
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        result.attachments.append(
            ParsedAttachment(
                filename=filename or "anhang", content_type=part.get_content_type(), data=data
            )
        )


def ticket_in(subject: str, prefix: str) -> str | None:
    """The ticket number ``"2026-0042"`` in ``subject`` when it carries ``[prefix#…]``."""
    for found_prefix, number in TICKET_RE.findall(subject or ""):
        if found_prefix.lower() == prefix.lower():
            return number
    return None
