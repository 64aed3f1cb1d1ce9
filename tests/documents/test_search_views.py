"""The search pages: ``/intern/suche/`` with facets, snippets, sort and pagination, the
header's quick search, and the public ``/suche/`` on the same engine (issue 13 items 4–5)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dmk.core.enums import Visibility
from dmk.papers import services as paper_services
from tests.documents.conftest import make_pdf
from tests.factories import PaperFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def test_the_portal_search_shows_the_pdf_page_and_marks_the_word(
    cast, django_capture_on_commit_callbacks
):
    paper = PaperFactory(title="Lagebericht", visibility=Visibility.INTERNAL)
    pages = ["Vorwort"] * 6 + ["Hier steht Quantenkryptografie auf Seite sieben."]
    with django_capture_on_commit_callbacks(execute=True):
        paper_services.paper_file_add(
            actor=cast.secretariat, paper=paper, name="lage.pdf", stream=io.BytesIO(make_pdf(pages))
        )

    html = client_for(cast.member_b).get("/intern/suche/", {"q": "Quantenkryptografie"}).text

    assert f'<a href="/intern/vorlagen/{paper.slug}/">Lagebericht</a>' in html
    assert "lage.pdf, Seite 7:" in html
    assert "<mark>Quantenkryptografie</mark>" in html
    assert "1 Treffer" in html


def test_land_b_gets_no_trace_of_land_as_draft_on_the_page(cast):
    PaperFactory(title="Geheimprojekt Funkmast", author_state=cast.land_a)

    html = client_for(cast.member_b).get("/intern/suche/", {"q": "Funkmast"}).text

    assert "Geheimprojekt" not in html
    assert "0 Treffer" in html
    assert 'id="facette-' not in html


def test_the_public_search_lists_only_public_objects_and_links_to_public_addresses(cast):
    public = PaperFactory(title="Offene Daten Strategie", visibility=Visibility.PUBLIC)
    PaperFactory(title="Offene Daten intern", visibility=Visibility.INTERNAL)

    anonymous = Client().get("/suche/", {"q": "Offene Daten"}).text
    member = client_for(cast.member_b).get("/suche/", {"q": "Offene Daten"}).text

    for html in (anonymous, member):
        assert f'<a href="/vorlagen/{public.slug}/">Offene Daten Strategie</a>' in html
        assert "Offene Daten intern" not in html
        assert "1 Treffer" in html
        assert 'id="facette-sichtbarkeit"' not in html


def test_results_are_paged_and_the_page_links_keep_the_query(cast):
    for n in range(23):
        PaperFactory(title=f"Datenstrategie Teil {n}", visibility=Visibility.PUBLIC)

    first = Client().get("/suche/", {"q": "Datenstrategie", "typ": "paper"}).text
    second = Client().get("/suche/", {"q": "Datenstrategie", "typ": "paper", "seite": "2"}).text

    assert "23 Treffer, Seite 1 von 2" in first
    assert first.count('class="dmk-search-hit"') == 20
    assert "?q=Datenstrategie&amp;typ=paper&amp;seite=2" in first
    assert second.count('class="dmk-search-hit"') == 3


def _queries(client: Client, n: int) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get("/intern/suche/", {"q": "Zählwort"}).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_hits(cast):
    client = client_for(cast.member_b)
    PaperFactory(title="Zählwort eins", visibility=Visibility.INTERNAL)
    one = _queries(client, 1)
    PaperFactory(title="Zählwort zwei", visibility=Visibility.INTERNAL)
    PaperFactory(title="Zählwort drei", visibility=Visibility.INTERNAL)
    three = _queries(client, 3)

    assert one == three


def test_the_quick_search_answers_a_fragment_with_the_first_hits(cast):
    PaperFactory(title="Digitalgipfel Vorbereitung", visibility=Visibility.INTERNAL)

    response = client_for(cast.member_b).get(
        "/intern/suche/schnell/", {"q": "Digitalgipfel"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Digitalgipfel Vorbereitung" in response.text
    assert "1 Treffer anzeigen" in response.text


def test_the_portal_header_carries_the_quick_search(cast):
    html = client_for(cast.member_b).get("/intern/").text

    assert 'hx-get="/intern/suche/schnell/"' in html
    assert 'aria-live="polite"' in html


def test_the_search_page_is_in_english_under_en(cast):
    PaperFactory(title="Cloud Leitfaden", visibility=Visibility.PUBLIC)

    html = Client().get("/en/suche/", {"q": "Leitfaden"}).text

    assert "1 result" in html
    assert "Search term" in html


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.text(max_size=300),
    facet=st.sampled_from(["typ", "sitzung", "land", "thema", "jahr", "sichtbarkeit", "seite"]),
    value=st.text(max_size=30),
)
def test_arbitrary_query_text_never_gives_a_500(cast, query, facet, value):
    client = client_for(cast.member_b)
    params = {"q": query, facet: value, "sortierung": value}

    for url in ("/intern/suche/", "/suche/", "/intern/suche/schnell/"):
        assert client.get(url, params).status_code == 200
