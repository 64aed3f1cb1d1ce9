"""Fixtures of the website tests: the real record plus the website's own pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from dmk.core.enums import Visibility
from dmk.meetings.models import Meeting
from dmk.resolutions.models import Resolution

SECRET_RESOLUTION_TITLE = "Geheimer Entwurf Quantenfunk"
SECRET_PAPER_TITLE = "Interne Vorlage Quantenfunk"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(site_content) -> None:
    """The real DMK record and the website's German and English pages."""


@pytest.fixture
def secrets(site) -> dict[str, object]:
    """A draft resolution and an internal paper of the first session; both contain the word
    "Quantenfunk" in title and text (DOMAIN rule 11: never shown publicly)."""
    from tests.factories import PaperFactory

    meeting = Meeting.objects.get(slug="1-dmk")
    resolution = Resolution.objects.create(
        body=meeting.body,
        meeting=meeting,
        slug="geheimer-entwurf-quantenfunk",
        title=SECRET_RESOLUTION_TITLE,
        text_html="<p>Quantenfunk für alle Länder.</p>",
        visibility=Visibility.DRAFT,
    )
    paper = PaperFactory(
        body=meeting.body,
        slug="interne-vorlage-quantenfunk",
        title=SECRET_PAPER_TITLE,
        visibility=Visibility.INTERNAL,
    )
    return {"resolution": resolution, "paper": paper}
