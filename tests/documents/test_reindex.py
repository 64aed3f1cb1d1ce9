"""``manage.py search_reindex`` (issue 13 item 6): idempotent, counts failures, goes on."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dmk.core.enums import Visibility
from dmk.documents.extraction import ExtractionStatus
from dmk.documents.models import FileText, SearchEntry
from dmk.papers.models import PaperFile
from tests.documents.conftest import make_docx
from tests.factories import MeetingFactory, PaperFactory

pytestmark = pytest.mark.django_db


def _store(paper, name: str, data: bytes) -> PaperFile:
    """A file row without the upload's extraction task (as after an import)."""
    from django.core.files.base import ContentFile

    paper_file = PaperFile(
        paper=paper,
        version=1,
        original_name=name,
        content_type="x",
        size=len(data),
        sha256="0" * 64,
    )
    paper_file.file.save(name, ContentFile(data), save=False)
    paper_file.save()
    return paper_file


def test_reindex_reads_missing_file_texts_writes_every_row_and_is_idempotent(cast):
    paper = PaperFactory(title="Alte Vorlage", visibility=Visibility.INTERNAL)
    MeetingFactory(name="Frühjahrssitzung")
    paper_file = _store(paper, "alt.docx", make_docx(["Nachgetragenes Stichwort"]))
    SearchEntry.objects.all().delete()

    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    first = sorted(SearchEntry.objects.values_list("kind", "title", "terms"))
    call_command("search_reindex", stdout=io.StringIO())
    second = sorted(SearchEntry.objects.values_list("kind", "title", "terms"))

    assert FileText.objects.get(file_id=paper_file.pk).status == ExtractionStatus.OK
    assert first == second
    assert {("paper", "Alte Vorlage"), ("meeting", "Frühjahrssitzung")} <= {
        (kind, title) for kind, title, _terms in first
    }
    assert "0 Fehler" in out.getvalue()
    assert "Dateien papers.PaperFile: 1/1" in out.getvalue()


def test_reindex_removes_rows_whose_object_is_gone(cast):
    paper = PaperFactory(title="Verschwunden", visibility=Visibility.PUBLIC)
    SearchEntry.objects.filter(paper=paper).update(source_id=987654)

    call_command("search_reindex", stdout=io.StringIO())

    assert list(SearchEntry.objects.filter(kind="paper").values_list("source_id", flat=True)) == [
        paper.pk
    ]


def test_reindex_counts_a_failing_object_and_goes_on(cast, monkeypatch):
    from dmk.documents import registry

    PaperFactory(title="Erste", visibility=Visibility.PUBLIC)
    PaperFactory(title="Zweite", visibility=Visibility.PUBLIC)
    original = registry.index_object
    calls = {"n": 0}

    def flaky(obj):
        if getattr(obj, "title", "") == "Erste":
            calls["n"] += 1
            raise RuntimeError("kaputt")
        return original(obj)

    monkeypatch.setattr("dmk.documents.management.commands.search_reindex.index_object", flaky)
    SearchEntry.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 Fehler"):
        call_command("search_reindex", stdout=out, stderr=err)

    assert calls["n"] == 1
    assert "1 Fehler" in out.getvalue()
    assert list(SearchEntry.objects.filter(kind="paper").values_list("title", flat=True)) == [
        "Zweite"
    ]
