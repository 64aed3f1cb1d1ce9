"""Browser tests: the German "too many requests" page (issue 4 item 3) and the invitation
pages (item 1) have no axe violations (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from dmk.accounts.models import Invitation, User
from dmk.core.tokens import hash_token

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


def test_the_invitation_pages_have_no_axe_violations(live_server, page):
    """Issue 4 item 1: the form "Passwort festlegen", the form with an error and the page of
    an invalid link (WCAG 2.1 AA)."""
    token = "browser-test-token-0123456789abcdefghijklmnop"
    user = User.objects.create_user("eingeladen@land.example", None, is_active=False)
    now = timezone.now()
    Invitation.objects.create(
        email=user.email,
        user=user,
        token_hash=hash_token(token),
        created_at=now,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}

    page.goto(f"{live_server.url}/konto/einladung/{token}/")
    assert page.locator("h1").inner_text() == "Passwort festlegen"
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()

    page.fill("input[name=password1]", "zu-kurz")
    page.fill("input[name=password2]", "zu-kurz")
    with page.expect_navigation():
        page.press("input[name=password2]", "Enter")
    assert page.locator("#password1-error").inner_text().startswith("Dieses Passwort ist zu kurz.")
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()

    page.goto(f"{live_server.url}/konto/einladung/gibt-es-nicht/")
    assert page.locator("h1").inner_text() == "Einladung ungültig"
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
