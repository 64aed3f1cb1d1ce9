"""Benchmark of the meeting pack (issue 12, "Speed"): 40 papers with 400 pages in all.

Goal: the pack builds in <= 10 s on the 2-core machine, and the building process stays
<= 300 MB of memory (peak RSS). Runs the real builder (``dmk.minutes.pack.build_pack_pdf``:
WeasyPrint cover, agenda and TOP dividers, pypdf merge, outline, page labels) in a child
process, so its peak RSS is the building worker's; the papers are read from files on disk
through the pack's own PDF check (``_open_pdf``) instead of the database. Anchor, measured in
the same run: merging the same 40 PDFs with pypdf alone. Plain Python, no network, bounded:
each build is stopped after 120 s.

    .venv/bin/python bench/bench_pack.py
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dmk.settings")

PAPERS = 40
PAGES_PER_PAPER = 10
ITEMS = 10


def _paper_pdf(index: int) -> bytes:
    """A paper of ``PAGES_PER_PAPER`` pages with a line of text on each."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for page_no in range(PAGES_PER_PAPER):
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(
            f"BT /F1 12 Tf 72 770 Td (Vorlage {index} Seite {page_no + 1}) Tj ET".encode()
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _spec(files: list[Path]) -> dict:
    items = []
    for item_no in range(ITEMS):
        papers = []
        for paper_no in range(item_no * PAPERS // ITEMS, (item_no + 1) * PAPERS // ITEMS):
            papers.append(
                {
                    "id": paper_no + 1,
                    "title": f"Vorlage {paper_no + 1}: Beispiel für die Sitzungsmappe",
                    "author": "Hamburg",
                    "files": [
                        {
                            "id": paper_no + 1,
                            "name": files[paper_no].name,
                            "content_type": "application/pdf",
                            "sha256": "",
                        }
                    ],
                }
            )
        items.append(
            {
                "id": item_no + 1,
                "number": str(item_no + 1),
                "title": f"TOP {item_no + 1}",
                "papers": papers,
            }
        )
    meeting = {
        "id": 1,
        "name": "Benchmark-Sitzung",
        "date": "11.06.2026",
        "place": "Hamburg",
        "body": "DMK",
    }
    return {"meeting": meeting, "items": items, "hash": "bench"}


def _build(files: list[Path], target: Path, queue) -> None:
    import django

    django.setup()
    from dmk.minutes import pack

    by_id = {index + 1: path for index, path in enumerate(files)}

    def load_from_disk(spec):
        loaded = {}
        for item in spec["items"]:
            for paper in item["papers"]:
                for entry in paper["files"]:
                    reader, note = pack._open_pdf(by_id[entry["id"]].read_bytes())
                    loaded[entry["id"]] = {
                        "reader": reader,
                        "pages": len(reader.pages) if reader else 0,
                        "note": note,
                    }
        return loaded

    pack._load_files = load_from_disk
    start = time.perf_counter()
    result = pack.build_pack_pdf(_spec(files), target)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kib, result["pages"]))


def _anchor(files: list[Path], target: Path, queue) -> None:
    from pypdf import PdfReader, PdfWriter

    start = time.perf_counter()
    writer = PdfWriter()
    for path in files:
        for page in PdfReader(path).pages:
            writer.add_page(page)
    with target.open("wb") as handle:
        writer.write(handle)
    queue.put((time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 0))


def _run(function, files, target):
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(
        target=function, args=(files, target, queue)
    )
    process.start()
    process.join(120)
    if process.is_alive():
        process.terminate()
        raise SystemExit("build took longer than 120 s")
    return queue.get(timeout=5)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dmk-bench-pack-") as tmp:
        files = []
        for index in range(PAPERS):
            path = Path(tmp) / f"vorlage-{index + 1:02d}.pdf"
            path.write_bytes(_paper_pdf(index + 1))
            files.append(path)
        anchor_s, anchor_kib, _ = _run(_anchor, files, Path(tmp) / "anchor.pdf")
        pack_s, pack_kib, pages = _run(_build, files, Path(tmp) / "pack.pdf")
        size = (Path(tmp) / "pack.pdf").stat().st_size
    print(f"papers: {PAPERS}, pages of papers: {PAPERS * PAGES_PER_PAPER}, pages in pack: {pages}")
    print(
        f"pack build: {pack_s:.2f} s (goal <= 10 s), peak RSS of the building process: "
        f"{pack_kib / 1024:.0f} MB (goal <= 300 MB), file {size / 1e6:.1f} MB"
    )
    print(f"anchor (pypdf merge only): {anchor_s:.2f} s, peak RSS {anchor_kib / 1024:.0f} MB")
    print(f"ratio pack / anchor: {pack_s / anchor_s:.1f}x")


if __name__ == "__main__":
    main()
