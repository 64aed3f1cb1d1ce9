"""What a newcomer found on the public website of ``make demo`` (topics index, sitemap
origin and coverage, login text, internal papers, contact notice, privacy link, search for
sessions). DOMAIN rule 11 throughout: the public website shows public material only."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from dmk.bodies.models import MembershipRole, State, Topic
from dmk.core.enums import Visibility
from dmk.meetings.models import Meeting
from dmk.papers.models import Consultation, PaperFile
from dmk.website.models import ContactMessage
from dmk.website.site_content import TOPIC_INTROS
from dmk.website.tasks import notify_contact_message_task
from tests.factories import MeetingFactory, PaperFactory, user_with_role
from tests.helpers import login_with_second_factor, sitemap_locations
from tests.website.conftest import SECRET_PAPER_TITLE
from tests.website.test_contact import VALID

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONCEPT_SLUG = "konzeptpapier-dmk-2023-11-09"


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def _member(client) -> None:
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, State.objects.first()))


# --- 1. Topics index and navigation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "name_field", "language"), [("", "name_de", 0), ("/en", "name_en", 1)]
)
def test_topics_index_lists_every_topic_page_with_its_description(
    client, site, prefix, name_field, language
):
    html = client.get(f"{prefix}/themen/").content.decode()
    listing = _between(html, '<ul class="dmk-list dmk-subpages">', "</ul>")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', listing)
    topics = list(Topic.objects.all())
    assert len(topics) == 11
    assert links == [
        (f"{prefix}/themen/{t.slug}/", getattr(t, name_field).replace("&", "&amp;")) for t in topics
    ]
    assert TOPIC_INTROS["souveraenitaet-teilhabe"][language] in listing


def test_main_navigation_links_the_topics_index(client, site):
    nav = _between(client.get("/").content.decode(), '<ul class="dmk-nav__list">', "</ul>")
    assert '<li><a href="/themen/">Themen</a></li>' in nav
    nav_en = _between(client.get("/en/").content.decode(), '<ul class="dmk-nav__list">', "</ul>")
    assert 'href="/en/themen/"' in nav_en


# --- 2. Sitemap: one origin, English archive pages, the public concept paper ----------------


def _locations(client, **extra) -> list[str]:
    return sitemap_locations(client, **extra)


def test_sitemap_uses_the_request_origin_for_every_url(client, site, settings):
    """The Wagtail Site row says localhost:80; the pages must still be under the origin the
    sitemap was asked on, like the archive pages."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    locations = _locations(client, HTTP_HOST="127.0.0.1:8765")
    assert len(locations) > 100
    assert [loc for loc in locations if not loc.startswith("http://127.0.0.1:8765/")] == []
    assert "http://127.0.0.1:8765/impressum/" in locations
    assert "http://127.0.0.1:8765/sitzungen/" in locations


def test_sitemap_names_english_archive_pages_and_the_public_concept_paper(client, secrets):
    locations = set(_locations(client))
    for path in ("/sitzungen/", "/beschluesse/", "/laender/", "/vorsitz/", "/sitzungen/1-dmk/"):
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/en{path}" in locations
    assert f"http://testserver/vorlagen/{CONCEPT_SLUG}/" in locations
    assert f"http://testserver/en/vorlagen/{CONCEPT_SLUG}/" in locations
    assert not [loc for loc in locations if "quantenfunk" in loc]


# --- 3. Login page: invitation, no sign-up link ------------------------------------------------


def test_login_page_explains_invitations_and_links_no_sign_up(client, site):
    html = client.get("/konto/login/").content.decode()
    assert "/konto/signup/" not in html
    assert "Selbstregistrierung" not in html
    assert (
        "Sie haben noch kein Konto? Zugänge richtet die Geschäftsstelle ein: Sie erhalten von "
        "ihr eine Einladung per E-Mail mit einem persönlichen Link, über den Sie Ihr Passwort "
        "festlegen."
    ) in html


# --- 4. Internal papers stay off the public website ------------------------------------------


def test_rule_11_member_sees_internal_paper_of_a_session_only_as_marked_portal_link(
    client, secrets
):
    paper = secrets["paper"]
    Consultation.objects.create(paper=paper, meeting=Meeting.objects.get(slug="1-dmk"))
    assert SECRET_PAPER_TITLE not in client.get("/sitzungen/1-dmk/").content.decode()
    _member(client)
    html = client.get("/sitzungen/1-dmk/").content.decode()
    assert 'href="/vorlagen/interne-vorlage-quantenfunk/"' not in html
    assert (
        f'<a href="/intern/vorlagen/interne-vorlage-quantenfunk/">{SECRET_PAPER_TITLE}</a> '
        '<span class="dmk-meta">(intern)</span>'
    ) in html


