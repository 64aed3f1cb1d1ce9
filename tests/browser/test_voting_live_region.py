"""Browser test: the voting page announces each event once in a polite live region (issue 18
item 7): opened at page load, closed with the result and one sentence per Land — never the
vote count that the status part replaces every second."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from dmk.voting.services import ballot_close, ballot_open, vote_cast
from tests.voting.scenario import make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
COUNT_CHANGES = """() => {
  window.dmkLiveChanges = 0;
  new MutationObserver((records) => { window.dmkLiveChanges += records.length; })
    .observe(document.getElementById('dmk-vote-live'),
             {childList: true, characterData: true, subtree: true});
}"""


def test_the_live_region_says_opened_and_closed_once_each_and_never_ticks(
    live_server, public_record, page, log_in_browser
):
    session = make_session()
    item = session.items[0]
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    log_in_browser(page, session.member("DE-BY"))
    page.goto(f"{live_server.url}/intern/abstimmung/{ballot.pk}/")

    live = page.locator("#dmk-vote-live")
    assert (live.get_attribute("role"), live.get_attribute("aria-live")) == ("status", "polite")
    opened = f"Die Abstimmung zu TOP {item.number or item.order} ist eröffnet."
    page.wait_for_function(
        "text => document.getElementById('dmk-vote-live').textContent === text", arg=opened
    )
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    page.evaluate(COUNT_CHANGES)

    vote_cast(
        ballot=ballot, user=session.member("DE-HE"), state=session.state("DE-HE"), choice="no"
    )
    status = page.locator(f"#dmk-vote-status-{ballot.pk}")
    status.get_by_text("Hessen: hat abgestimmt").wait_for(timeout=5000)
    page.wait_for_timeout(2500)  # two more polls
    assert live.text_content() == opened
    assert page.evaluate("window.dmkLiveChanges") == 0

    ballot_close(ballot=ballot, user=session.secretariat)
    status = page.locator(f"#dmk-vote-status-{ballot.pk}")
    status.get_by_text("Stimmen je Land").first.wait_for(timeout=5000)
    page.wait_for_timeout(2500)
    text = live.text_content()
    assert text.startswith(f"Die Abstimmung zu TOP {item.number or item.order} ist geschlossen. ")
    assert "Hessen hat mit Nein gestimmt." in text
    assert "Bayern hat nicht abgestimmt." in text
    assert page.evaluate("window.dmkLiveChanges") == 1
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
