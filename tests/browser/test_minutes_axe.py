"""Browser test: the minutes pages (issue 12) have no axe violations (WCAG 2.1/2.2 AA): the
Geschäftsstelle's editing page, a Land's page with the comment form, the same with an error,
the diff page, and the meeting page with the pack section."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from dmk.minutes.services import (
    minutes_circulate,
    minutes_comment,
    minutes_create_draft,
    minutes_revise,
)
from tests.factories import AgendaItemFactory, MeetingFactory, StateFactory, user_with_role
from tests.helpers import secretariat_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    StateFactory(code="DE-SN", name_de="Sachsen")
    member = user_with_role(MembershipRole.MEMBER, bremen)
    office = secretariat_user()
    meeting = MeetingFactory(
        name="Sondersitzung",
        start_date=timezone.localdate() - datetime.timedelta(days=3),
        state="held",
    )
    first = AgendaItemFactory(meeting=meeting, title="Cloud-Strategie")
    AgendaItemFactory(meeting=meeting, title="Verschiedenes")
    minutes = minutes_create_draft(meeting=meeting, user=office)
    minutes_revise(
        minutes=minutes, user=office, texts={first.pk: "Die Länder beraten."}, base_version=1
    )
    minutes_revise(
        minutes=minutes,
        user=office,
        texts={first.pk: "Die Länder beraten ausführlich."},
        base_version=2,
    )
    minutes_circulate(minutes=minutes, user=office)
    minutes_comment(
        minutes=minutes, user=member, state=bremen, agenda_item=first, text="Bitte ergänzen."
    )
    return {"member": member, "office": office, "meeting": meeting}


@pytest.mark.parametrize("who", ["office", "member"])
@pytest.mark.parametrize("tail", ["protokoll/", "protokoll/vergleich/", ""])
def test_minutes_pages_have_no_axe_violations(live_server, page, log_in_browser, scene, who, tail):
    log_in_browser(page, scene[who])
    response = page.goto(f"{live_server.url}/intern/sitzungen/{scene['meeting'].slug}/{tail}")
    assert response.status == 200
    _assert_no_violations(page)


def test_the_comment_form_with_an_error_has_no_axe_violations(
    live_server, page, log_in_browser, scene
):
    log_in_browser(page, scene["member"])
    page.goto(f"{live_server.url}/intern/sitzungen/{scene['meeting'].slug}/protokoll/")
    page.get_by_role("button", name="Anmerkung abgeben").click()
    assert page.title().startswith("Fehler:")
    expect(page.get_by_text("Bitte geben Sie Ihre Anmerkung ein.")).to_be_visible()
    _assert_no_violations(page)
