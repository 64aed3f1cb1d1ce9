"""Receiving and checking files of the data exchange platform (issue 14 item 2).

Unlike paper files (``dmk.papers.files``, 20 MB, held in memory), exchange files may be large
(``DMK_EXCHANGE_MAX_FILE_BYTES``, default 500 MB): they are streamed in chunks of 1 MiB into
a temporary file beside their final place, hashed on the way (SHA-256), checked by extension
AND content (the same rules as papers: magic bytes; office files are ZIP packages whose
``[Content_Types].xml`` (ECMA-376 Part 2) or ``mimetype`` entry (OASIS ODF 1.2 Part 3 §3.3)
names the type; members are read with a size limit, so no zip bomb inflates), and only then
moved into place with ``os.replace``. Memory stays flat whatever the file size.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
_OOXML_MAIN = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}
_MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",)}
_MAGIC["jpeg"] = _MAGIC["jpg"]


def max_file_bytes() -> int:
    """Upper size of one exchange file in bytes (setting, default 500 MB)."""
    return int(settings.DMK_EXCHANGE_MAX_FILE_BYTES)


def clean_filename(name: str) -> str:
    """The file name to store: the last path part, NFC-normalised (STYLE.md: a name typed on a
    Mac arrives decomposed), control characters dropped, at most 255 characters. Raises
    ValidationError (German) for an empty name or one without an allowed extension."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."}:
        raise ValidationError(_("Bitte geben Sie einen Dateinamen an."), code="name")
    if extension_of(name) not in CONTENT_TYPES:
        raise ValidationError(
            _(
                "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, Word (DOCX), Excel "
                "(XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS, ODP), PNG, JPEG, Text und CSV."
            ),
            code="extension",
        )
    if len(name) > 255:
        stem, ext = name.rsplit(".", 1)
        name = f"{stem[: 254 - len(ext)]}.{ext}"
    return name


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class Received:
    """A complete upload in a temporary file (``path``), not yet under its final name."""

    path: str
    size: int
    sha256: str


def incoming_dir() -> str:
    """Directory of temporary uploads, on the same file system as the media files so that
    ``os.replace`` is atomic."""
    path = os.path.join(default_storage.path(""), "exchange", ".incoming")
    os.makedirs(path, exist_ok=True)
    return path


def _too_large() -> ValidationError:
    return ValidationError(
        _("Die Datei ist größer als %(limit)s.") % {"limit": filesizeformat(max_file_bytes())},
        code="too_large",
    )


def receive(chunks: Iterable[bytes] | IO[bytes], *, declared_size: int | None = None) -> Received:
    """Stream ``chunks`` (an iterable of bytes or a readable binary file) into a temporary
    file, hashing on the way. Raises ValidationError for an empty or oversized upload; any
    error (also one raised by the source mid-way, e.g. a dropped connection) removes the
    temporary file before it propagates — nothing half is left behind."""
    limit = max_file_bytes()
    if declared_size is not None and declared_size > limit:
        raise _too_large()
    if hasattr(chunks, "read"):
        stream = chunks
        chunks = iter(lambda: stream.read(CHUNK), b"")
    fd, path = tempfile.mkstemp(dir=incoming_dir(), prefix=".upload-")
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise _too_large()
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if size == 0:
            raise ValidationError(_("Die Datei ist leer."), code="empty")
    except BaseException:
        if os.path.exists(path):
            os.unlink(path)
        raise
    return Received(path=path, size=size, sha256=digest.hexdigest())


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    info = archive.getinfo(name)
    if info.file_size > limit:
        return None
    with archive.open(info) as member:
        return member.read(limit)


def _content_matches(path: str, extension: str) -> bool:
    if extension in _MAGIC:
        with open(path, "rb") as handle:
            head = handle.read(16)
        return any(head.startswith(magic) for magic in _MAGIC[extension])
    if extension in ("txt", "csv"):
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024)
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the end is fine
            return exc.start >= len(head) - 3
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if extension.startswith("od"):
                if "mimetype" not in names:
                    return False
                head = _read_member(archive, "mimetype", 200)
                return head is not None and head.strip() == CONTENT_TYPES[extension].encode()
            if "[Content_Types].xml" not in names:
                return False
            types = _read_member(archive, "[Content_Types].xml", 1024 * 1024)
            return types is not None and _OOXML_MAIN[extension] in types
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def check_received(received: Received, name: str) -> str:
    """The content type of ``received`` stored as ``name`` (already :func:`clean_filename`-ed).
    Raises ValidationError (German) when the content does not match the extension (e.g. a
    Word file renamed to ``.pdf``); the caller removes the temporary file."""
    extension = extension_of(name)
    if not _content_matches(received.path, extension):
        raise ValidationError(
            _(
                "Der Inhalt der Datei passt nicht zur Endung „.%(ext)s“. Bitte laden Sie eine "
                "echte %(typ)s-Datei hoch."
            )
            % {"ext": extension, "typ": extension.upper()},
            code="content_mismatch",
        )
    return CONTENT_TYPES[extension]


def move_into_place(received: Received, *, workspace_id: int, extension: str) -> str:
    """Move the checked temporary file to its final storage name and return that name
    (``exchange/<workspace>/<uuid>.<ext>``); ``os.replace`` is atomic on POSIX."""
    name = f"exchange/{workspace_id}/{uuid.uuid4().hex}.{extension}"
    target = default_storage.path(name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.chmod(received.path, 0o640)
    os.replace(received.path, target)
    return name


def discard(path: str) -> None:
    """Remove a temporary or stored file if it exists (never raises for a missing one)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
