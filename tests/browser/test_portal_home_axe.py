"""Browser test: the portal start page has no axe violations (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, user_with_role
from tests.helpers import secretariat_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_portal_home_has_no_axe_violations(live_server, public_record, page, log_in_browser, who):
    if who == "member":
        user = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    else:
        user = secretariat_user()
    log_in_browser(page, user)
    page.goto(live_server.url + "/intern/")
    assert page.locator("h1").inner_text() == "Interner Bereich"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
