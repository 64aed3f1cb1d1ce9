"""Attacks on another Land's draft paper (DOMAIN rule 11: a draft is seen only by its author
Land and the Geschäftsstelle). Outsiders are anonymous visitors, a guest, a member of Land B
and a member of Land A whose session did not pass the second factor; the title must not
appear in any response body."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.core.enums import Visibility
from dmk.meetings.models import Meeting
from dmk.papers.models import Consultation
from dmk.resolutions.models import Resolution
from tests.adversarial.conftest import DRAFT_TEXT, DRAFT_TITLE
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

OUTSIDERS = ["anonymous", "guest", "member_b"]
INSIDERS = ["member_a", "staff_a", "secretariat"]


@pytest.fixture
def site(site_content, cast):
    """The record, the website's pages (loaded first, so they come from the image) and the
    cast of Länder, users and drafts."""
    return cast


def _body(response) -> str:
    return b"".join(response).decode("utf-8", "replace") if response.streaming else response.text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_outsider_gets_404_for_the_portal_page_of_land_as_draft_rule_11(cast, who):
    response = cast.client(who).get(f"/intern/vorlagen/{cast.draft.slug}/")

    assert response.status_code in (302, 404)
    assert DRAFT_TITLE not in response.text


@pytest.mark.parametrize("who", INSIDERS)
def test_land_a_and_the_geschaeftsstelle_open_land_as_draft_rule_11(cast, who):
    response = cast.client(who).get(f"/intern/vorlagen/{cast.draft.slug}/")

    assert response.status_code == 200
    assert DRAFT_TITLE in response.text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_outsider_cannot_download_the_file_of_land_as_draft_rule_11(cast, who):
    url = f"/intern/vorlagen/{cast.draft.slug}/dateien/{cast.draft_file.pk}/"

    response = cast.client(who).get(url)

    assert response.status_code in (302, 404)
    assert b"%PDF" not in _body(response).encode()


def test_a_file_id_of_land_a_under_another_papers_slug_is_404_rule_11(cast):
    """The file ID is checked against the paper in the URL, not only the visible slug."""
    from tests.factories import PaperFactory

    own = PaperFactory(author_state=cast.land_b, slug="vorlage-berlin")

    response = cast.client("member_b").get(
        f"/intern/vorlagen/{own.slug}/dateien/{cast.draft_file.pk}/"
    )

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["member_b", "guest"])
def test_the_portal_paper_list_does_not_name_land_as_draft_rule_11(cast, who):
    response = cast.client(who).get("/intern/vorlagen/")

    assert response.status_code == 200
    assert DRAFT_TITLE not in response.text


def test_a_session_without_second_factor_does_not_open_land_as_draft_in_the_portal(cast):
    client = cast.client("member_a", second_factor=False)

    page = client.get(f"/intern/vorlagen/{cast.draft.slug}/")
    download = client.get(f"/intern/vorlagen/{cast.draft.slug}/dateien/{cast.draft_file.pk}/")

    assert (page.status_code, download.status_code) == (302, 302)
    assert DRAFT_TITLE not in page.text


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_public_paper_page_of_land_as_draft_is_404_for_an_outsider(cast, who, prefix):
    response = cast.client(who).get(f"{prefix}/vorlagen/{cast.draft.slug}/")

    assert response.status_code == 404
    assert DRAFT_TITLE not in response.text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_public_source_download_of_land_as_draft_is_404_for_an_outsider(cast, who):
    response = cast.client(who).get(f"/vorlagen/{cast.draft.slug}/download/")

    assert response.status_code == 404
    assert DRAFT_TEXT not in response.text


def test_a_password_only_session_does_not_see_land_as_draft_on_the_public_site(cast):
    """The second factor guards every non-public object, not only the /intern/ URLs: a
    password alone must not open a draft through the public website's paper pages."""
    client = cast.client("member_a", second_factor=False)

    page = client.get(f"/vorlagen/{cast.draft.slug}/")
    source = client.get(f"/vorlagen/{cast.draft.slug}/download/")

    assert (page.status_code, source.status_code) == (404, 404)
    assert DRAFT_TITLE not in page.text
    assert DRAFT_TEXT not in source.text


@pytest.mark.parametrize("who", [*OUTSIDERS, "member_a"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_search_does_not_name_land_as_draft(site, who, prefix):
    response = site.client(who).get(f"{prefix}/suche/", {"q": "Glasfaserkataster"})

    assert response.status_code == 200
    assert DRAFT_TITLE not in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/beschluesse/rss/",
        "/feeds/beschluesse/atom/",
        "/feeds/aktuelles/rss/",
        "/feeds/aktuelles/atom/",
        "/en/feeds/beschluesse/rss/",
        "/en/feeds/aktuelles/atom/",
        "/sitemap.xml",
        "/sitzungen.ics",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "member_b", "secretariat"])
def test_feeds_and_the_sitemap_do_not_name_land_as_draft(site, url, who):
    meeting = MeetingFactory(body=site.draft.body, name="Sitzung mit Entwurf", slug="mit-entwurf")
    Consultation.objects.create(paper=site.draft, meeting=meeting)

    response = site.client(who).get(url)

    assert response.status_code == 200
    assert DRAFT_TITLE not in _body(response)
    assert site.draft.slug not in _body(response)


@pytest.mark.parametrize("who", ["anonymous", "guest", "member_b"])
def test_a_meeting_that_consults_land_as_draft_does_not_name_it(cast, who):
    meeting = MeetingFactory(
        body=cast.draft.body, slug="sitzung-mit-entwurf", start_date=timezone.localdate()
    )
    Consultation.objects.create(paper=cast.draft, meeting=meeting)

    portal = cast.client(who).get(f"/intern/sitzungen/{meeting.slug}/")
    public = cast.client(who).get(f"/sitzungen/{meeting.slug}/")

    assert DRAFT_TITLE not in portal.text
    assert public.status_code == 200
    assert DRAFT_TITLE not in public.text


def test_meine_daten_of_a_land_b_member_does_not_name_land_as_draft(cast):
    response = cast.client("member_b").get("/intern/meine-daten/")

    assert response.status_code == 200
    assert DRAFT_TITLE not in response.content.decode("utf-8")


@pytest.mark.parametrize("suffix", ["kontakte.csv", "kontakte.vcf", "kontakte.xlsx"])
def test_contact_exports_do_not_name_land_as_draft(cast, suffix):
    for who in ("member_b", "secretariat"):
        response = cast.client(who).get(f"/intern/kontakte/{suffix}")
        assert response.status_code in (200, 403)
        assert DRAFT_TITLE.encode() not in response.content


@pytest.mark.parametrize("who", ["anonymous", "member_b"])
def test_a_public_resolution_does_not_name_the_draft_paper_it_is_linked_to(site, who):
    meeting = Meeting.objects.get(slug="1-dmk")
    Resolution.objects.create(
        body=meeting.body,
        meeting=meeting,
        slug="oeffentlicher-beschluss-mit-entwurf",
        title="Öffentlicher Beschluss",
        visibility=Visibility.PUBLIC,
        decided_on=datetime.date(2024, 1, 1),
        paper=site.draft,
    )

    response = site.client(who).get("/beschluesse/oeffentlicher-beschluss-mit-entwurf/")

    assert response.status_code == 200
    assert DRAFT_TITLE not in response.text
