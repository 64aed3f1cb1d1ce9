"""Browser test: the meeting preparation pages of the portal have no axe violations (issue 5;
WCAG 2.1/2.2 AA), including the pages showing form errors."""

from __future__ import annotations

import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import Attendance
from dmk.papers import services as paper_services
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    StateFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PDF = b"%PDF-1.7\n%%EOF\n"


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    StateFactory(code="DE-SN", name_de="Sachsen")
    staff = user_with_role(MembershipRole.STATE_STAFF, bremen)
    meeting = MeetingFactory(
        name="5. Digitalministerkonferenz",
        start_date=timezone.localdate() + datetime.timedelta(days=17),
    )
    MeetingFactory(
        name="4. Digitalministerkonferenz",
        start_date=timezone.localdate() - datetime.timedelta(days=60),
        state="held",
    )
    AgendaItemFactory(meeting=meeting, title="Geschäftsordnung", institutional=True)
    AgendaItemFactory(
        meeting=meeting, title="Onlinezugang", kind="exchange", in_parliamentary_procedure=True
    )
    paper = paper_services.paper_create(
        actor=staff,
        body=BodyFactory(),
        state=bremen,
        title="Cloud-Strategie",
        paper_type="proposal",
        text_source="Die DMK möge beschließen.",
        upload_name="strategie.pdf",
        upload_stream=io.BytesIO(PDF),
    )
    Attendance.objects.create(meeting=meeting, state=bremen, role="member")
    return {"staff": staff, "meeting": meeting, "paper": paper, "bremen": bremen}


@pytest.mark.parametrize(
    "path",
    [
        "/intern/sitzungen/",
        "/intern/sitzungen/{meeting}/",
        "/intern/sitzungen/{meeting}/anmeldung/",
        "/intern/vorlagen/",
        "/intern/vorlagen/neu/",
        "/intern/vorlagen/{paper}/",
        "/intern/vorlagen/{paper}/bearbeiten/",
    ],
)
def test_meeting_pages_of_a_land_have_no_axe_violations(
    live_server, page, log_in_browser, scene, path
):
    log_in_browser(page, scene["staff"])
    url = path.format(meeting=scene["meeting"].slug, paper=scene["paper"].slug)
    response = page.goto(live_server.url + url)
    assert response.status == 200
    _assert_no_violations(page)


def test_the_attendance_board_has_no_axe_violations(live_server, page, log_in_browser, scene):
    log_in_browser(page, user_with_role(MembershipRole.SECRETARIAT))
    response = page.goto(f"{live_server.url}/intern/sitzungen/{scene['meeting'].slug}/anwesenheit/")
    assert response.status == 200
    _assert_no_violations(page)


def test_the_attendance_form_with_an_error_has_no_axe_violations(
    live_server, page, log_in_browser, scene
):
    log_in_browser(page, scene["staff"])
    page.goto(f"{live_server.url}/intern/sitzungen/{scene['meeting'].slug}/anmeldung/")
    page.get_by_label("weitere Stellvertretung (für diese Sitzung)").check()
    page.get_by_role("button", name="Meldung speichern").click()
    assert page.title().startswith("Fehler:")
    _assert_no_violations(page)


def test_the_paper_page_with_a_sponsor_error_has_no_axe_violations(
    live_server, page, log_in_browser, scene
):
    log_in_browser(page, scene["staff"])
    page.goto(f"{live_server.url}/intern/vorlagen/{scene['paper'].slug}/")
    page.get_by_label("Land als Mitantragsteller einladen").select_option(label="Bremen")
    page.get_by_role("button", name="Einladen").click()
    assert page.title().startswith("Fehler:")
    _assert_no_violations(page)


def test_the_new_meeting_form_and_its_error_have_no_axe_violations(
    live_server, page, log_in_browser, scene
):
    log_in_browser(page, user_with_role(MembershipRole.SECRETARIAT))
    page.goto(f"{live_server.url}/intern/sitzungen/neu/")
    _assert_no_violations(page)
    page.get_by_label("Bezeichnung").fill("Sonder-DMK")
    page.get_by_label("Beginn (Datum)").fill("2020-01-10")
    page.get_by_role("button", name="Sitzung anlegen").click()
    assert page.title().startswith("Fehler:")
    _assert_no_violations(page)


def test_the_geschaeftsstelle_agenda_tools_and_their_errors_have_no_axe_violations(
    live_server, page, log_in_browser, scene
):
    """Issue 5 items 4 and 8: the meeting page with state buttons, agenda form, row actions
    and a Tischvorlage awaiting consent; the same page with a duplicate TOP number; the item's
    edit page and the reschedule form."""
    from dmk.papers.models import Consultation

    meeting = scene["meeting"]
    Consultation.objects.create(
        paper=scene["paper"], meeting=meeting, submitted_at=timezone.now(), is_tischvorlage=True
    )
    first = meeting.agenda_items.order_by("order").first()
    log_in_browser(page, user_with_role(MembershipRole.SECRETARIAT))
    base = f"{live_server.url}/intern/sitzungen/{meeting.slug}/"

    page.goto(base)
    _assert_no_violations(page)
    page.get_by_label("Nummer (z. B. 3.1)").fill(first.number)
    page.get_by_label("Titel", exact=True).fill("Doppelte Nummer")
    page.get_by_role("button", name="TOP hinzufügen").click()
    assert page.title().startswith("Fehler:")
    assert page.get_by_label("Titel", exact=True).input_value() == "Doppelte Nummer"
    _assert_no_violations(page)

    for path in (f"tagesordnung/{first.pk}/", "verlegen/"):
        response = page.goto(base + path)
        assert response.status == 200
        _assert_no_violations(page)
