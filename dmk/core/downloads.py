"""File names on download: one ``Content-Disposition`` for every file we serve (issue 18
item 5).

RFC 6266 §4.3 and appendix D: send ``filename*`` (RFC 8187, UTF-8, percent-encoded) for the
real name *and* a plain ASCII ``filename=`` for older clients and proxies that ignore
``filename*``. Django's own ``FileResponse`` sends only one of the two, so every download goes
through :func:`content_disposition` / :func:`attach_filename`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase

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


# --- protected files behind nginx (issue 17 item 3) -------------------------------------------
# The permission decision stays in ``dmk.access.policy`` (called by the views and services
# before they get here). Behind nginx (``settings.X_ACCEL_REDIRECT``) the app answers with an
# empty body and ``X-Accel-Redirect: /_protected/<path below MEDIA_ROOT>``; nginx serves the
# file from disk through a location marked ``internal`` (deploy/nginx/dmk-server.conf.in),
# which no client can request directly. Without nginx (``make demo``, tests) or with object
# storage, the app streams the file itself.


def accel_path(absolute: str | os.PathLike[str]) -> str | None:
    """The internal nginx URI of a file below ``MEDIA_ROOT`` (percent-encoded), or None when
    the path lies outside it (never hand nginx a path it must not serve)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = Path(absolute).resolve().relative_to(root)
    except ValueError:
        return None
    return settings.X_ACCEL_PREFIX + quote(relative.as_posix())


def protected_file_response(
    field_file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """A response delivering ``field_file`` under ``filename`` (RFC 6266 ``filename*``) —
    through nginx's ``X-Accel-Redirect`` when enabled and the file is on local disk, else
    streamed by the app. The caller has already asked ``dmk.access.policy``."""
    storage = field_file.storage
    if settings.X_ACCEL_REDIRECT and isinstance(storage, FileSystemStorage):
        target = accel_path(storage.path(field_file.name))
        if target is not None:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = target
            return attach_filename(response, filename, inline=not as_attachment)
    return attach_filename(
        FileResponse(field_file.open("rb"), content_type=content_type),
        filename,
        inline=not as_attachment,
    )


def sendfile(request: HttpRequest, filename: str, **kwargs: Any) -> HttpResponse:
    """``SENDFILE_BACKEND`` for Wagtail documents (``wagtail.utils.sendfile``): Wagtail has
    checked the document's privacy; nginx delivers ``filename`` (an absolute path below
    ``MEDIA_ROOT``). Wagtail adds Content-Disposition and Content-Type itself."""
    target = accel_path(filename)
    if target is None:
        return FileResponse(open(filename, "rb"))
    response = HttpResponse()
    response["X-Accel-Redirect"] = target
    return response
