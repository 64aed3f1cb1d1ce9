"""Full-text search inside the documents, by permission (issue 13; DOMAIN rule 11).

Files are real: a PDF made with WeasyPrint, DOCX with python-docx, ODT with odfpy, XLSX with
openpyxl. Extraction runs through the service a paper upload uses
(``paper_file_add`` → ``extract_file_text_task`` on commit; the queue runs immediately in
tests)."""

from __future__ import annotations

import io

import pytest

from dmk.core.enums import Visibility
from dmk.documents.extraction import ExtractionStatus, extract_text
from dmk.documents.models import FileText, SearchEntry
from dmk.documents.selectors import Filters, search
from dmk.papers import services as paper_services
from tests.documents.conftest import make_docx, make_odt, make_pdf, make_xlsx
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def upload(paper, user, name: str, data: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return paper_services.paper_file_add(
            actor=user, paper=paper, name=name, stream=io.BytesIO(data)
        )


def test_a_word_only_on_page_7_of_a_pdf_finds_the_paper_with_a_snippet_and_page_number(
    cast, django_capture_on_commit_callbacks
):
    paper = PaperFactory(
        title="Bericht zur Lage", author_state=cast.land_a, visibility=Visibility.INTERNAL
    )
    pages = [f"Seite {n} enthält nur gewöhnliche Worte über Verwaltung." for n in range(1, 7)]
    pages.append("Auf dieser Seite steht das Wort Quantenkryptografie im Fließtext.")
    upload(paper, cast.member_a, "bericht.pdf", make_pdf(pages), django_capture_on_commit_callbacks)

    result = search(user=cast.member_b, query="Quantenkryptografie")

    assert result.total == 1
    hit = result.hits[0]
    assert hit.entry.paper_id == paper.pk
    assert hit.url == f"/intern/vorlagen/{paper.slug}/"
    assert hit.snippet.page == 7
    assert hit.snippet.file_name == "bericht.pdf"
    assert ("Quantenkryptografie", True) in hit.snippet.parts


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        (
            "vermerk.docx",
            lambda: make_docx(["Einleitung", "Das Zauberwort heißt Glasfaserkataster."]),
        ),
        (
            "vermerk.odt",
            lambda: make_odt(["Einleitung", "Das Zauberwort heißt Glasfaserkataster."]),
        ),
        ("kosten.xlsx", lambda: make_xlsx([["Posten", "Betrag"], ["Glasfaserkataster", "1200"]])),
    ],
)
def test_a_word_only_inside_an_office_file_finds_the_paper_with_a_snippet(
    cast, django_capture_on_commit_callbacks, name, maker
):
    paper = PaperFactory(title="Vermerk", author_state=cast.land_a, visibility=Visibility.INTERNAL)
    upload(paper, cast.member_a, name, maker(), django_capture_on_commit_callbacks)

    result = search(user=cast.member_b, query="glasfaserkataster")

    assert [hit.entry.paper_id for hit in result.hits] == [paper.pk]
    snippet = result.hits[0].snippet
    assert snippet.file_name == name
    assert snippet.page is None
    assert ("Glasfaserkataster", True) in snippet.parts


def test_land_b_never_finds_land_as_draft_by_a_word_of_its_file_nor_in_count_or_facets(
    cast, django_capture_on_commit_callbacks
):
    draft = PaperFactory(title="Entwurf", author_state=cast.land_a, visibility=Visibility.DRAFT)
    upload(
        draft,
        cast.member_a,
        "entwurf.pdf",
        make_pdf(["Geheimwort Funkmastkataster"]),
        django_capture_on_commit_callbacks,
    )

    for_b = search(user=cast.member_b, query="Funkmastkataster")
    for_a = search(user=cast.member_a, query="Funkmastkataster")
    for_secretariat = search(user=cast.secretariat, query="Funkmastkataster")

    assert (for_b.total, for_b.hits, for_b.facets) == (0, [], [])
    assert for_a.total == 1 and for_secretariat.total == 1
    land_facet = next(f for f in for_a.facets if f.name == "land")
    assert [(o.label, o.count) for o in land_facet.options] == [("Bayern", 1)]


