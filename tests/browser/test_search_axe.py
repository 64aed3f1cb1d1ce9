"""Browser test: the internal search page with hits, facets and a marked PDF snippet, and the
header's quick search, have no axe violations and work with the keyboard (issue 13 item 4;
WCAG 2.1/2.2 AA)."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from dmk.core.enums import Visibility
from dmk.papers import services as paper_services
from tests.documents.conftest import make_pdf
from tests.factories import PaperFactory, StateFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_search_page_and_quick_search_have_no_axe_violations(
    live_server, page, log_in_browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    land = StateFactory(code="DE-BY", name_de="Bayern")
    member = user_with_role(MembershipRole.MEMBER, land, email="by@land.example")
    paper = PaperFactory(
        title="Lagebild Quantenkryptografie", visibility=Visibility.INTERNAL, author_state=land
    )
    pages = ["Einleitung"] * 6 + ["Die Quantenkryptografie steht auf Seite sieben."]
    paper_services.paper_file_add(
        actor=member, paper=paper, name="lagebild.pdf", stream=io.BytesIO(make_pdf(pages))
    )
    log_in_browser(page, member)

    response = page.goto(f"{live_server.url}/intern/suche/?q=Quantenkryptografie")
    assert response.status == 200
    expect(page.get_by_text("lagebild.pdf, Seite 7:")).to_be_visible()
    expect(page.get_by_label("Art")).to_be_visible()
    _assert_no_violations(page)

    page.goto(f"{live_server.url}/intern/")
    page.get_by_label("Im internen Bereich suchen").press_sequentially("Quantenkrypto")
    link = page.locator("#schnellsuche-treffer").get_by_role("link", name=paper.title)
    link.wait_for()
    _assert_no_violations(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Suchen"
