"""Portal pages for preparing a meeting (issue 5): meetings, deadlines, attendance, papers
and their files; drafts stay with their Land (DOMAIN rule 11)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import Attendance, Meeting
from dmk.papers import services as paper_services
from dmk.papers.files import MAX_FILE_SIZE
from dmk.papers.models import Paper, PaperFile, PaperSponsor
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    PaperFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor
from tests.papers.conftest import PDF, make_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bremen():
    return StateFactory(code="DE-HB", name_de="Bremen")


@pytest.fixture
def saxony():
    return StateFactory(code="DE-SN", name_de="Sachsen")


@pytest.fixture
def bremen_client(client, bremen):
    user = user_with_role(MembershipRole.STATE_STAFF, bremen)
    login_with_second_factor(client, user)
    client.user = user
    return client


def _close(response) -> None:
    """Close a streamed response (its file) without ending the test's database connection:
    ``close()`` sends ``request_finished``, which would close it (as Django's test client
    avoids, too)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _client_for(user):
    client = Client()
    login_with_second_factor(client, user)
    return client


def test_meeting_list_shows_upcoming_and_past_meetings(bremen_client):
    today = timezone.localdate()
    MeetingFactory(name="Kommende Sitzung", start_date=today + datetime.timedelta(days=30))
    MeetingFactory(name="Vergangene Sitzung", start_date=today - datetime.timedelta(days=30))
    response = bremen_client.get("/intern/sitzungen/")
    assert response.status_code == 200
    upcoming = [m.name for m in response.context["upcoming"]]
    past = [m.name for m in response.context["past"]]
    assert (upcoming, past) == (["Kommende Sitzung"], ["Vergangene Sitzung"])


@pytest.mark.parametrize("rows", [1, 3])
def test_meeting_list_needs_the_same_number_of_queries_for_1_and_3_meetings(
    bremen_client, django_assert_num_queries, rows
):
    chair = StateFactory(code="DE-HH", name_de="Hamburg")
    for _ in range(rows):
        MeetingFactory().chairs.add(chair)
    bremen_client.get("/intern/sitzungen/")  # warm the session and principal caches
    with django_assert_num_queries(9):
        response = bremen_client.get("/intern/sitzungen/")
    assert len(response.context["upcoming"]) == rows


def test_meeting_page_shows_agenda_deadlines_and_my_lands_status(bremen_client, bremen):
    meeting = MeetingFactory(start_date=datetime.date(2027, 4, 19))
    AgendaItemFactory(meeting=meeting, title="Geschäftsordnung", institutional=True)
    response = bremen_client.get(f"/intern/sitzungen/{meeting.slug}/")
    assert response.status_code == 200
    assert [(r["label"], r["date"]) for r in response.context["checklist"]] == [
        ("Einladung und Entwurf der Tagesordnung", datetime.date(2027, 3, 8)),
        ("Anmeldung von Tagesordnungspunkten", datetime.date(2027, 3, 22)),
        ("Einreichung von Vorlagen", datetime.date(2027, 4, 5)),
    ]
    content = response.content.decode()
    assert "Geschäftsordnung" in content
    assert "institutionelle Angelegenheit (Einstimmigkeit)" in content
    assert "Ihr Land hat noch nicht gemeldet, wer es vertritt." in content


def test_a_deadline_within_a_week_is_shown_as_a_warning(bremen_client):
    meeting = MeetingFactory(start_date=timezone.localdate() + datetime.timedelta(days=17))
    response = bremen_client.get(f"/intern/sitzungen/{meeting.slug}/")
    papers_row = response.context["checklist"][2]
    assert (papers_row["css"], papers_row["days_left"]) == ("warning", 3)
    assert response.context["checklist"][0]["css"] == "passed"


def test_a_land_registers_its_further_deputy_in_the_portal(bremen_client, bremen):
    meeting = MeetingFactory()
    response = bremen_client.post(
        f"/intern/sitzungen/{meeting.slug}/anmeldung/",
        {"state": bremen.pk, "role": "further_deputy", "representative_name": "Dr. A. Beispiel"},
    )
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=meeting, state=bremen)
    assert (row.role, row.representative_name) == ("further_deputy", "Dr. A. Beispiel")


