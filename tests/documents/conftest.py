"""Fixtures for the search tests (issue 13): a temporary MEDIA_ROOT, real office files built
in the test, and a cast of users of two Länder, a guest and the Geschäftsstelle."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from dmk.bodies.models import MembershipRole, State
from tests.factories import StateFactory, user_with_role
from tests.helpers import secretariat_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF (WeasyPrint) with one page per string of ``pages``."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-after: always"><p>{text}</p></section>' for text in pages
    )
    return HTML(string=f"<html lang='de'><body>{body}</body></html>").write_pdf()


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(paragraphs: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kosten"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Cast:
    land_a: State
    land_b: State
    member_a: object
    member_b: object
    guest: object
    secretariat: object


@pytest.fixture
def cast(db) -> Cast:
    land_a = StateFactory(name_de="Bayern", code="DE-BY")
    land_b = StateFactory(name_de="Berlin", code="DE-BE")
    return Cast(
        land_a=land_a,
        land_b=land_b,
        member_a=user_with_role(MembershipRole.MEMBER, land_a, email="a@land.example"),
        member_b=user_with_role(MembershipRole.MEMBER, land_b, email="b@land.example"),
        guest=user_with_role(MembershipRole.GUEST, None, email="gast@example.org"),
        secretariat=secretariat_user(email="gs@dmk.example"),
    )
