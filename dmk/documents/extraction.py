"""Reading the text out of stored files (issue 13 item 1).

:func:`extract_text` is the one entry point for every file the platform stores — paper files
now; minutes (issue 12), mailbox attachments (issue 15) and exchange files (issue 14) call the
same function. It never raises for a bad file: the outcome is a status.

Formats: PDF (pypdf, one text per page), DOCX (python-docx: paragraphs and tables), ODT
(odfpy: paragraphs and headings), XLSX (openpyxl, read-only: one "page" per sheet), plain
text (UTF-8, else Latin-1). A PDF whose pages carry no text (a scan) is marked
:attr:`ExtractionStatus.NO_TEXT_LAYER` ("ohne Textebene"); OCR is not attempted (no OCR
engine is required on the machines). Extracted text is cut at :data:`MAX_CHARS` characters
(status :attr:`ExtractionStatus.TOO_LARGE`, the text up to the limit is kept and indexed).
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: At most this many characters of text are kept per file (2 million: about 1,000 pages).
MAX_CHARS = 2_000_000
#: Files larger than this many bytes are not read at all (status ``too_large``).
MAX_BYTES = 50 * 1024 * 1024
#: A member of a DOCX/ODT/XLSX package may claim at most this many bytes uncompressed.
MAX_MEMBER_BYTES = 200 * 1024 * 1024


class ExtractionStatus(models.TextChoices):
    OK = "ok", _("Text gelesen")
    NO_TEXT_LAYER = "no_text_layer", _("ohne Textebene")
    BROKEN = "broken", _("beschädigt")
    ENCRYPTED = "encrypted", _("verschlüsselt")
    TOO_LARGE = "too_large", _("zu groß (gekürzt)")
    UNSUPPORTED = "unsupported", _("Dateityp ohne Textauszug")


@dataclass
class ExtractedText:
    """The text of one file: ``pages`` holds one string per page (PDF), per sheet (XLSX) or
    one string for the whole document (DOCX, ODT, plain text); ``status`` says how reading
    went; ``detail`` names the error for the back office (never shown to readers)."""

    status: str
    pages: list[str] = field(default_factory=list)
    detail: str = ""
    paged: bool = False  #: True when ``pages`` are real page numbers (PDF)

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.pages)


def _limit(pages: list[str], *, paged: bool) -> ExtractedText:
    """Cut ``pages`` at :data:`MAX_CHARS` characters in total."""
    kept: list[str] = []
    total = 0
    for page in pages:
        if total + len(page) > MAX_CHARS:
            kept.append(page[: MAX_CHARS - total])
            return ExtractedText(ExtractionStatus.TOO_LARGE, kept, "text cut", paged)
        kept.append(page)
        total += len(page)
    return ExtractedText(ExtractionStatus.OK, kept, "", paged)


def _pdf(data: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            # Many "protected" PDFs only forbid printing and open with the empty password.
            if not reader.decrypt(""):
                return ExtractedText(ExtractionStatus.ENCRYPTED, detail="password required")
        except (FileNotDecryptedError, NotImplementedError) as exc:
            return ExtractedText(ExtractionStatus.ENCRYPTED, detail=str(exc)[:200])
    pages: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        pages.append(text)
        total += len(text)
        if total > MAX_CHARS:
            break
    if not any(p.strip() for p in pages):
        return ExtractedText(ExtractionStatus.NO_TEXT_LAYER, pages=["" for _ in pages], paged=True)
    return _limit(pages, paged=True)


def _check_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise ValueError(f"member {info.filename} claims {info.file_size} bytes")


def _docx(data: bytes) -> ExtractedText:
    import docx

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return _limit(["\n".join(parts)], paged=False)


def _odt(data: bytes) -> ExtractedText:
    from odf import teletype, text
    from odf.opendocument import load

    _check_zip(data)
    document = load(io.BytesIO(data))
    parts = [
        teletype.extractText(element)
        for element in document.getElementsByType(text.H) + document.getElementsByType(text.P)
    ]
    return _limit(["\n".join(parts)], paged=False)


def _xlsx(data: bytes) -> ExtractedText:
    import openpyxl

    _check_zip(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        pages = []
        for sheet in workbook.worksheets:
            lines = [sheet.title]
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None]
                if cells:
                    lines.append(" ".join(cells))
            pages.append("\n".join(lines))
    finally:
        workbook.close()
    return _limit(pages, paged=False)


def _plain(data: bytes) -> ExtractedText:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return _limit([text], paged=False)


_READERS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "xlsx": _xlsx, "txt": _plain, "md": _plain}


def extract_text(source: str | bytes | os.PathLike[str] | io.IOBase, *, name: str) -> ExtractedText:
    """The text of one file (issue 13 item 1).

    ``source`` is the file's bytes, an open binary file or a path; ``name`` its original
    file name, whose extension picks the reader (pdf, docx, odt, xlsx, txt, md). Never
    raises for the file's content: a damaged file gives ``broken``, a password-protected
    PDF ``encrypted``, a scan ``no_text_layer``, an unknown type ``unsupported``, a file over
    :data:`MAX_BYTES` ``too_large`` with no text; text over :data:`MAX_CHARS` characters is
    cut (``too_large`` with the text kept). Raises OSError only when ``source`` is a path
    that cannot be read.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = _READERS.get(extension)
    if reader is None:
        return ExtractedText(ExtractionStatus.UNSUPPORTED, detail=extension)
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, (str, os.PathLike)):
        if os.path.getsize(source) > MAX_BYTES:
            return ExtractedText(ExtractionStatus.TOO_LARGE, detail="file too large")
        with open(source, "rb") as handle:
            data = handle.read()
    else:
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return ExtractedText(ExtractionStatus.TOO_LARGE, detail="file too large")
    try:
        return reader(data)
    except Exception as exc:
        logger.info("text extraction of %s failed: %r", name, exc)
        return ExtractedText(ExtractionStatus.BROKEN, detail=f"{type(exc).__name__}: {exc}"[:300])
