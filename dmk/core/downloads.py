"""File names on download: one ``Content-Disposition`` for every file we serve (issue 18
item 5).

RFC 6266 §4.3 and appendix D: send ``filename*`` (RFC 8187, UTF-8, percent-encoded) for the
real name *and* a plain ASCII ``filename=`` for older clients and proxies that ignore
``filename*``. Django's own ``FileResponse`` sends only one of the two, so every download goes
through :func:`content_disposition` / :func:`attach_filename`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar
from urllib.parse import quote

from django.http import HttpResponseBase

_GERMAN = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ẞ": "SS",
        "–": "-",  # en dash
        "—": "-",  # em dash
        "‐": "-",
        "‑": "-",
        "„": "'",
        "“": "'",
        "”": "'",
        "‚": "'",
        "‘": "'",
        "’": "'",
        "€": "EUR",
        "§": "S",
    }
)
R = TypeVar("R", bound=HttpResponseBase)
_NOT_TOKEN_SAFE = re.compile(r'[^\x20-\x7e]|["\\%]')


def ascii_filename(filename: str) -> str:
    """The ASCII fallback of ``filename``: German letters spelled out ("Müller" → "Mueller"),
    dashes and quotes made ASCII, other accents dropped ("é" → "e"), anything else that is not
    printable ASCII (and ``"``, ``\\``, ``%``) becomes ``_``. Never empty ("download")."""
    text = unicodedata.normalize("NFC", filename).translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NOT_TOKEN_SAFE.sub("_", text).strip()
    return text or "download"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header value for ``filename``: ``attachment; filename="<ASCII>";
    filename*=UTF-8''<percent-encoded NFC name>`` (``inline`` instead of ``attachment`` when
    asked). RFC 6266 §4.1/§4.3, RFC 8187 §3.2."""
    name = unicodedata.normalize("NFC", filename)
    disposition = "inline" if inline else "attachment"
    return (
        f'{disposition}; filename="{ascii_filename(name)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )


def attach_filename(response: R, filename: str, *, inline: bool = False) -> R:
    """Set ``Content-Disposition`` of ``response`` to :func:`content_disposition` and return
    the response (for ``HttpResponse`` and ``FileResponse`` alike)."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
