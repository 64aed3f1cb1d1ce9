"""Checking uploads by extension and content (issue 5 item 3, bad input)."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError

from dmk.papers.files import MAX_FILE_SIZE, check_upload, store_atomically
from tests.papers.conftest import PDF, make_docx, make_odt, make_xlsx


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("bericht.pdf", PDF, "application/pdf"),
        (
            "beschluss.DOCX",
            make_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tabelle.xlsx",
            make_xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("text.odt", make_odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_the_four_allowed_types_pass_when_content_matches(name, data, content_type):
    checked = check_upload(name, io.BytesIO(data))
    assert checked.content_type == content_type
    assert checked.data == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bericht.pdf",
            make_docx(),
            "Der Inhalt der Datei passt nicht zur Endung „.pdf“. Bitte laden Sie eine echte "
            "PDF-Datei hoch.",
        ),
        (
            "tabelle.xlsx",
            make_docx(),
            "Der Inhalt der Datei passt nicht zur Endung „.xlsx“. Bitte laden Sie eine echte "
            "XLSX-Datei hoch.",
        ),
        (
            "text.odt",
            make_docx(),
            "Der Inhalt der Datei passt nicht zur Endung „.odt“. Bitte laden Sie eine echte "
            "ODT-Datei hoch.",
        ),
        (
            "programm.exe",
            b"MZ",
            "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, DOCX, ODT und XLSX.",
        ),
        ("leer.pdf", b"", "Die Datei ist leer."),
        ("gross.pdf", b"%PDF-" + b"0" * MAX_FILE_SIZE, "Die Datei ist größer als 20 MB."),
    ],
)
def test_bad_files_are_refused_with_a_german_message(name, data, message):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(name, io.BytesIO(data))
    assert excinfo.value.messages == [message]


def test_a_file_is_stored_under_a_new_name_without_temporary_leftovers(media_root):
    checked = check_upload("bericht.pdf", io.BytesIO(PDF))
    name = store_atomically(checked, directory="papers/7")
    folder = media_root / "papers" / "7"
    assert os.listdir(folder) == [os.path.basename(name)]
    assert (folder / os.path.basename(name)).read_bytes() == PDF
