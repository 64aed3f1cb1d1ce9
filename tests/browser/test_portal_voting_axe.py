"""Browser test: the session cockpit and the voting page have no axe violations and update
live (issue 6 item 5; WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from dmk.bodies.models import Body
from dmk.meetings.models import Attendance
from dmk.voting.services import (
    ballot_open,
    vote_cast,
    written_procedure_demand_oral,
    written_procedure_start,
    written_vote_cast,
)
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_item, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _log_in(page, live_server, user) -> None:
    client = Client()
    login_with_second_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_the_session_cockpit_has_no_axe_violations(live_server, public_record, page):
    """The cockpit with the roll call (issue 6 newcomer report item 1: one form with a
    checkbox per Land plus a toggle per Land), before and after saving it."""
    session = make_session()
    make_item(session.meeting, 4, institutional=True)
    make_item(session.meeting, 5, in_parliamentary_procedure=True)
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-SL")).delete()
    Attendance.objects.filter(meeting=session.meeting, state=session.state("DE-BE")).update(
        role="further_deputy", representative_name="Dr. Jana Beispiel"
    )
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    vote_cast(
        ballot=ballot, user=session.member("DE-BY"), state=session.state("DE-BY"), choice="yes"
    )
    _log_in(page, live_server, session.secretariat)

    page.goto(f"{live_server.url}/intern/sitzungsleitung/{session.meeting.slug}/")

    assert page.title().startswith("Sitzungsleitung")
    _assert_no_violations(page)

    page.get_by_label("Bremen anwesend").uncheck()
    page.get_by_label("Saarland anwesend").check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    page.get_by_text("Die Anwesenheit ist festgestellt: 15 von 16 Ländern anwesend.").wait_for()
    expect(page.get_by_role("button", name="Bremen als anwesend melden")).to_be_visible()
    _assert_no_violations(page)


def test_the_voting_page_has_no_axe_violations_and_updates_within_a_second(
    live_server, public_record, page
):
    session = make_session()
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    _log_in(page, live_server, session.member("DE-BY"))
    page.goto(f"{live_server.url}/intern/abstimmung/{ballot.pk}/")
    _assert_no_violations(page)

    vote_cast(
        ballot=ballot, user=session.member("DE-HE"), state=session.state("DE-HE"), choice="no"
    )

    status = page.locator(f"#dmk-vote-status-{ballot.pk}")
    status.get_by_text("Hessen: hat abgestimmt").wait_for(timeout=3000)
    assert "1 von 16 Ländern hat abgestimmt." in status.inner_text()


@pytest.mark.parametrize("who", ["secretariat", "member"])
def test_the_written_procedure_pages_have_no_axe_violations(live_server, public_record, page, who):
    session = make_session()
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Erklärung", user=session.secretariat
    )
    written_vote_cast(
        procedure=procedure,
        user=session.member("DE-BY"),
        state=session.state("DE-BY"),
        choice="yes",
    )
    # a stopped one waiting for the next meeting (issue 11, Build 4: the waiting list)
    stopped = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Gestoppt", user=session.secretariat
    )
    written_procedure_demand_oral(
        procedure=stopped, user=session.member("DE-HB"), state=session.state("DE-HB")
    )
    user = session.secretariat if who == "secretariat" else session.member("DE-BY")
    _log_in(page, live_server, user)

    for path in (
        "/intern/umlaufverfahren/",
        f"/intern/umlaufverfahren/{procedure.pk}/",
        f"/intern/umlaufverfahren/{stopped.pk}/",
    ):
        page.goto(live_server.url + path)
        assert page.title().startswith("Umlaufverfahren")
        _assert_no_violations(page)


def test_the_voting_page_with_a_transferred_vote_has_no_axe_violations(
    live_server, public_record, page
):
    """Issue 11 Build 6 (DOMAIN rule 4): Saarland's vote transferred to Bayern shows as
    "Stimme für Saarland (übertragen)" next to Bayern's own, with an explaining note."""
    from dmk.voting.services import vote_transfer_create

    session = make_session()
    vote_transfer_create(
        meeting=session.meeting,
        from_state=session.state("DE-SL"),
        to_state=session.state("DE-BY"),
        from_agenda_item=session.items[0],
        user=session.secretariat,
    )
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    _log_in(page, live_server, session.member("DE-BY"))

    page.goto(f"{live_server.url}/intern/abstimmung/{ballot.pk}/")

    expect(
        page.get_by_role("button", name="Stimme für Saarland (übertragen) abgeben")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Stimme für Bayern abgeben")).to_be_visible()
    _assert_no_violations(page)


def test_the_written_correction_forms_have_no_axe_violations(live_server, public_record, page):
    """Issue 11 Build 2 (DOMAIN rule 8): the Geschäftsstelle's correction forms, open, after
    a refused correction (message next to the choice) and after a correction (the note), and
    the corrected Land's view of the note."""
    session = make_session()
    procedure = written_procedure_start(
        body=Body.objects.get(short_name="DMK"), title="Erklärung", user=session.secretariat
    )
    for code, choice in (("DE-BY", "yes"), ("DE-HE", "abstain")):
        written_vote_cast(
            procedure=procedure,
            user=session.member(code),
            state=session.state(code),
            choice=choice,
            cabinet_reservation=code == "DE-HE",
        )
    url = f"{live_server.url}/intern/umlaufverfahren/{procedure.pk}/"
    _log_in(page, live_server, session.secretariat)
    page.goto(url)
    page.locator("summary", has_text="Antwort von Hessen berichtigen").click()
    page.locator("summary", has_text="Antwort von Bayern berichtigen").click()
    _assert_no_violations(page)

    hessen = page.locator(f"#correct-{session.state('DE-HE').pk}")
    hessen.get_by_label("Grund der Berichtigung").fill("Versehen")
    hessen.get_by_role("button", name="Antwort von Hessen berichtigen").click()
    page.get_by_text("Die Berichtigung ändert nichts: Die Antwort von Hessen").wait_for()
    _assert_no_violations(page)

    bayern = page.locator(f"#correct-{session.state('DE-BY').pk}")
    if not bayern.is_visible():
        page.locator("summary", has_text="Antwort von Bayern berichtigen").click()
    bayern.get_by_label("Nein").check()
    bayern.get_by_label("Grund der Berichtigung").fill("Schreiben Bayerns vom 3. Dezember")
    bayern.get_by_role("button", name="Antwort von Bayern berichtigen").click()
    page.get_by_text("Die Antwort von Bayern ist berichtigt.").wait_for()
    page.locator("summary", has_text="Antwort von Bayern berichtigen").click()
    expect(page.get_by_text("Grund: Schreiben Bayerns vom 3. Dezember")).to_be_visible()
    _assert_no_violations(page)

    _log_in(page, live_server, session.member("DE-BY"))
    page.goto(url)
    expect(page.get_by_text("Grund: Schreiben Bayerns vom 3. Dezember")).to_be_visible()
    _assert_no_violations(page)
