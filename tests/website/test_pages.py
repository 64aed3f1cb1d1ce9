"""Every page type of the public website renders in German and English (issue 7 items 1, 4)."""

from __future__ import annotations

import re

import pytest

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution
from dmk.website.models import (
    ContactPage,
    NewsIndexPage,
    PressReleasePage,
    StandardPage,
    TopicPage,
)
from dmk.website.site_content import SAMPLE_DE, SAMPLE_EN, load_site_content

pytestmark = pytest.mark.django_db

PAGES = [
    ("/", "de", "Digitalministerkonferenz"),
    ("/en/", "en", "Conference of Digital Ministers"),
    ("/impressum/", "de", "Impressum"),
    ("/en/impressum/", "en", "Legal notice"),
    ("/datenschutz/", "de", "Datenschutzerklärung"),
    ("/en/datenschutz/", "en", "Privacy notice"),
    ("/barrierefreiheit/", "de", "Erklärung zur Barrierefreiheit"),
    ("/en/barrierefreiheit/", "en", "Accessibility statement"),
    ("/leichte-sprache/", "de", "Leichte Sprache"),
    ("/en/leichte-sprache/", "en", "Easy-to-read German"),
    ("/gebaerdensprache/", "de", "Video folgt."),
    ("/en/gebaerdensprache/", "en", "Sign language"),
    ("/kontakt/", "de", "Kontakt"),
    ("/en/kontakt/", "en", "Contact"),
    ("/aktuelles/", "de", "Die Digitalministerkonferenz hat eine gemeinsame Website"),
    ("/en/aktuelles/", "en", "The Conference of Digital Ministers has a joint website"),
    ("/aktuelles/neue-website/", "de", "Pressemitteilung vom"),
    ("/en/aktuelles/neue-website/", "en", "Everyone should easily find"),
    ("/themen/", "de", "Themen"),
    ("/en/themen/", "en", "Topics"),
    ("/themen/staat-verwaltung/", "de", "Digitale Transformation von Staat und Verwaltung"),
    ("/en/themen/staat-verwaltung/", "en", "Resolutions on this topic"),
    ("/suche/?q=Daten", "de", "Suche"),
    ("/en/suche/?q=data", "en", "Search"),
]


@pytest.mark.parametrize(("path", "language", "expected"), PAGES)
def test_page_renders_in_its_language(client, site, path, language, expected):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    assert expected in html


def test_every_page_type_exists_in_german_and_english(site):
    for model in (StandardPage, NewsIndexPage, PressReleasePage, TopicPage, ContactPage):
        languages = set(model.objects.live().values_list("locale__language_code", flat=True))
        assert languages == {"de", "en"}, model


def test_load_site_content_is_idempotent(site):
    assert load_site_content() == 0


def test_legal_pages_carry_marked_sample_text(client, site):
    for slug in ("impressum", "datenschutz", "barrierefreiheit"):
        assert SAMPLE_DE in client.get(f"/{slug}/").content.decode()
        assert SAMPLE_EN in client.get(f"/en/{slug}/").content.decode()


def test_start_page_links_easy_language_and_sign_language(client, site):
    """BITV 2.0 §4: Leichte Sprache and Gebärdensprache from the start page."""
    html = client.get("/").content.decode()
    main = html[html.index('<main id="inhalt"') : html.index("</main>")]
    assert 'href="/leichte-sprache/"' in main
    assert 'href="/gebaerdensprache/"' in main
    english = client.get("/en/").content.decode()
    assert 'href="/en/leichte-sprache/"' in english[: english.index("</main>")]


def test_footer_links_the_legal_pages_and_the_feedback_form_on_every_page(client, site):
    for path in ("/", "/beschluesse/", "/impressum/", "/sitzungen/1-dmk/"):
        html = client.get(path).content.decode()
        footer = html[html.index("<footer") :]
        for href in (
            "/impressum/",
            "/datenschutz/",
            "/barrierefreiheit/",
            "/kontakt/?betreff=barrierefreiheit",
            "/leichte-sprache/",
            "/gebaerdensprache/",
            "/kontakt/",
        ):
            assert f'href="{href}"' in footer, (path, href)


def test_skip_link_comes_before_everything_else_in_the_body(client, site):
    html = client.get("/").content.decode()
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#inhalt"' in first_link


def test_language_switch_keeps_the_page(client, site):
    html = client.get("/impressum/").content.decode()
    assert 'href="/en/impressum/" hreflang="en"' in html
    english = client.get("/en/impressum/").content.decode()
    assert 'href="/impressum/" hreflang="de"' in english
    archive = client.get("/beschluesse/?jahr=2024").content.decode()
    assert 'href="/en/beschluesse/?jahr=2024" hreflang="en"' in archive


def _translation_lookups(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # the switch's query: the page of the same translation key in a language given by its
    # code (Wagtail's own routing to /en/ asks by locale id)
    return sum(
        '"translation_key" =' in query["sql"] and '"language_code" =' in query["sql"]
        for query in queries.captured_queries
    )


def test_language_switch_of_the_home_page_is_the_other_home_without_a_query(client, site):
    """Issue 17 item 1: the home page's translation is that language's home ("/" or
    "/en/"): the switch asks the database only on other pages."""
    assert 'href="/en/" hreflang="en"' in client.get("/").content.decode()
    assert 'href="/" hreflang="de"' in client.get("/en/").content.decode()
    assert _translation_lookups(client, "/") == 0
    assert _translation_lookups(client, "/en/") == 0
    assert _translation_lookups(client, "/impressum/") == 1


def test_sign_language_page_offers_captions_and_transcript_without_a_fake_video(client, site):
    html = client.get("/gebaerdensprache/").content.decode()
    assert "<video" not in html
    assert "Video folgt." in html
    assert 'href="/static/website/gebaerdensprache.de.vtt" download' in html
    assert "Die Digitalministerinnen und Digitalminister der 16 Länder" in html


def test_captions_file_is_webvtt(client, site):
    from django.contrib.staticfiles import finders

    with open(finders.find("website/gebaerdensprache.de.vtt"), encoding="utf-8") as vtt:
        assert vtt.readline().strip() == "WEBVTT"


def test_topic_page_lists_only_public_resolutions_of_its_topic(client, secrets):
    from dmk.bodies.models import Topic

    topic = Topic.objects.get(slug="staat-verwaltung")
    secrets["resolution"].topics.add(topic)
    html = client.get("/themen/staat-verwaltung/").content.decode()
    assert "Geheimer Entwurf" not in html
    public = Resolution.objects.filter(topics=topic, visibility=Visibility.PUBLIC)
    assert public.exists()
    for resolution in public:
        assert resolution.get_absolute_url() in html