def test_rule_11_public_paper_page_of_an_internal_paper_sends_members_to_the_portal(
    client, secrets
):
    assert client.get("/vorlagen/interne-vorlage-quantenfunk/").status_code == 404
    _member(client)
    response = client.get("/vorlagen/interne-vorlage-quantenfunk/")
    assert response.status_code == 302
    assert response["Location"] == "/intern/vorlagen/interne-vorlage-quantenfunk/"
    assert client.get("/vorlagen/interne-vorlage-quantenfunk/download/").status_code == 404


def test_public_download_serves_the_current_uploaded_file(client, site, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    paper = PaperFactory(slug="oeffentliche-vorlage", visibility=Visibility.PUBLIC)
    for version, content in ((1, b"%PDF-1.4 alt"), (2, b"%PDF-1.4 neu")):
        PaperFile.objects.create(
            paper=paper,
            version=version,
            original_name="Vorlage Breitband.pdf",
            file=ContentFile(content, name=f"v{version}.pdf"),
            content_type="application/pdf",
            size=len(content),
            sha256="0" * 64,
        )
    html = client.get("/vorlagen/oeffentliche-vorlage/").content.decode()
    assert "Originaltext herunterladen (Vorlage Breitband.pdf)" in html
    response = client.get("/vorlagen/oeffentliche-vorlage/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 neu"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Vorlage Breitband.pdf\"; filename*=UTF-8''Vorlage%20Breitband.pdf"
    )


def test_paper_without_file_shows_its_text_and_offers_no_download(client, site):
    PaperFactory(
        slug="nur-text",
        visibility=Visibility.PUBLIC,
        text_source="Die Digitalministerkonferenz möge beschließen: Breitband.",
    )
    html = client.get("/vorlagen/nur-text/").content.decode()
    assert "Originaltext herunterladen" not in html
    assert "<p>Die Digitalministerkonferenz möge beschließen: Breitband.</p>" in html
    assert client.get("/vorlagen/nur-text/download/").status_code == 404


def test_founding_concept_paper_still_offers_its_source_file(client, site):
    html = client.get(f"/vorlagen/{CONCEPT_SLUG}/").content.decode()
    assert f"Originaltext herunterladen ({CONCEPT_SLUG}.md)" in html
    response = client.get(f"/vorlagen/{CONCEPT_SLUG}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{CONCEPT_SLUG}.md\"; filename*=UTF-8''{CONCEPT_SLUG}.md"
    )


# --- 5./6. Contact form: notice to the functional mailbox, privacy link ---------------------


def test_contact_message_is_announced_to_the_functional_mailbox(
    client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kontakt/", VALID)
        client.post("/kontakt/", VALID)  # a double click: stored and announced once
    message = ContactMessage.objects.get()
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["geschaeftsstelle@dmk.example"]
    assert notice.subject == "Neue Kontaktanfrage: Frage zur Sitzung"
    assert f"http://127.0.0.1:8000/verwaltung/kontaktanfragen/inspect/{message.pk}/" in notice.body
    assert VALID["message"] not in notice.subject + notice.body


def test_contact_notice_goes_to_the_configured_mailbox_on_one_subject_line(site, settings):
    settings.DMK_FUNCTIONAL_MAILBOX = "kontakt@land.example"
    message = ContactMessage.objects.create(
        name="X", email="x@example.org", subject="Zeile eins\r\nBcc: boese@example.org", message="…"
    )
    assert notify_contact_message_task.call(message.pk) == 1
    assert mail.outbox[0].to == ["kontakt@land.example"]
    assert mail.outbox[0].subject == "Neue Kontaktanfrage: Zeile eins Bcc: boese@example.org"


def test_honeypot_message_sends_no_notice(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kontakt/", {**VALID, "website": "http://spam.example"})
    assert mail.outbox == []


def test_privacy_hint_links_the_privacy_page(client, site):
    html = client.get("/kontakt/").content.decode()
    assert '<a href="/datenschutz/">Datenschutzerklärung</a>' in html
    assert 'href="/en/datenschutz/"' in client.get("/en/kontakt/").content.decode()


# --- 7. Search finds public sessions -------------------------------------------------------


def test_search_finds_public_sessions_by_place_but_no_unannounced_one(client, site):
    hamburg = Meeting.objects.filter(is_public=True, place__icontains="Hamburg")
    assert hamburg.exists()
    hidden = MeetingFactory(
        body=hamburg.first().body, name="Geheimtreffen", place="Hamburg", is_public=False
    )
    html = client.get("/suche/", {"q": "hamburg", "typ": "meeting"}).content.decode()
    found = _between(html, 'class="dmk-search-results"', "</ol>")
    for meeting in hamburg:
        assert f'<a href="{meeting.get_absolute_url()}">' in found
    assert hidden.get_absolute_url() not in html
    _member(client)
    html = client.get("/suche/", {"q": "Geheimtreffen"}).content.decode()
    assert "0 Treffer" in html
    assert 'class="dmk-search-results"' not in html
    assert hidden.get_absolute_url() not in html
