"""Browser test: the German "too many requests" page has no axe violations (issue 4 item 3;
WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_the_429_page_is_german_and_has_no_axe_violations(live_server, page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    for _ in range(2):
        page.goto(live_server.url + "/konto/login/")
        page.fill("input[name=login]", "niemand@land.example")
        page.fill("input[name=password]", "geraten-Passwort-0000")
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
    assert page.locator("h1").inner_text() == "Zu viele Anfragen"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
