"""Rendering minutes: the tagged PDF (issue 12 item 4), a plain-text form and the readable
diff between two versions (issue 12 item 2)."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from dmk.minutes.models import Minutes, MinutesStatus, MinutesVersion


def sections(version: MinutesVersion) -> list[dict[str, Any]]:
    """The agenda items of ``version``'s record, each with its discussion ``text`` (sanitised
    HTML, "" when none)."""
    texts = version.texts or {}
    return [
        {**item, "text": texts.get(str(item["id"]), "")}
        for item in (version.record or {}).get("items", [])
    ]


def minutes_pdf(minutes: Minutes, version: MinutesVersion) -> bytes:
    """``version`` of ``minutes`` as a PDF/UA-1 document (WeasyPrint): header, attendance per
    Land, each TOP with its record and discussion; bookmarks per TOP (h2); "Seite x von y";
    the watermark "ENTWURF" until the minutes are approved (issue 12 item 4)."""
    from weasyprint import HTML

    document = render_to_string(
        "minutes/minutes_pdf.html",
        {
            "minutes": minutes,
            "version": version,
            "record": version.record,
            "sections": sections(version),
            "draft": minutes.status != MinutesStatus.APPROVED,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=document, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(p|br|li|h[1-6]|tr|blockquote|ul|ol|table)\b[^>]*>", re.IGNORECASE)


def html_to_lines(value: str) -> list[str]:
    """Sanitised HTML as plain text lines (block elements end a line)."""
    text = _BLOCK.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def version_lines(version: MinutesVersion) -> list[str]:
    """``version`` as plain text lines for the diff: each TOP heading, then its discussion."""
    lines: list[str] = []
    for section in sections(version):
        lines.append(f"TOP {section['number']}: {section['title']}")
        lines.extend(html_to_lines(section["text"]) or ["(kein Text)"])
    return lines


@dataclass(frozen=True)
class DiffLine:
    """One line of the diff: ``op`` is "same", "added" or "removed"."""

    op: str
    text: str


def version_diff(old: MinutesVersion, new: MinutesVersion) -> list[DiffLine]:
    """The line diff from ``old`` to ``new`` (difflib), unchanged lines kept so the reader
    sees the context; additions and removals marked."""
    a, b = version_lines(old), version_lines(new)
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            result.extend(DiffLine("same", line) for line in a[i1:i2])
            continue
        result.extend(DiffLine("removed", line) for line in a[i1:i2])
        result.extend(DiffLine("added", line) for line in b[j1:j2])
    return result