def test_a_further_deputy_without_name_gets_a_german_error_and_nothing_stored(
    bremen_client, bremen
):
    meeting = MeetingFactory()
    response = bremen_client.post(
        f"/intern/sitzungen/{meeting.slug}/anmeldung/",
        {"state": bremen.pk, "role": "further_deputy", "representative_name": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["representative_name"] == [
        "Bitte nennen Sie die weitere Stellvertretung für diese Sitzung."
    ]
    assert 'value="further_deputy" id="id_role_2" checked' in response.content.decode()
    assert Attendance.objects.count() == 0


def test_the_geschaeftsstelle_sees_the_board_of_all_laender(client, bremen, saxony):
    meeting = MeetingFactory()
    Attendance.objects.create(meeting=meeting, state=bremen, role="member")
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))
    response = client.get(f"/intern/sitzungen/{meeting.slug}/anwesenheit/")
    assert response.status_code == 200
    board = [(state.name_de, row.role if row else None) for state, row in response.context["board"]]
    assert board == [("Bremen", "member"), ("Sachsen", None)]
    assert response.context["registered"] == 1


def test_a_land_does_not_see_the_board(bremen_client):
    meeting = MeetingFactory()
    assert bremen_client.get(f"/intern/sitzungen/{meeting.slug}/anwesenheit/").status_code == 403


def test_rule_11_a_draft_of_land_a_is_invisible_to_land_b_everywhere(bremen_client, bremen, saxony):
    paper = paper_services.paper_create(
        actor=bremen_client.user,
        body=BodyFactory(),
        state=bremen,
        title="Geheimer Entwurf",
        paper_type="proposal",
        upload_name="entwurf.pdf",
        upload_stream=io.BytesIO(PDF),
    )
    meeting = MeetingFactory()
    file_url = f"/intern/vorlagen/{paper.slug}/dateien/{paper.files.get().pk}/"
    # Land A sees it.
    assert bremen_client.get(f"/intern/vorlagen/{paper.slug}/").status_code == 200
    download = bremen_client.get(file_url)
    assert download.status_code == 200
    _close(download)
    # Land B sees it nowhere.
    saxon = _client_for(user_with_role(MembershipRole.MEMBER, saxony))
    assert saxon.get(f"/intern/vorlagen/{paper.slug}/").status_code == 404
    assert saxon.get(file_url).status_code == 404
    assert "Geheimer Entwurf" not in saxon.get("/intern/vorlagen/").content.decode()
    assert (
        "Geheimer Entwurf" not in saxon.get(f"/intern/sitzungen/{meeting.slug}/").content.decode()
    )
    assert "Geheimer Entwurf" not in saxon.get("/suche/?q=Geheimer").content.decode()
    assert saxon.get(f"/vorlagen/{paper.slug}/").status_code == 404
    assert saxon.get(f"/vorlagen/{paper.slug}/download/").status_code == 404