def test_land_b_sees_no_count_of_land_as_draft_in_a_shared_search(
    cast, django_capture_on_commit_callbacks
):
    PaperFactory(
        title="Netzausbau öffentlich", author_state=cast.land_b, visibility=Visibility.INTERNAL
    )
    draft = PaperFactory(title="Netzausbau Entwurf", author_state=cast.land_a)
    upload(
        draft,
        cast.member_a,
        "e.docx",
        make_docx(["Netzausbau"]),
        django_capture_on_commit_callbacks,
    )

    result = search(user=cast.member_b, query="Netzausbau")

    assert result.total == 1
    facet_counts = {f.name: sum(o.count for o in f.options) for f in result.facets}
    assert facet_counts["typ"] == 1
    assert facet_counts["sichtbarkeit"] == 1
    assert [
        o.value for o in next(f for f in result.facets if f.name == "sichtbarkeit").options
    ] == ["internal"]


def test_a_guest_finds_only_the_documents_of_their_items(cast, django_capture_on_commit_callbacks):
    from dmk.meetings.models import GuestInvitation
    from dmk.papers.models import Consultation
    from tests.factories import AgendaItemFactory

    item_invited = AgendaItemFactory(title="Künstliche Intelligenz")
    item_other = AgendaItemFactory(meeting=item_invited.meeting, title="Haushalt")
    mine = PaperFactory(title="Papier Eins", visibility=Visibility.INTERNAL)
    other = PaperFactory(title="Papier Zwei", visibility=Visibility.INTERNAL)
    Consultation.objects.create(paper=mine, agenda_item=item_invited)
    Consultation.objects.create(paper=other, agenda_item=item_other)
    invitation = GuestInvitation.objects.create(
        meeting=item_invited.meeting, person=cast.guest.person
    )
    invitation.agenda_items.add(item_invited)
    for paper in (mine, other):
        upload(
            paper,
            cast.secretariat,
            "anlage.docx",
            make_docx(["Sprachmodellregister"]),
            django_capture_on_commit_callbacks,
        )

    for_guest = search(user=cast.guest, query="Sprachmodellregister")
    for_member = search(user=cast.member_b, query="Sprachmodellregister")

    assert [hit.entry.paper_id for hit in for_guest.hits] == [mine.pk]
    assert for_guest.total == 1
    assert for_member.total == 2


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Beschlüsse der Konferenz", "Beschluss"),
        ("Der Beschluss", "Beschlüsse"),
        ("Hauptstraße 5", "Hauptstrasse"),
        ("Hauptstrasse 5", "Hauptstraße"),
        ("Ein Überblick", "Ueberblick"),
        ("Ein Ueberblick", "Überblick"),
        ("Registermodernisierung", "Register"),
        ("MÜLLER", "müller"),
    ],
)
def test_stems_and_umlauts_are_folded_both_ways(cast, stored, typed):
    paper = PaperFactory(title=stored, visibility=Visibility.PUBLIC, author_state=cast.land_a)

    result = search(user=cast.member_b, query=typed)

    assert [hit.entry.paper_id for hit in result.hits] == [paper.pk]


@pytest.mark.parametrize("typed", ["AI", "ai", "Ai"])
def test_ai_does_not_find_mainz_or_kaisersaal_but_finds_the_word_ai(cast, typed):
    PaperFactory(title="Sitzung in Mainz im Kaisersaal", visibility=Visibility.PUBLIC)
    PaperFactory(title="Aiwanger spricht", visibility=Visibility.PUBLIC)
    wanted = PaperFactory(title="Strategie für AI in der Verwaltung", visibility=Visibility.PUBLIC)

    result = search(user=cast.member_b, query=typed)

    assert [hit.entry.paper_id for hit in result.hits] == [wanted.pk]


def test_a_broken_pdf_is_marked_and_the_next_file_is_still_indexed(
    cast, django_capture_on_commit_callbacks
):
    paper = PaperFactory(title="Zwei Dateien", visibility=Visibility.INTERNAL)
    broken = upload(
        paper,
        cast.secretariat,
        "kaputt.pdf",
        b"%PDF-1.7\nnothing here",
        django_capture_on_commit_callbacks,
    )
    good = upload(
        paper,
        cast.secretariat,
        "gut.docx",
        make_docx(["Breitbandförderung"]),
        django_capture_on_commit_callbacks,
    )

    texts = {t.file_id: t.status for t in FileText.objects.all()}

    assert texts == {broken.pk: ExtractionStatus.BROKEN, good.pk: ExtractionStatus.OK}
    assert search(user=cast.member_b, query="Breitbandförderung").total == 1


