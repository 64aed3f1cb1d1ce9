"""Checking and storing uploaded paper files (issue 5 item 3).

Allowed: PDF, DOCX, ODT, XLSX — by extension AND by content (PDF magic ``%PDF-``; DOCX and
XLSX are ZIP packages whose ``[Content_Types].xml`` names the main part, ECMA-376 Part 2;
ODT is a ZIP whose ``mimetype`` entry says so, OASIS ODF 1.2 Part 3 §3.3). Files are written
to a temporary file beside the target and moved into place with ``os.replace``, so a crash
never leaves a half file under the final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext as _

#: Upper size limit of one file in bytes (20 MB).
MAX_FILE_SIZE = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
_OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed :func:`check_upload`: its bytes, extension and content type."""

    data: bytes
    extension: str
    content_type: str
    sha256: str
    #: SHA-512 hex digest: OParl 1.1 ``File.sha512Checksum`` (issue 16 item 3)
    sha512: str


def original_file_name(name: str) -> str:
    """The name an upload is stored and downloaded under: the last path part of ``name``, in
    Unicode NFC (a Mac sends "Mu\\u0308ller.pdf" decomposed; issue 11 defect 9, issue 18
    item 2), at most 255 characters."""
    return os.path.basename(unicodedata.normalize("NFC", name))[:255]


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """The first bytes of one archive member, or None when it claims more than ``limit``
    bytes uncompressed: a small upload must never inflate into gigabytes (zip bomb)."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        return None
    with archive.open(info) as member:
        return member.read(limit)


def _zip_matches(data: bytes, extension: str) -> bool:
    """Whether ``data`` is an office file of ``extension``: an ODT's ``mimetype`` entry or an
    OOXML file's ``[Content_Types].xml`` names the right type. Reads at most 1 MB of any
    member; a member claiming more is treated as a mismatch."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if extension == "odt":
                if "mimetype" not in names:
                    return False
                head = _read_member(archive, "mimetype", 200)
                return head is not None and head.strip() == CONTENT_TYPES["odt"].encode()
            if "[Content_Types].xml" not in names:
                return False
            types = _read_member(archive, "[Content_Types].xml", 1024 * 1024)
            return types is not None and _OOXML_MAIN[extension] in types
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def check_upload(name: str, stream: IO[bytes], *, size: int | None = None) -> CheckedFile:
    """Read and check one upload; returns a :class:`CheckedFile`.

    Raises ValidationError (German message) for a missing/unknown extension, an empty file, a
    file over :data:`MAX_FILE_SIZE`, or content that does not match the extension (e.g. a
    Word file renamed to ``.pdf``).
    """
    extension = _extension(name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, DOCX, ODT und XLSX."),
            code="extension",
        )
    if size is not None and size > MAX_FILE_SIZE:
        raise ValidationError(_("Die Datei ist größer als 20 MB."), code="too_large")
    data = stream.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ValidationError(_("Die Datei ist größer als 20 MB."), code="too_large")
    if not data:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    ok = data.startswith(b"%PDF-") if extension == "pdf" else _zip_matches(data, extension)
    if not ok:
        raise ValidationError(
            _(
                "Der Inhalt der Datei passt nicht zur Endung „.%(ext)s“. Bitte laden Sie eine "
                "echte %(typ)s-Datei hoch."
            )
            % {"ext": extension, "typ": extension.upper()},
            code="content_mismatch",
        )
    return CheckedFile(
        data=data,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        sha256=hashlib.sha256(data).hexdigest(),
        sha512=hashlib.sha512(data).hexdigest(),
    )


def store_atomically(
    checked: CheckedFile, *, directory: str, storage: Storage | None = None
) -> str:
    """Write ``checked`` under ``directory`` in ``storage`` (a FileSystemStorage) and return
    the stored name. Written to a temporary file in the target directory, flushed and synced,
    then moved into place with ``os.replace`` (atomic on POSIX)."""
    storage = storage or default_storage
    name = f"{directory.strip('/')}/{uuid.uuid4().hex}.{checked.extension}"
    target = storage.path(name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temp_path = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(checked.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_path, 0o640)
        os.replace(temp_path, target)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
    return name