def test_a_file_is_downloaded_with_its_name_in_rfc_6266_form(bremen_client, bremen):
    paper = PaperFactory(author_state=bremen)
    paper_file = paper_services.paper_file_add(
        actor=bremen_client.user, paper=paper, name="Übersicht.pdf", stream=io.BytesIO(PDF)
    )
    response = bremen_client.get(f"/intern/vorlagen/{paper.slug}/dateien/{paper_file.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Uebersicht.pdf\"; filename*=UTF-8''%C3%9Cbersicht.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    _close(response)


def test_a_new_draft_with_a_file_is_stored(bremen_client, bremen):
    response = bremen_client.post(
        "/intern/vorlagen/neu/",
        {
            "state": bremen.pk,
            "title": "Cloud-Strategie",
            "paper_type": "proposal",
            "text_source": "Die DMK möge beschließen …",
            "file": SimpleUploadedFile("strategie.pdf", PDF),
        },
    )
    paper = Paper.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intern/vorlagen/{paper.slug}/"
    assert (paper.visibility, paper.author_state, paper.files.get().version) == (
        "draft",
        bremen,
        1,
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("beschluss.pdf", make_docx()),
            "Der Inhalt der Datei passt nicht zur Endung „.pdf“. Bitte laden Sie eine echte "
            "PDF-Datei hoch.",
        ),
        (SimpleUploadedFile("leer.pdf", b""), "Die Datei ist leer."),
        (
            SimpleUploadedFile("gross.pdf", b"%PDF-" + b"0" * MAX_FILE_SIZE),
            "Die Datei ist größer als 20 MB.",
        ),
    ],
)
def test_a_bad_file_on_a_new_draft_keeps_the_typed_values_and_stores_nothing(
    bremen_client, bremen, media_root, upload, message
):
    response = bremen_client.post(
        "/intern/vorlagen/neu/",
        {
            "state": bremen.pk,
            "title": "Cloud-Strategie",
            "paper_type": "report",
            "text_source": "Mein getippter Text",
            "file": upload,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    content = response.content.decode()
    assert 'value="Cloud-Strategie"' in content
    assert "Mein getippter Text" in content
    assert Paper.objects.count() == 0
    assert PaperFile.objects.count() == 0
    assert not (media_root / "papers").exists()


def test_a_wrong_file_renamed_to_pdf_is_refused_on_a_new_version(bremen_client, bremen):
    paper = PaperFactory(author_state=bremen)
    response = bremen_client.post(
        f"/intern/vorlagen/{paper.slug}/datei/",
        {"file": SimpleUploadedFile("beschluss.pdf", make_docx())},
    )
    assert response.status_code == 400
    assert response.context["file_form"].errors["file"] == [
        "Der Inhalt der Datei passt nicht zur Endung „.pdf“. Bitte laden Sie eine echte "
        "PDF-Datei hoch."
    ]
    assert PaperFile.objects.count() == 0


def test_inviting_ones_own_land_in_the_portal_is_refused_in_german(bremen_client, bremen):
    paper = PaperFactory(author_state=bremen)
    response = bremen_client.post(f"/intern/vorlagen/{paper.slug}/mitantrag/", {"state": bremen.pk})
    assert response.status_code == 400
    assert response.context["sponsor_form"].errors["state"] == [
        "Ihr eigenes Land reicht die Vorlage ein und kann nicht als Mitantragsteller "
        "eingeladen werden."
    ]
    assert f'<option value="{bremen.pk}" selected>' in response.content.decode()
    assert PaperSponsor.objects.count() == 0


def test_a_paper_is_submitted_for_a_meeting_in_the_portal(bremen_client, bremen):
    meeting = MeetingFactory(start_date=timezone.localdate() + datetime.timedelta(weeks=8))
    paper = PaperFactory(author_state=bremen)
    response = bremen_client.post(
        f"/intern/vorlagen/{paper.slug}/einreichen/", {"meeting": meeting.pk}
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.visibility == "internal"
    assert list(paper.consultations.values_list("meeting_id", "is_tischvorlage")) == [
        (meeting.pk, False)
    ]


def test_a_late_paper_is_submitted_as_tischvorlage_with_a_warning(bremen_client, bremen):
    meeting = MeetingFactory(start_date=timezone.localdate() + datetime.timedelta(days=3))
    paper = PaperFactory(author_state=bremen)
    response = bremen_client.post(
        f"/intern/vorlagen/{paper.slug}/einreichen/", {"meeting": meeting.pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Die Vorlagenfrist ist abgelaufen: Die Vorlage ist als Tischvorlage eingereicht und "
        "braucht die Zustimmung des Vorsitzes."
    ]
    assert paper.consultations.get().is_tischvorlage is True


@pytest.fixture
def office_client(client):
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))
    return client


def test_the_geschaeftsstelle_creates_a_regular_meeting_with_the_next_ordinal(office_client):
    day = timezone.localdate() + datetime.timedelta(weeks=10)
    MeetingFactory(ordinal=4, start_date=day - datetime.timedelta(days=200))
    response = office_client.post(
        "/intern/sitzungen/neu/",
        {
            "kind": "regular",
            "name": "5. Digitalministerkonferenz",
            "start_date": day.isoformat(),
            "place": "Hamburg",
            "is_public": "on",
        },
    )
    meeting = Meeting.objects.get(name="5. Digitalministerkonferenz")
    assert response.status_code == 302
    assert response["Location"] == f"/intern/sitzungen/{meeting.slug}/"
    assert (meeting.ordinal, meeting.state, meeting.start_date) == (5, "scheduled", day)


def test_a_meeting_date_in_the_past_gets_a_german_error_and_keeps_the_typed_values(
    office_client,
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = office_client.post(
        "/intern/sitzungen/neu/",
        {
            "kind": "special",
            "name": "Sonder-DMK Cloud",
            "start_date": yesterday.isoformat(),
            "place": "Mainz",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [
        "Das Datum liegt in der Vergangenheit. Bitte wählen Sie ein künftiges Datum."
    ]
    content = response.content.decode()
    assert 'value="Sonder-DMK Cloud"' in content
    assert f'value="{yesterday.isoformat()}"' in content
    assert 'value="Mainz"' in content
    assert Meeting.objects.count() == 0


def test_a_land_cannot_create_meetings(bremen_client):
    assert bremen_client.get("/intern/sitzungen/neu/").status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_paper_list_needs_the_same_number_of_queries_for_1_and_3_papers(
    bremen_client, bremen, django_assert_num_queries, rows
):
    for _ in range(rows):
        PaperFactory(author_state=bremen)
    bremen_client.get("/intern/vorlagen/")
    with django_assert_num_queries(7):
        response = bremen_client.get("/intern/vorlagen/")
    assert len(response.context["papers"]) == rows
