"""Search, feeds, sitemap and robots.txt list only public objects (issue 7 items 5, 7;
DOMAIN rule 11)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution
from tests.helpers import sitemap_locations
from tests.website.conftest import SECRET_PAPER_TITLE, SECRET_RESOLUTION_TITLE

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def _xml(content: bytes) -> ET.Element:
    """Parse our own feed or sitemap (trusted: produced by the app under test)."""
    return ET.fromstring(content)  # noqa: S314


def _sitemap_locations(client) -> list[str]:
    return sitemap_locations(client)


def test_rule_11_sitemap_lists_public_pages_sessions_and_resolutions_only(client, secrets):
    locations = _sitemap_locations(client)
    paths = {loc.split("testserver", 1)[1] if "testserver" in loc else loc for loc in locations}
    assert "/impressum/" in {p[-len("/impressum/") :] for p in paths}
    assert any(p.endswith("/en/impressum/") for p in paths)
    assert any(p.endswith("/sitzungen/1-dmk/") for p in paths)
    public = Resolution.objects.filter(visibility=Visibility.PUBLIC)
    resolution_paths = {
        p for p in paths if "/beschluesse/" in p and not p.endswith("/beschluesse/")
    }
    german = {p for p in resolution_paths if not p.startswith("/en/")}
    assert len(german) == public.count()
    assert {f"/en{p}" for p in german} == resolution_paths - german
    assert not any("quantenfunk" in p for p in paths)


def test_rule_11_resolution_feeds_list_only_public_resolutions(client, secrets):
    rss = _xml(client.get("/feeds/beschluesse/rss/").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    expected = min(50, Resolution.objects.filter(visibility=Visibility.PUBLIC).count())
    assert len(titles) == expected
    assert SECRET_RESOLUTION_TITLE not in titles
    atom = _xml(client.get("/feeds/beschluesse/atom/").content)
    atom_titles = [entry.findtext(f"{ATOM_NS}title") for entry in atom.iter(f"{ATOM_NS}entry")]
    assert atom_titles == titles


def test_rule_11_feeds_stay_public_for_the_geschaeftsstelle_too(client, secrets):
    from tests.factories import UserFactory
    from tests.helpers import login_with_second_factor

    login_with_second_factor(client, UserFactory(is_superuser=True))
    body = client.get("/feeds/beschluesse/rss/").content.decode()
    assert SECRET_RESOLUTION_TITLE not in body


def test_news_feeds_list_the_press_releases_of_the_language(client, site):
    rss = _xml(client.get("/feeds/aktuelles/rss/").content)
    assert [item.findtext("title") for item in rss.iter("item")] == [
        "Themenseiten zu den Handlungsfeldern",
        "Die Digitalministerkonferenz hat eine gemeinsame Website",
    ]
    atom = _xml(client.get("/en/feeds/aktuelles/atom/").content)
    assert [e.findtext(f"{ATOM_NS}title") for e in atom.iter(f"{ATOM_NS}entry")] == [
        "Topic pages for the fields of action",
        "The Conference of Digital Ministers has a joint website",
    ]


def test_rule_11_search_finds_public_resolutions_and_pages_but_no_secrets(client, secrets):
    html = client.get("/suche/?q=Quantenfunk").content.decode()
    assert SECRET_RESOLUTION_TITLE not in html
    assert "0 Treffer" in html
    html = client.get("/suche/?q=Impressum").content.decode()
    assert 'href="/impressum/"' in html
    public = Resolution.objects.filter(visibility=Visibility.PUBLIC).first()
    html = client.get("/suche/", {"q": public.title}).content.decode()
    assert public.get_absolute_url() in html


def test_rule_11_draft_resolution_and_internal_paper_are_not_on_public_pages(client, secrets):
    for path in ("/", "/beschluesse/", "/sitzungen/1-dmk/", "/themen/staat-verwaltung/"):
        html = client.get(path).content.decode()
        assert SECRET_RESOLUTION_TITLE not in html, path
        assert SECRET_PAPER_TITLE not in html, path
    assert client.get("/beschluesse/geheimer-entwurf-quantenfunk/").status_code == 404
    assert client.get("/vorlagen/interne-vorlage-quantenfunk/").status_code == 404


def test_robots_txt_names_the_sitemap_and_closes_the_internal_areas(client, site):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /intern/" in lines
    assert "Disallow: /verwaltung/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
