"""Attacks with bad uploads on a draft of Land A (issue 5 item 3): disguised executables and
HTML, empty files, ZIPs that are no office files, a decompression bomb, path traversal and
umlauts in the name. Never a 500, a German message, nothing stored outside MEDIA_ROOT and
nothing stored at all for a refused file."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dmk.papers.models import Paper, PaperFile
from tests.adversarial.conftest import PDF

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip(**entries: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def _files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(cast, name: str, data: bytes):
    return cast.client("member_a").post(
        f"/intern/vorlagen/{cast.draft.slug}/datei/",
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", EXE, "Der Inhalt der Datei passt nicht zur Endung „.pdf“."),
        ("seite.pdf", HTML, "Der Inhalt der Datei passt nicht zur Endung „.pdf“."),
        ("leer.pdf", b"", "Die Datei ist leer."),
        ("setup.exe", EXE, "Dieser Dateityp ist nicht erlaubt."),
        ("seite.html", HTML, "Dieser Dateityp ist nicht erlaubt."),
        ("ohne-endung", PDF, "Dieser Dateityp ist nicht erlaubt."),
        (
            "kein-office.docx",
            _zip(word__document_xml=b"<w:document/>"),
            "Der Inhalt der Datei passt nicht zur Endung „.docx“.",
        ),
        (
            "falscher-typ.docx",
            _zip(**{"[Content_Types].xml": b"<Types/>"}),
            "Der Inhalt der Datei passt nicht zur Endung „.docx“.",
        ),
        ("kaputt.docx", b"PK\x03\x04kaputt", "Der Inhalt der Datei passt nicht zur Endung"),
    ],
)
def test_a_bad_file_is_refused_in_german_and_nothing_is_stored(
    cast, media_root, name, data, message
):
    before = _files_on_disk(Path(media_root))

    response = _upload(cast, name, data)

    assert response.status_code == 400
    assert message in response.text
    assert cast.draft.files.count() == 1
    assert _files_on_disk(Path(media_root)) == before


def test_a_bad_file_with_a_new_draft_leaves_no_draft_behind(cast, media_root):
    response = cast.client("member_a").post(
        "/intern/vorlagen/neu/",
        {
            "state": cast.land_a.pk,
            "title": "Entwurf mit Schadcode",
            "paper_type": "proposal",
            "file": SimpleUploadedFile("setup.pdf", EXE),
        },
    )

    assert response.status_code == 400
    assert "Der Inhalt der Datei passt nicht zur Endung „.pdf“." in response.text
    assert 'value="Entwurf mit Schadcode"' in response.text
    assert not Paper.objects.filter(title="Entwurf mit Schadcode").exists()


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\windows\\system.pdf", "/etc/passwd.pdf"]
)
def test_a_path_traversal_name_is_stored_under_media_root_with_its_base_name(
    cast, media_root, tmp_path, name
):
    response = _upload(cast, name, PDF)

    assert response.status_code == 302
    stored = PaperFile.objects.filter(paper=cast.draft).order_by("-version").first()
    assert stored.version == 2
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert stored.original_name.endswith(".pdf")
    path = Path(stored.file.path).resolve()
    assert path.is_relative_to(Path(media_root).resolve())
    assert not (tmp_path / "etc").exists()
    assert not Path(media_root, "..", "etc", "passwd.pdf").exists()


def test_an_umlaut_file_name_is_kept_and_downloads_with_rfc_6266_name(cast):
    name = "Beschluss Überörtliche Maßnahmen äöü.pdf"

    response = _upload(cast, name, PDF)
    stored = PaperFile.objects.get(paper=cast.draft, version=2)
    download = cast.client("member_a").get(
        f"/intern/vorlagen/{cast.draft.slug}/dateien/{stored.pk}/"
    )

    assert response.status_code == 302
    assert stored.original_name == name
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="Beschluss Ueberoertliche Massnahmen aeoeue.pdf"; '
        "filename*=UTF-8''Beschluss%20%C3%9Cber%C3%B6rtliche%20Ma%C3%9Fnahmen"
        "%20%C3%A4%C3%B6%C3%BC.pdf"
    )
    assert b"".join(download.streaming_content) == PDF


def test_a_file_name_with_an_encoded_line_break_cannot_inject_a_header(cast):
    response = _upload(cast, "bericht&#13;&#10;X-Injected: ja.pdf", PDF)
    stored = PaperFile.objects.get(paper=cast.draft, version=2)
    download = cast.client("member_a").get(
        f"/intern/vorlagen/{cast.draft.slug}/dateien/{stored.pk}/"
    )

    assert response.status_code == 302
    assert "\n" not in stored.original_name and "\r" not in stored.original_name
    download.close()
    assert download.status_code == 200
    assert not download.has_header("X-Injected")


def test_a_300_character_file_name_is_cut_to_255_characters_keeping_the_extension(cast):
    """Django's upload handler shortens names over 255 characters, keeping the extension."""
    response = _upload(cast, "a" * 300 + ".pdf", PDF)

    assert response.status_code == 302
    stored = PaperFile.objects.get(paper=cast.draft, version=2)
    assert (len(stored.original_name), stored.original_name[-4:]) == (255, ".pdf")


def test_a_docx_decompression_bomb_is_refused_without_inflating_it(cast):
    """A [Content_Types].xml of 200 MB of spaces compresses to about 200 KB; checking the
    upload must not inflate it into memory (peak well under the uncompressed size)."""
    bomb = _zip(**{"[Content_Types].xml": b" " * (200 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024

    tracemalloc.start()
    try:
        response = _upload(cast, "bombe.docx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 400
    assert "Der Inhalt der Datei passt nicht zur Endung „.docx“." in response.text
    assert peak < 50 * 1024 * 1024
