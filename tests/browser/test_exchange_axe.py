"""Browser tests of the data exchange (issue 14): the workspace index, a folder with files and
the upload form (also with an error), a file with versions, trash, activity and a joint
statement have no axe violations (WCAG 2.1 AA) at desktop and phone width; a file chosen in
the upload form is stored over the resumable tus endpoint with a progress bar."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from dmk.bodies.models import Membership, MembershipRole
from dmk.exchange import services, statements
from dmk.exchange.models import StoredFile
from tests.exchange.conftest import PDF
from tests.factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import secretariat_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def exchange(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    body = BodyFactory()
    plenary = OrganizationFactory(body=body)
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    saarland = StateFactory(code="DE-SL", name_de="Saarland")
    user = UserFactory(email="hb@land.example")
    Membership.objects.create(
        person=PersonFactory(user=user, state=bremen),
        organization=plenary,
        role=MembershipRole.MEMBER,
        on_behalf_of=bremen,
    )
    office = secretariat_user(email="gs@dmk.example")
    workspace = services.workspace_for_body(body=body)
    folder = services.folder_create(actor=user, workspace=workspace, name="Sitzungsunterlagen")
    first = services.file_upload(
        actor=user, workspace=workspace, folder=folder, name="Bericht.pdf", stream=[PDF]
    )
    services.file_upload(
        actor=user, workspace=workspace, folder=folder, name="Bericht.pdf", stream=[PDF + b"%v2"]
    )
    old = services.file_upload(
        actor=user, workspace=workspace, folder=None, name="alt.pdf", stream=[PDF]
    )
    services.file_trash(actor=user, stored_file=old.stored_file)
    statement = statements.statement_create(
        actor=user,
        workspace=workspace,
        title="Gemeinsame Position",
        text="Text der Position.",
        author_state=bremen,
    )
    statements.statement_open(
        actor=user,
        statement=statement,
        states=[saarland],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    return {
        "user": user,
        "office": office,
        "workspace": workspace,
        "folder": folder,
        "file": first.stored_file,
        "statement": statement,
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_exchange_pages_have_no_axe_violations(live_server, page, log_in_browser, exchange, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in_browser(page, exchange["office"])
    ws = exchange["workspace"]
    base = f"{live_server.url}/intern/austausch/{ws.slug}"
    for url in (
        f"{live_server.url}/intern/austausch/",
        f"{base}/",
        f"{base}/ordner/{exchange['folder'].pk}/",
        f"{base}/datei/{exchange['file'].pk}/",
        f"{base}/papierkorb/",
        f"{base}/aktivitaet/",
        f"{base}/stellungnahmen/{exchange['statement'].pk}/",
        f"{base}/stellungnahmen/neu/",
    ):
        page.goto(url)
        expect(page.locator("h1"), url).to_have_count(1)
        _assert_no_violations(page)


def test_a_refused_upload_and_a_folder_error_have_no_axe_violations(
    live_server, page, log_in_browser, exchange, tmp_path
):
    log_in_browser(page, exchange["user"])
    page.goto(f"{live_server.url}/intern/austausch/{exchange['workspace'].slug}/")
    page.fill("#id_name", "Sitzungsunterlagen")
    page.get_by_role("button", name="Ordner anlegen").click()
    assert (
        page.locator(".kern-error").first.inner_text()
        == "Einen Ordner dieses Namens gibt es hier schon."
    )
    _assert_no_violations(page)


def test_a_file_chosen_in_the_form_is_uploaded_resumably_with_progress(
    live_server, page, log_in_browser, exchange, tmp_path
):
    source = tmp_path / "Gutachten Länder.pdf"
    source.write_bytes(PDF + b"x" * 200_000)
    log_in_browser(page, exchange["user"])
    page.goto(
        f"{live_server.url}/intern/austausch/{exchange['workspace'].slug}/ordner/{exchange['folder'].pk}/"
    )
    page.set_input_files("#id_files", str(source))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("link", name="Gutachten Länder.pdf")).to_have_count(1)
    stored = StoredFile.objects.get(name="Gutachten Länder.pdf")
    assert (stored.folder_id, stored.size) == (exchange["folder"].pk, source.stat().st_size)
