"""A resolution's own PDF on its public page (issue 12 item 4; DOMAIN rules 6, 11)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dmk.bodies.models import Body
from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution
from tests.voting.scenario import make_meeting

pytestmark = pytest.mark.django_db


def _resolution(visibility: str) -> Resolution:
    meeting = make_meeting()
    return Resolution.objects.create(
        body=Body.objects.get(short_name="DMK"),
        meeting=meeting,
        slug=f"beschluss-{visibility}",
        number="DMK 2026/03",
        title="Gemeinsame Leitlinien für sichere Videokonferenzen",
        text_html="<p>Die DMK empfiehlt den Ländern gemeinsame Leitlinien.</p>",
        visibility=visibility,
    )


def test_a_public_resolution_has_a_tagged_pdf_with_its_number_title_and_text(public_record, client):
    resolution = _resolution(Visibility.PUBLIC)

    response = client.get(f"/beschluesse/{resolution.slug}/beschluss.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "DMK 2026/03: Gemeinsame Leitlinien für sichere Videokonferenzen" in text
    assert "Die DMK empfiehlt den Ländern gemeinsame Leitlinien." in text
    page = client.get(f"/beschluesse/{resolution.slug}/").content.decode()
    assert f'href="/beschluesse/{resolution.slug}/beschluss.pdf"' in page


def test_a_draft_resolutions_pdf_is_not_found_for_the_public(public_record, client):
    resolution = _resolution(Visibility.DRAFT)

    assert client.get(f"/beschluesse/{resolution.slug}/beschluss.pdf").status_code == 404
