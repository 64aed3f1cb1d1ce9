"""Browser tests of the public website: axe on every page type in German and English, on a
desktop and a 375px wide screen, including the contact form with errors; keyboard access
(issue 7; BITV 2.0 / WCAG 2.1 AA, WCAG 2.2 AA tags)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dmk.website.site_content import load_site_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PAGE_TYPES = [
    "/",  # HomePage
    "/impressum/",  # StandardPage
    "/datenschutz/",  # StandardPage with accordion
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/gebaerdensprache/",  # StandardPage with sign-language block
    "/aktuelles/",  # NewsIndexPage
    "/aktuelles/neue-website/",  # PressReleasePage with quote
    "/themen/staat-verwaltung/",  # TopicPage
    "/kontakt/",  # ContactPage
    "/beschluesse/?jahr=2024",  # archive with filters
    "/beschluesse/?jahr=1850",  # archive with a filter error
    "/suche/?q=Daten",  # search
]


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        return [f"{url}: {results.generate_report()}"]
    return []


@pytest.fixture
def website(public_record):
    load_site_content()


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_type_in_both_languages_has_no_axe_violations(live_server, website, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures: list[str] = []
    for path in PAGE_TYPES:
        failures += _violations(page, live_server.url + path)
        failures += _violations(page, live_server.url + "/en" + path)
    assert failures == []


@pytest.mark.parametrize("width", [1280, 375])
def test_contact_form_with_validation_errors_has_no_axe_violations(
    live_server, website, page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/kontakt/")
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "keine-adresse")
    page.click("button[type=submit]")
    expect(page.locator(".kern-error")).to_have_count(3)  # e-mail, subject, message
    assert page.input_value("#id_name") == "Erika Mustermann"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_skip_link_is_the_first_focus_stop_and_focus_is_visible(live_server, website, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#inhalt"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_page_fits_a_375px_screen_without_horizontal_scrolling(live_server, website, page):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/", "/en/", "/impressum/", "/kontakt/", "/beschluesse/", "/gebaerdensprache/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
