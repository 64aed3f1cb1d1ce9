"""The public archive pages answer with the real record (issue 2 item 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Digitalministerkonferenz"),
        ("/sitzungen/", "Ingelheim am Rhein"),
        ("/sitzungen/1-dmk/", "19. April 2024"),
        ("/beschluesse/", "Digitale Agenda 2025"),
        ("/laender/", "Thüringen"),
        ("/vorsitz/", "Berlin und Brandenburg"),
        ("/vorlagen/konzeptpapier-dmk-2023-11-09/", "Stimmrechtsübertragung"),
    ],
)
def test_public_page_shows_the_real_record(client, public_record, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_first_session_page_names_potsdam_venue_chair_and_resolutions(client, public_record):
    html = client.get("/sitzungen/1-dmk/").content.decode()
    for text in (
        "Potsdam",
        "Hasso-Plattner-Institut",
        "19. April 2024",
        "Brandenburg",
        "Künstliche Intelligenz in der Arbeitswelt",
    ):
        assert text in html


def test_sessions_list_dated_upcoming_first_then_the_undated_planned_one_then_past_ones(
    client, public_record
):
    """Dated upcoming sessions lead (newest date first), the undated planned session follows
    them, the past sessions come last, newest first (``meetings.selectors.meeting_list``)."""
    from django.utils import timezone

    from tests.factories import MeetingFactory

    today = timezone.localdate()
    MeetingFactory(name="5. Digitalministerkonferenz", start_date=today + timedelta(weeks=10))
    MeetingFactory(name="6. Digitalministerkonferenz", start_date=today + timedelta(weeks=30))

    response = client.get("/sitzungen/")

    assert [m.name for m in response.context["meetings"]] == [
        "6. Digitalministerkonferenz",
        "5. Digitalministerkonferenz",
        "Frühjahrssitzung 2026 der Digitalministerkonferenz (geplant)",
        "4. Digitalministerkonferenz",
        "3. Digitalministerkonferenz",
        "Sonder-Digitalministerkonferenz",
        "2. Digitalministerkonferenz",
        "1. Digitalministerkonferenz (konstituierende Sitzung)",
        "D16: Beschluss zur Gründung der Digitalministerkonferenz",
    ]


def test_two_day_session_shows_both_dates(client, public_record):
    html = client.get("/sitzungen/2-dmk/").content.decode()
    assert "17. Oktober 2024 – 18. Oktober 2024" in html


def test_founding_concept_downloads_under_its_file_name(client, public_record):
    response = client.get("/vorlagen/konzeptpapier-dmk-2023-11-09/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="konzeptpapier-dmk-2023-11-09.md"; '
        "filename*=UTF-8''konzeptpapier-dmk-2023-11-09.md"
    )
    assert response.content.decode().startswith("\n\n# Konzeptpapier")


def test_english_prefix_serves_the_archive_in_english(client, public_record):
    response = client.get("/en/sitzungen/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_unknown_session_is_404(client, public_record):
    assert client.get("/sitzungen/99-dmk/").status_code == 404
