"""The meeting pack (Sitzungsmappe, issue 12 item 5; DOMAIN rule 11): outline, readers'
sets, foreign files that cannot be merged, retries and no half file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from dmk.bodies.models import MembershipRole, Person
from dmk.meetings.models import GuestInvitation
from dmk.minutes import pack as pack_module
from dmk.minutes.models import MeetingPack, PackStatus
from dmk.minutes.pack import pack_current, pack_inputs, pack_request
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor
from tests.minutes.conftest import (
    BROKEN_PDF,
    add_file,
    add_paper,
    encrypted_pdf_bytes,
    pdf_bytes,
)
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def session(public_record):
    s = make_session(with_members=False)
    s.member_hh = user_with_role(MembershipRole.MEMBER, s.state("DE-HH"))
    first = add_paper(s.items[0], "Cloud-Strategie", state=s.state("DE-HH"))
    add_file(first, "cloud.pdf", pdf_bytes(3))
    add_file(first, "anlage.pdf", pdf_bytes(2))
    second = add_paper(s.items[0], "Datenstrategie", state=s.state("DE-BY"))
    add_file(second, "daten.pdf", pdf_bytes(1))
    third = add_paper(s.items[2], "KI-Leitlinien", state=s.state("DE-NW"))
    add_file(third, "ki.pdf", pdf_bytes(4))
    s.papers = [first, second, third]
    return s


def _build(user, meeting, django_capture_on_commit_callbacks) -> MeetingPack:
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(user=user, meeting=meeting)
    pack.refresh_from_db()
    return pack


def _outline(reader: PdfReader) -> list:
    def walk(entries):
        out = []
        for entry in entries:
            if isinstance(entry, list):
                out.append(walk(entry))
            else:
                out.append(entry.title)
        return out

    return walk(reader.outline)


def test_the_outline_has_one_entry_per_top_and_per_paper_in_agenda_order(
    session, django_capture_on_commit_callbacks
):
    pack = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)

    assert pack.status == PackStatus.READY
    reader = PdfReader(pack.file.path)
    assert _outline(reader) == [
        "TOP 1: Beschlussvorschlag 1",
        ["Cloud-Strategie", "Datenstrategie"],
        "TOP 2: Beschlussvorschlag 2",
        "TOP 3: Beschlussvorschlag 3",
        ["KI-Leitlinien"],
    ]
    # cover + agenda (i, ii), three divider pages and 3 + 2 + 1 + 4 pages of papers
    assert len(reader.pages) == pack.pages == 2 + 3 + 10
    assert reader.page_labels[:4] == ["i", "ii", "1", "2"]
    agenda = " ".join(reader.pages[1].extract_text().split())
    assert "1 Beschlussvorschlag 1 1" in agenda
    assert "Datenstrategie (Bayern) 7" in agenda
    assert "3 Beschlussvorschlag 3 9" in agenda


def test_a_guests_pack_lacks_the_other_items_papers(session, django_capture_on_commit_callbacks):
    guest = user_with_role(MembershipRole.GUEST)
    invitation = GuestInvitation.objects.create(
        meeting=session.meeting, person=Person.objects.get(user=guest)
    )
    invitation.agenda_items.set([session.items[2]])

    pack = _build(guest, session.meeting, django_capture_on_commit_callbacks)

    reader = PdfReader(pack.file.path)
    assert _outline(reader) == ["TOP 3: Beschlussvorschlag 3", ["KI-Leitlinien"]]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Cloud-Strategie" not in text
    assert "Beschlussvorschlag 1" not in text


def test_a_draft_of_another_land_stays_out_of_a_members_pack(
    session, django_capture_on_commit_callbacks
):
    draft = add_paper(
        session.items[1], "Entwurf Bayerns", state=session.state("DE-BY"), visibility="draft"
    )
    add_file(draft, "entwurf.pdf", pdf_bytes(1))

    spec = pack_inputs(user=session.member_hh, meeting=session.meeting)

    assert [p["title"] for item in spec["items"] for p in item["papers"]] == [
        "Cloud-Strategie",
        "Datenstrategie",
        "KI-Leitlinien",
    ]


def test_broken_encrypted_and_unconverted_files_are_listed_not_fatal(
    session, django_capture_on_commit_callbacks
):
    paper = session.papers[2]
    add_file(paper, "kaputt.pdf", BROKEN_PDF)
    add_file(paper, "geheim.pdf", encrypted_pdf_bytes())
    add_file(paper, "stellungnahme.docx", b"PK\x03\x04 docx", DOCX)

    pack = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)

    assert pack.status == PackStatus.READY
    assert pack.notes == [
        "TOP 3 – geheim.pdf: verschlüsselt – bitte einzeln öffnen",
        "TOP 3 – kaputt.pdf: beschädigt oder kein lesbares PDF – bitte einzeln öffnen",
        "TOP 3 – stellungnahme.docx: nicht in PDF umgewandelt (LibreOffice ist nicht "
        "installiert) – bitte einzeln herunterladen",
    ]
    reader = PdfReader(pack.file.path)
    assert len(reader.pages) == 15
    divider = " ".join(reader.pages[10].extract_text().split())
    assert "kaputt.pdf – Hinweis: beschädigt" in divider


def test_a_changed_paper_gives_a_new_pack(session, django_capture_on_commit_callbacks):
    first = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)
    add_file(session.papers[0], "cloud.pdf", pdf_bytes(5))

    assert pack_current(user=session.member_hh, meeting=session.meeting) is None
    second = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)

    assert second.pk != first.pk
    assert second.pages == first.pages + 2


def test_the_pack_task_is_retried_after_a_failure(
    session, django_capture_on_commit_callbacks, monkeypatch
):
    real = pack_module.build_pack_pdf
    calls = []

    def flaky(spec, target: Path, progress=None):
        calls.append(target)
        if len(calls) == 1:
            target.write_bytes(b"%PDF-1.7 half")
            raise OSError("Datenträger voll")
        return real(spec, target, progress)

    monkeypatch.setattr(pack_module, "build_pack_pdf", flaky)

    pack = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)

    assert (pack.status, pack.attempts) == (PackStatus.READY, 2)
    assert len(PdfReader(pack.file.path).pages) == 15
    assert not calls[0].exists()


def test_a_pack_that_keeps_failing_is_never_served_half(
    session, django_capture_on_commit_callbacks, monkeypatch, media_root
):
    def broken(spec, target: Path, progress=None):
        target.write_bytes(b"%PDF-1.7 half")
        raise OSError("Datenträger voll")

    monkeypatch.setattr(pack_module, "build_pack_pdf", broken)

    pack = _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)

    assert (pack.status, pack.attempts, pack.file.name) == (PackStatus.FAILED, 3, "")
    assert [p.name for p in Path(media_root).rglob("*.pdf") if "packs" in p.parts] == []
    assert [p.name for p in Path(media_root).rglob("*.part")] == []
    client = Client()
    login_with_second_factor(client, session.member_hh)
    response = client.get(f"/intern/sitzungen/{session.meeting.slug}/sitzungsmappe.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/intern/sitzungen/{session.meeting.slug}/"


def test_the_download_goes_through_the_permission_module(
    session, django_capture_on_commit_callbacks
):
    _build(session.member_hh, session.meeting, django_capture_on_commit_callbacks)
    member = Client()
    login_with_second_factor(member, session.member_hh)
    outsider = Client()
    login_with_second_factor(outsider, user_with_role(MembershipRole.GUEST))
    url = f"/intern/sitzungen/{session.meeting.slug}/sitzungsmappe.pdf"

    response = member.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert outsider.get(url).status_code == 404
