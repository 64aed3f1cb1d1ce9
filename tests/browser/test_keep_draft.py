"""Browser test: typed text survives an expired session (issue 18 item 6).

A Land's staff member edits a paper, the session expires on the server, "Speichern" leads to
the login; after logging in again (password and second factor, in the browser) the form shows
the typed text, with a notice; saving then stores it and the draft is gone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from dmk.papers.models import Paper
from tests.factories import PASSWORD, PaperFactory, StateFactory, give_totp, user_with_role
from tests.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TYPED = "Die DMK möge beschließen: Registermodernisierung bis 2028 – mit Zeitplan."


def test_text_typed_before_the_session_expired_is_back_after_the_login(
    live_server, page, log_in_browser
):
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    user = user_with_role(MembershipRole.STATE_STAFF, bremen)
    secret = give_totp(user)
    paper = PaperFactory(author_state=bremen, title="Cloud", text_source="Alter Text")
    log_in_browser(page, user)
    edit_url = f"{live_server.url}/intern/vorlagen/{paper.slug}/bearbeiten/"
    page.goto(edit_url)
    page.get_by_label("Text").fill(TYPED)

    Session.objects.all().delete()  # the idle timeout passed: the server forgot the session
    page.get_by_role("button", name="Speichern").click()

    page.wait_for_url("**/konto/login/**")
    paper.refresh_from_db()
    assert paper.text_source == "Alter Text"
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").first.click()

    page.wait_for_url(edit_url)
    assert page.get_by_label("Text").input_value() == TYPED
    notice = page.locator(".dmk-draft-notice")
    assert notice.get_attribute("role") == "status"
    assert "wiederhergestellt" in notice.inner_text()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_url(f"{live_server.url}/intern/vorlagen/{paper.slug}/")
    assert Paper.objects.get(pk=paper.pk).text_source == TYPED
    drafts = page.evaluate(
        "Object.keys(sessionStorage).filter(function (k) { return k.indexOf('dmk-draft') === 0; })"
    )
    assert drafts == []
    page.goto(edit_url)
    assert page.get_by_label("Text").input_value() == TYPED
    expect(page.locator(".dmk-draft-notice")).to_have_count(0)
