"""Browser test: the public pages have no axe violations (issue 2; WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sitzungen/",
        "/sitzungen/1-dmk/",
        "/beschluesse/",
        "/laender/",
        "/vorsitz/",
        "/vorlagen/konzeptpapier-dmk-2023-11-09/",
        "/en/sitzungen/",
        "/konto/login/",
        "/konto/login/?next=/en/intern/",
    ],
)
def test_public_page_has_no_axe_violations(live_server, public_record, page, path):
    page.goto(live_server.url + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_skip_link_is_the_first_focus_stop(live_server, public_record, page):
    page.goto(live_server.url + "/sitzungen/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#inhalt"
