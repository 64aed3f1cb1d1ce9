"""Browser test: the follow-up page (with a form error) and a public resolution page with
its per-Land vote table have no axe violations (issue 6 item 6; WCAG 2.1/2.2 AA)."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import Attendance
from dmk.resolutions.services import followup_create, resolution_adopt, resolution_release
from dmk.voting.services import ballot_close, ballot_open, vote_cast
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    StateFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_followup_page_with_error_and_public_vote_table_have_no_axe_violations(
    live_server, page, log_in_browser
):
    states = [
        StateFactory(code=code, name_de=name)
        for code, name in (("DE-BY", "Bayern"), ("DE-BE", "Berlin"), ("DE-HB", "Bremen"))
    ]
    secretariat = user_with_role(MembershipRole.SECRETARIAT, email="gs@dmk.example")
    member = user_with_role(MembershipRole.MEMBER, states[0], email="by@land.example")
    meeting = MeetingFactory(body=BodyFactory(), start_date=timezone.localdate())
    item = AgendaItemFactory(meeting=meeting, title="Föderale Cloud")
    for state in states:
        Attendance.objects.create(meeting=meeting, state=state, present=True)
    ballot = ballot_open(agenda_item=item, user=secretariat)
    for state, choice in zip(states[:2], ("yes", "yes"), strict=True):
        vote_cast(ballot=ballot, user=secretariat, state=state, choice=choice, on_behalf=True)
    ballot_close(ballot=ballot, user=secretariat)
    resolution = resolution_adopt(
        ballot=ballot, title="Föderale Cloud", text_html="<p>Beschlossen.</p>", user=secretariat
    )
    resolution_release(resolution=resolution, user=secretariat)
    followup = followup_create(
        actor=secretariat,
        resolution=resolution,
        task="Bericht zur Umsetzung vorlegen",
        due_date=resolution.decided_on,
        state=states[0],
    )
    followup_create(
        actor=secretariat,
        resolution=resolution,
        task="Leitfaden abstimmen",
        due_date=resolution.decided_on + datetime.timedelta(days=60),
        state=states[1],
    )
    log_in_browser(page, member)

    response = page.goto(f"{live_server.url}/intern/nachverfolgung/?ueberfaellig=")
    assert response.status == 200
    _assert_no_violations(page)

    page.locator(f"#id_auftrag-{followup.pk}-status").select_option("dropped")
    page.get_by_role("button", name="Stand speichern für den Auftrag „Bericht").click()
    assert page.title().startswith("Fehler:")
    _assert_no_violations(page)

    response = page.goto(live_server.url + resolution.get_absolute_url())
    assert response.status == 200
    expect(page.get_by_role("table", name="Stimmen der Länder")).to_be_visible()
    _assert_no_violations(page)
