"""Browser test: the calendar subscription page ``/intern/kalender/`` has no axe violations
before and after creating a feed (issue 5 item 5; WCAG 2.1/2.2 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, give_totp, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_the_calendar_page_has_no_axe_violations_before_and_after_creating_a_feed(
    live_server, page, log_in_browser
):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB", name_de="Bremen"))
    give_totp(member)
    log_in_browser(page, member)
    response = page.goto(f"{live_server.url}/intern/kalender/")
    assert response.status == 200
    _assert_no_violations(page)
    page.get_by_role("button", name="Kalender-Abo erstellen").click()
    assert "/kalender/" in page.get_by_label("Abo-Adresse").input_value()
    _assert_no_violations(page)
    page.get_by_role("button", name="Abo widerrufen").click()
    expect(page.get_by_text("Das Kalender-Abo ist widerrufen.")).to_be_visible()
    _assert_no_violations(page)
