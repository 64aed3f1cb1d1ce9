"""Public pages are cacheable per language and purged on change (issue 7 item 6)."""

from __future__ import annotations

import pytest

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.DMK_PAGE_CACHE = True


def test_public_page_carries_cache_headers(client, site):
    response = client.get("/beschluesse/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Vary"] == "Accept-Language, Cookie"


def test_matching_etag_answers_304(client, site):
    etag = client.get("/impressum/")["ETag"]
    assert client.get("/impressum/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_pages_are_cached_per_language(client, site, page_cache):
    assert client.get("/beschluesse/")["X-DMK-Cache"] == "miss"
    assert client.get("/beschluesse/")["X-DMK-Cache"] == "hit"
    english = client.get("/en/beschluesse/")
    assert english["X-DMK-Cache"] == "miss"
    assert '<html lang="en"' in english.content.decode()


def test_publishing_a_resolution_purges_the_cache(client, site, page_cache):
    client.get("/beschluesse/")
    assert client.get("/beschluesse/")["X-DMK-Cache"] == "hit"
    resolution = Resolution.objects.filter(visibility=Visibility.PUBLIC).first()
    resolution.title = "Neu gefasster Titel zur Cache-Probe"
    resolution.save()
    response = client.get("/beschluesse/")
    assert response["X-DMK-Cache"] == "miss"
    assert "Neu gefasster Titel zur Cache-Probe" in response.content.decode()


def test_publishing_a_page_purges_the_cache(client, site, page_cache):
    from dmk.website.models import StandardPage

    client.get("/impressum/")
    assert client.get("/impressum/")["X-DMK-Cache"] == "hit"
    page = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    page.title = "Impressum (neu)"
    page.save_revision().publish()
    response = client.get("/impressum/")
    assert response["X-DMK-Cache"] == "miss"
    assert "Impressum (neu)" in response.content.decode()


def test_contact_form_with_csrf_token_is_not_publicly_cached(client, site, page_cache):
    response = client.get("/kontakt/")
    assert response.get("Cache-Control") != "public, max-age=300"
    assert not response.has_header("X-DMK-Cache")


def test_logged_in_users_are_never_cached(client, site, page_cache):
    from tests.factories import UserFactory
    from tests.helpers import login_with_second_factor

    login_with_second_factor(client, UserFactory())
    response = client.get("/beschluesse/")
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("X-DMK-Cache")
