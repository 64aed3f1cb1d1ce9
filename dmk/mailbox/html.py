"""Showing a mail's HTML part safely (issue 15 item 4): sanitised with nh3, remote content
blocked. Mail HTML is hostile input: no scripts, styles, forms, frames or images survive
(``img`` and ``area``/``map`` are dropped, so no tracking pixel is ever loaded)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe

#: nh3's defaults without anything that loads remote content.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_IMAGE_RE = re.compile(r"<img\b|background\s*=|url\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class ShownHtml:
    """The sanitised HTML and whether remote images or backgrounds were removed."""

    html: SafeString
    images_blocked: bool


def sanitise(html: str) -> ShownHtml:
    """``html`` reduced to :data:`ALLOWED_TAGS` (no attributes that load anything; links
    get ``rel="noopener noreferrer"``), safe to put into a page."""
    cleaned = nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # nh3 output is sanitised HTML by construction (an allow-list of tags and attributes)
    return ShownHtml(
        html=mark_safe(cleaned),  # noqa: S308 # nosec B308
        images_blocked=bool(_IMAGE_RE.search(html or "")),
    )
