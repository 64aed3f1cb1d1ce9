"""Fixtures for the minutes and meeting-pack tests: a temporary MEDIA_ROOT, a held meeting
of the 16 real Länder with papers and files."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dmk.papers.models import Consultation, Paper, PaperFile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DMK_PACK_RETRY_DELAY = 0
    settings.DMK_MAIL_RETRY_DELAY = 0
    return settings.MEDIA_ROOT


def pdf_bytes(pages: int, title: str = "Vorlage") -> bytes:
    """A valid PDF of ``pages`` blank A4 pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="geheim", owner_password="noch-geheimer")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BROKEN_PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_file(paper: Paper, name: str, data: bytes, content_type: str = "application/pdf"):
    """Store ``data`` as the next version of ``paper``'s file ``name``."""
    version = paper.files.filter(original_name=name).count() + paper.files.count() + 1
    stored = default_storage.save(f"papers/{paper.pk}/{version}-{name}", ContentFile(data))
    return PaperFile.objects.create(
        paper=paper,
        version=version,
        original_name=name,
        file=stored,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def add_paper(item, title: str, *, state=None, visibility: str = "internal") -> Paper:
    from tests.factories import PaperFactory

    paper = PaperFactory(
        title=title,
        visibility=visibility,
        author_state=state,
        body=item.meeting.body,
    )
    Consultation.objects.create(paper=paper, meeting=item.meeting, agenda_item=item)
    return paper
