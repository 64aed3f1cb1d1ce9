"""The Sitzungsmappe: one PDF per meeting and reader (issue 12 item 5; DOMAIN glossary
``MeetingPack``, OParl ``Meeting.auxiliaryFile``).

A pack holds a cover, the agenda with page numbers, and for each TOP a divider page followed
by its papers' current files in agenda order. PDF files are merged as they are (pypdf);
DOCX/ODT/XLSX are converted by LibreOffice headless when ``soffice`` is installed, otherwise
listed with a note; encrypted or broken PDFs are listed with a note and never fail the pack.
Bookmarks are nested TOP → paper; page labels read i, ii, … for the front matter and 1, 2, …
from the first TOP on (the agenda's page numbers use the same labels).

What goes in is exactly what the reader may see (``dmk.access.policy.pack_agenda_items``,
``pack_papers``; DOMAIN rule 11): a guest's pack holds only their items. The inputs are
hashed (:func:`pack_inputs`); a pack is built once per hash by a background task
(:func:`pack_request` enqueues ``build_meeting_pack_task``) and rebuilt when a paper's file
changes (new hash). The PDF is written to a temporary file first and attached to the row only
when complete, so a half-built pack is never served.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import subprocess  # nosec B404
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from dmk.access.policy import can_download_pack, pack_agenda_items, pack_papers
from dmk.core.audit import log_action
from dmk.meetings.models import Meeting
from dmk.minutes.models import MeetingPack, PackStatus
from dmk.papers.models import Consultation, Paper, PaperFile

logger = logging.getLogger(__name__)

#: Attempts of one build before the pack is marked failed; waits ``DMK_PACK_RETRY_DELAY``
#: seconds (default 2) between attempts.
MAX_ATTEMPTS = 3
#: Office formats LibreOffice converts (issue 12 item 5).
CONVERTIBLE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/msword": "DOC",
}
CONVERTIBLE_SUFFIXES = {".docx", ".odt", ".xlsx", ".ods", ".doc"}
#: Seconds LibreOffice may take for one file.
CONVERT_TIMEOUT = 120


class PackError(Exception):
    """A refused pack request; ``message`` is German and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- inputs -----------------------------------------------------------------------------------


