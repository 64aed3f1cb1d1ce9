"""Browser test: the paginated archive lists have no axe violations (issue 17 item 1)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize(
    "path", ["/beschluesse/?seite=2", "/beschluesse/?jahr=2024&seite=2", "/en/sitzungen/?seite=2"]
)
def test_a_middle_page_of_an_archive_list_has_no_axe_violations(
    live_server, public_record, page, settings, path
):
    settings.DMK_ARCHIVE_PAGE_SIZE = 2
    page.goto(live_server.url + path)
    assert page.locator("nav.dmk-pagination a[aria-current='page']").inner_text() == "2"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