def test_an_encrypted_pdf_is_marked_encrypted():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["geheim"]))))
    writer.encrypt(user_password="pass", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert extract_text(buffer.getvalue(), name="x.pdf").status == ExtractionStatus.ENCRYPTED


def test_a_pdf_without_text_layer_is_marked_ohne_textebene():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    result = extract_text(buffer.getvalue(), name="scan.pdf")

    assert (result.status, result.pages, result.paged) == (
        ExtractionStatus.NO_TEXT_LAYER,
        ["", ""],
        True,
    )
    assert ExtractionStatus.NO_TEXT_LAYER.label == "ohne Textebene"


def test_extracted_text_over_the_limit_is_cut_and_marked(monkeypatch):
    from dmk.documents import extraction

    monkeypatch.setattr(extraction, "MAX_CHARS", 10)
    result = extract_text(b"ein sehr langer Text", name="a.txt")

    assert (result.status, result.pages) == (ExtractionStatus.TOO_LARGE, ["ein sehr l"])


def test_a_new_file_version_replaces_the_old_text_in_the_index(
    cast, django_capture_on_commit_callbacks
):
    paper = PaperFactory(title="Versionen", visibility=Visibility.INTERNAL)
    upload(
        paper,
        cast.secretariat,
        "v.docx",
        make_docx(["Altwort"]),
        django_capture_on_commit_callbacks,
    )
    upload(
        paper,
        cast.secretariat,
        "v.docx",
        make_docx(["Neuwort"]),
        django_capture_on_commit_callbacks,
    )

    assert search(user=cast.member_b, query="Altwort").total == 0
    assert search(user=cast.member_b, query="Neuwort").total == 1


def test_facets_narrow_the_result_and_sort_by_date_puts_the_newest_first(cast):
    import datetime

    old = PaperFactory(
        title="Cloudstrategie alt",
        visibility=Visibility.PUBLIC,
        date=datetime.date(2021, 5, 1),
        author_state=cast.land_a,
    )
    new = PaperFactory(
        title="Cloudstrategie neu Cloudstrategie",
        visibility=Visibility.PUBLIC,
        date=datetime.date(2024, 5, 1),
        author_state=cast.land_b,
    )

    by_date = search(user=cast.member_b, query="Cloudstrategie", sort="datum")
    only_2021 = search(user=cast.member_b, query="Cloudstrategie", filters=Filters(jahr=2021))
    only_b = search(
        user=cast.member_b, query="Cloudstrategie", filters=Filters(land=cast.land_b.pk)
    )

    assert [h.entry.paper_id for h in by_date.hits] == [new.pk, old.pk]
    assert [h.entry.paper_id for h in only_2021.hits] == [old.pk]
    assert [h.entry.paper_id for h in only_b.hits] == [new.pk]
    years = next(f for f in by_date.facets if f.name == "jahr")
    assert [(o.value, o.count) for o in years.options] == [("2024", 1), ("2021", 1)]


def test_the_index_row_follows_a_change_of_visibility(cast):
    paper = PaperFactory(
        title="Verschlusssache", visibility=Visibility.DRAFT, author_state=cast.land_a
    )
    assert search(user=cast.member_b, query="Verschlusssache").total == 0

    paper.visibility = Visibility.INTERNAL
    paper.save()

    assert search(user=cast.member_b, query="Verschlusssache").total == 1
    paper.delete()
    assert not SearchEntry.objects.filter(title="Verschlusssache").exists()


def test_meetings_agenda_items_resolutions_and_follow_ups_are_found_by_whom_may_see_them(cast):
    import datetime

    from dmk.resolutions.models import FollowUp, Resolution
    from tests.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(name="Sondersitzung Wolkenrechner", is_public=False)
    item = AgendaItemFactory(meeting=meeting, title="Wolkenrechner Beschaffung")
    resolution = Resolution.objects.create(
        body=meeting.body,
        meeting=meeting,
        agenda_item=item,
        slug="wolkenrechner",
        title="Wolkenrechner für alle",
        visibility=Visibility.INTERNAL,
    )
    FollowUp.objects.create(
        resolution=resolution,
        task="Wolkenrechner ausschreiben",
        state=cast.land_a,
        due_date=datetime.date(2027, 1, 1),
    )

    def kinds(user) -> list[str]:
        return sorted(h.entry.kind for h in search(user=user, query="Wolkenrechner").hits)

    assert kinds(cast.member_b) == ["agenda_item", "followup", "meeting", "resolution"]
    assert kinds(cast.guest) == []
    assert search(user=None, query="Wolkenrechner", public=True).total == 0

    resolution.visibility = Visibility.PUBLIC
    resolution.save()

    assert kinds(cast.guest) == ["resolution"]
    public = search(user=None, query="Wolkenrechner", public=True)
    assert [(h.entry.kind, h.url) for h in public.hits] == [
        ("resolution", "/beschluesse/wolkenrechner/")
    ]