def _current_files(paper_ids: list[int]) -> dict[int, list[PaperFile]]:
    """The current file versions per paper: the highest ``version`` per original name,
    ordered by name (German-insensitive enough for file names)."""
    current: dict[tuple[int, str], PaperFile] = {}
    for f in PaperFile.objects.filter(paper_id__in=paper_ids).order_by("paper_id", "version"):
        current[(f.paper_id, f.original_name)] = f
    by_paper: dict[int, list[PaperFile]] = {}
    for (paper_id, _name), f in sorted(current.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        by_paper.setdefault(paper_id, []).append(f)
    return by_paper


def pack_inputs(*, user: Any, meeting: Meeting) -> dict[str, Any]:
    """What ``user``'s pack of ``meeting`` holds, as a JSON-serialisable spec, with its
    SHA-256 under ``"hash"``.

    Shape: ``{"meeting": {...}, "items": [{"id", "number", "title", "papers": [{"id",
    "title", "author", "files": [{"id", "name", "content_type", "sha256"}]}]}], "hash"}``.
    Items in agenda order, papers in consultation order (title), files by name. Only what
    ``user`` may see (DOMAIN rule 11). A fixed number of queries.
    """
    items = list(pack_agenda_items(user, meeting.agenda_items.all()).order_by("order"))
    visible_papers = pack_papers(user, Paper.objects.all())
    consultations = (
        Consultation.objects.filter(agenda_item__in=[i.pk for i in items])
        .filter(paper__in=visible_papers)
        .select_related("paper", "paper__author_state")
        .order_by("agenda_item__order", "paper__title", "paper__pk")
    )
    by_item: dict[int, list[Paper]] = {}
    for c in consultations:
        by_item.setdefault(c.agenda_item_id, []).append(c.paper)
    files = _current_files([p.pk for papers in by_item.values() for p in papers])
    spec: dict[str, Any] = {
        "meeting": {
            "id": meeting.pk,
            "name": meeting.name,
            "date": meeting.start_date.strftime("%d.%m.%Y") if meeting.start_date else "",
            "place": meeting.place,
            "body": meeting.body.name,
        },
        "items": [
            {
                "id": item.pk,
                "number": item.number or str(item.order),
                "title": item.title,
                "papers": [
                    {
                        "id": paper.pk,
                        "title": paper.title,
                        "author": paper.author_state.name if paper.author_state else "",
                        "files": [
                            {
                                "id": f.pk,
                                "name": f.original_name,
                                "content_type": f.content_type,
                                "sha256": f.sha256,
                            }
                            for f in files.get(paper.pk, [])
                        ],
                    }
                    for paper in by_item.get(item.pk, [])
                ],
            }
            for item in items
        ],
    }
    spec["hash"] = hashlib.sha256(
        json.dumps(spec, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    return spec


# --- requests and downloads --------------------------------------------------------------------


def _enqueue(pack: MeetingPack) -> None:
    from dmk.minutes.tasks import build_meeting_pack_task  # tasks import this module

    build_meeting_pack_task.enqueue(pack.pk)


@transaction.atomic
def pack_request(*, user: Any, meeting: Meeting) -> MeetingPack:
    """Ask for ``user``'s Sitzungsmappe of ``meeting``: return the pack for the current inputs
    (ready, queued or building), or create it and enqueue its build; a failed one is queued
    again. Audited. Raises :class:`PackError` if ``user`` may not have a pack of this meeting
    (``dmk.access.policy.can_download_pack``)."""
    if not can_download_pack(user, meeting):
        raise PackError("Sie dürfen keine Sitzungsmappe dieser Sitzung abrufen.")
    spec = pack_inputs(user=user, meeting=meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    pack, created = MeetingPack.objects.get_or_create(
        meeting=meeting, input_hash=spec["hash"], defaults={"spec": spec}
    )
    if created or pack.status == PackStatus.FAILED:
        if not created:
            pack.status = PackStatus.QUEUED
            pack.progress = 0
            pack.attempts = 0
            pack.error = ""
            pack.save(update_fields=["status", "progress", "attempts", "error"])
        log_action(
            "minutes.pack.requested",
            actor=user,
            obj=pack,
            data={"meeting": meeting.slug, "hash": spec["hash"][:16]},
        )
        transaction.on_commit(lambda: _enqueue(pack))
    return pack


def pack_current(*, user: Any, meeting: Meeting) -> MeetingPack | None:
    """The pack of ``meeting`` for ``user``'s current inputs, whatever its status, or None
    (nothing requested yet, or a paper changed since). None also when ``user`` may not have a
    pack of this meeting."""
    if not can_download_pack(user, meeting):
        return None
    spec = pack_inputs(user=user, meeting=meeting)
    return MeetingPack.objects.filter(meeting=meeting, input_hash=spec["hash"]).first()


# --- building ----------------------------------------------------------------------------------


def _render(template: str, context: dict[str, Any]):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=None).render()


def _pdf_bytes(document) -> bytes:
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _convert_office(data: bytes, name: str) -> bytes | None:
    """``data`` converted to PDF by LibreOffice headless, or None when ``soffice`` is not
    installed or the conversion fails (the file is then listed with a note)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="dmk-convert-") as tmp:
        source = Path(tmp) / ("input" + Path(name).suffix.lower())
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603  # nosec B603
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
                check=True,
                timeout=CONVERT_TIMEOUT,
                capture_output=True,
            )
        except (OSError, subprocess.SubprocessError):
            logger.warning("LibreOffice could not convert %s", name)
            return None
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None


def _is_office(entry: dict[str, Any]) -> bool:
    return (
        entry["content_type"] in CONVERTIBLE
        or Path(entry["name"]).suffix.lower() in CONVERTIBLE_SUFFIXES
    )


def _open_pdf(data: bytes):
    """A pypdf reader over ``data`` with every page checked, or a German note why the file
    cannot be merged (encrypted, broken)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return None, "verschlüsselt – bitte einzeln öffnen"
        pages = list(reader.pages)
        if not pages:
            return None, "enthält keine Seiten"
        for page in pages:
            page.get_contents()
            _ = page.mediabox
    except Exception:
        return None, "beschädigt oder kein lesbares PDF – bitte einzeln öffnen"
    return reader, ""


def _load_files(spec: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Per file id: ``{"reader": PdfReader | None, "pages": int, "note": str}``."""
    ids = [f["id"] for item in spec["items"] for p in item["papers"] for f in p["files"]]
    stored = {f.pk: f for f in PaperFile.objects.filter(pk__in=ids)}
    loaded: dict[int, dict[str, Any]] = {}
    for item in spec["items"]:
        for paper in item["papers"]:
            for entry in paper["files"]:
                paper_file = stored.get(entry["id"])
                result: dict[str, Any] = {"reader": None, "pages": 0, "note": ""}
                if paper_file is None:
                    result["note"] = "Datei nicht mehr vorhanden"
                    loaded[entry["id"]] = result
                    continue
                try:
                    with paper_file.file.open("rb") as handle:
                        data = handle.read()
                except OSError:
                    result["note"] = "Datei nicht lesbar"
                    loaded[entry["id"]] = result
                    continue
                is_pdf = entry["content_type"] == "application/pdf" or data[:5] == b"%PDF-"
                if not is_pdf and _is_office(entry):
                    converted = _convert_office(data, entry["name"])
                    if converted is None:
                        result["note"] = (
                            "nicht in PDF umgewandelt (LibreOffice ist nicht installiert) – "
                            "bitte einzeln herunterladen"
                        )
                        loaded[entry["id"]] = result
                        continue
                    data = converted
                    is_pdf = True
                if not is_pdf:
                    result["note"] = "kein PDF – bitte einzeln herunterladen"
                else:
                    reader, note = _open_pdf(data)
                    result.update(
                        reader=reader, note=note, pages=len(reader.pages) if reader else 0
                    )
                loaded[entry["id"]] = result
    return loaded


def _divider_context(spec, loaded) -> list[dict[str, Any]]:
    return [
        {
            "anchor": f"top-{item['id']}",
            "number": item["number"],
            "title": item["title"],
            "papers": [
                {
                    "title": paper["title"],
                    "author": paper["author"],
                    "files": [
                        {"name": f["name"], "note": loaded[f["id"]]["note"]} for f in paper["files"]
                    ],
                }
                for paper in item["papers"]
            ],
        }
        for item in spec["items"]
    ]


def build_pack_pdf(
    spec: dict[str, Any], target: Path, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Write the pack described by ``spec`` (from :func:`pack_inputs`) to ``target`` and
    return ``{"pages": int, "notes": [str, ...]}``. ``progress`` is called with 0–100.

    Raises only for faults of the platform itself (template, disk); a foreign file that
    cannot be merged becomes a note (issue 12 item 5).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    report = progress or (lambda _p: None)
    report(5)
    loaded = _load_files(spec)
    report(25)
    dividers_context = _divider_context(spec, loaded)
    dividers = _render(
        "minutes/pack_dividers.html", {"items": dividers_context, "meeting": spec["meeting"]}
    )
    anchor_page: dict[str, int] = {}
    for index, page in enumerate(dividers.pages):
        # each TOP's heading carries its anchor as bookmark label (pack_dividers.html)
        for bookmark in page.bookmarks:
            anchor_page.setdefault(bookmark[1], index)
    divider_reader = PdfReader(io.BytesIO(_pdf_bytes(dividers)))
    report(40)

    # Where each TOP and paper starts, counted from the first body page (label 1).
    starts: list[dict[str, Any]] = []
    position = 1
    for index, item in enumerate(spec["items"]):
        first = anchor_page.get(f"top-{item['id']}", 0)
        if index + 1 < len(spec["items"]):
            last = anchor_page.get(f"top-{spec['items'][index + 1]['id']}", first + 1)
        else:
            last = len(divider_reader.pages)
        divider_pages = list(range(first, max(last, first + 1)))
        papers = []
        paper_position = position + len(divider_pages)
        for paper in item["papers"]:
            pages = sum(loaded[f["id"]]["pages"] for f in paper["files"])
            papers.append({**paper, "start": paper_position if pages else None, "pages": pages})
            paper_position += pages
        starts.append({**item, "start": position, "divider_pages": divider_pages, "papers": papers})
        position = paper_position

    def front(rows):
        return _render(
            "minutes/pack_front.html",
            {"rows": rows, "generated_at": timezone.localtime(), "meeting": spec["meeting"]},
        )

    # The front matter is rendered once to count its pages, then with the page numbers.
    front_doc = front(starts)
    front_reader = PdfReader(io.BytesIO(_pdf_bytes(front_doc)))
    report(50)

    writer = PdfWriter()
    for page in front_reader.pages:
        writer.add_page(page)
    front_pages = len(front_reader.pages)
    notes: list[str] = []
    total_items = max(len(starts), 1)
    for done, item in enumerate(starts, start=1):
        first_index = len(writer.pages)
        for page_index in item["divider_pages"]:
            writer.add_page(divider_reader.pages[page_index])
        top = writer.add_outline_item(
            title=f"TOP {item['number']}: {item['title']}", page_number=first_index
        )
        for paper in item["papers"]:
            paper_index = len(writer.pages)
            merged_any = False
            for entry in paper["files"]:
                file_result = loaded[entry["id"]]
                if file_result["note"]:
                    notes.append(f"TOP {item['number']} – {entry['name']}: {file_result['note']}")
                    continue
                for page in file_result["reader"].pages:
                    writer.add_page(page)
                merged_any = True
            writer.add_outline_item(
                title=paper["title"],
                page_number=paper_index if merged_any else first_index,
                parent=top,
            )
        report(50 + int(45 * done / total_items))
    if front_pages:
        writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    if len(writer.pages) > front_pages:
        writer.set_page_label(
            front_pages, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1
        )
    writer.add_metadata({"/Title": f"Sitzungsmappe: {spec['meeting']['name']}"})
    writer.page_mode = "/UseOutlines"
    with target.open("wb") as handle:
        writer.write(handle)
    report(99)
    return {"pages": len(writer.pages), "notes": notes}


def _set_progress(pack_id: int, value: int) -> None:
    MeetingPack.objects.filter(pk=pack_id).update(progress=min(max(value, 0), 100))


def pack_build(*, pack_id: int) -> MeetingPack:
    """Build pack ``pack_id`` once: write the PDF to a temporary file next to its place in the
    (file-system) storage, move it into place atomically (``os.replace``), and only then mark
    the row ready with its file (never a half file). Raises on a fault of the platform;
    the caller retries (:func:`pack_build_with_retries`)."""
    pack = MeetingPack.objects.get(pk=pack_id)
    MeetingPack.objects.filter(pk=pack_id).update(
        status=PackStatus.BUILDING, attempts=F("attempts") + 1, progress=1
    )
    storage = pack.file.storage
    name = f"packs/{pack.meeting_id}/{pack.input_hash}.pdf"
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".pack-", suffix=".part")
    os.close(fd)
    temp = Path(temp_name)
    try:
        result = build_pack_pdf(pack.spec, temp, progress=lambda p: _set_progress(pack_id, p))
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o640)
        os.replace(temp, final)  # atomic on POSIX: readers see the old state or the whole file
    finally:
        if temp.exists():
            temp.unlink()
    size = final.stat().st_size
    stored = name
    MeetingPack.objects.filter(pk=pack_id).update(
        status=PackStatus.READY,
        file=stored,
        size=size,
        pages=result["pages"],
        notes=result["notes"],
        progress=100,
        error="",
        built_at=timezone.now(),
    )
    pack.refresh_from_db()
    log_action(
        "minutes.pack.built",
        obj=pack,
        data={"pages": result["pages"], "notes": len(result["notes"])},
    )
    return pack


def pack_build_with_retries(*, pack_id: int) -> str:
    """Run :func:`pack_build` up to :data:`MAX_ATTEMPTS` times; after the last failure the
    pack is marked failed with the error (shown to the Geschäftsstelle) and no file. Returns
    the final status. A pack already ready is left alone."""
    delay = getattr(settings, "DMK_PACK_RETRY_DELAY", 2)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        current = MeetingPack.objects.filter(pk=pack_id).values_list("status", flat=True).first()
        if current is None or current == PackStatus.READY:
            return current or ""
        try:
            return pack_build(pack_id=pack_id).status
        except Exception as exc:
            logger.warning("building pack %s failed (attempt %s): %s", pack_id, attempt, exc)
            if attempt == MAX_ATTEMPTS:
                MeetingPack.objects.filter(pk=pack_id).update(
                    status=PackStatus.FAILED, error=str(exc)[:2000], file=""
                )
                return PackStatus.FAILED
            MeetingPack.objects.filter(pk=pack_id).update(status=PackStatus.QUEUED)
            time.sleep(delay * attempt)
    return PackStatus.FAILED  # pragma: no cover - the loop always returns
