"""One row of the public archive (``/beschluesse/``): links, meeting, date and initiating
Länder, read as values for the whole page at once (issue 17 item 1; issue 7 item 2)."""

from __future__ import annotations

import datetime
import re

import pytest

from dmk.resolutions.models import Resolution
from tests.factories import BodyFactory, MeetingFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """Three public resolutions of one meeting: one by two Länder (given in reverse order),
    one with only a note on the initiative, one with neither."""
    body = BodyFactory()
    meeting = MeetingFactory(
        body=body,
        slug="s1",
        name="1. Sitzung",
        is_public=True,
        start_date=datetime.date(2025, 5, 8),
    )
    bayern = StateFactory(code="DE-BY", name_de="Bayern", name_en="Bavaria")
    berlin = StateFactory(code="DE-BE", name_de="Berlin", name_en="Berlin (city state)")
    made = {}
    for number, slug in enumerate(["zwei-laender", "mit-notiz", "ohne"]):
        made[slug] = Resolution.objects.create(
            body=body,
            meeting=meeting,
            slug=slug,
            title=f"Beschluss {slug}",
            title_is_exact=slug != "ohne",
            visibility="public",
            decided_on=datetime.date(2025, 5, 8) - datetime.timedelta(days=number),
            initiating_note="Alle Länder" if slug == "mit-notiz" else "",
        )
    made["zwei-laender"].initiating_states.set([berlin, bayern])
    return made


def _row(html: str, slug: str) -> str:
    row = re.search(rf'<tr>\s*<th scope="row"><a href="[^"]*/{slug}/".*?</tr>', html, re.S)
    return row.group(0)


def test_a_row_shows_link_meeting_date_and_the_initiating_laender_in_german_order(client, rows):
    html = client.get("/beschluesse/").content.decode()
    row = _row(html, "zwei-laender")
    assert '<a href="/beschluesse/zwei-laender/">Beschluss zwei-laender</a>' in row
    assert '<a href="/sitzungen/s1/">1. Sitzung</a>' in row
    assert "<td>8. Mai 2025</td>" in row
    assert "<td>Bayern, Berlin</td>" in row


def test_a_row_without_laender_shows_the_note_else_a_dash(client, rows):
    html = client.get("/beschluesse/").content.decode()
    assert "<td>Alle Länder</td>" in _row(html, "mit-notiz")
    row = _row(html, "ohne")
    assert "<td>–</td>" in row
    assert '<span class="dmk-meta">(Thema)</span>' in row


def test_the_english_archive_names_the_laender_in_english_and_links_english_pages(client, rows):
    html = client.get("/en/beschluesse/").content.decode()
    row = _row(html, "zwei-laender")
    assert '<a href="/en/beschluesse/zwei-laender/" lang="de">Beschluss zwei-laender</a>' in row
    assert '<a href="/en/sitzungen/s1/" lang="de">1. Sitzung</a>' in row
    assert "<td>Bavaria, Berlin (city state)</td>" in row


def test_the_count_names_the_filtered_public_rows_counted_without_the_row_columns(client, rows):
    """The total is counted on the filtered queryset (``paginate(count_from=…)``): a draft is
    not counted, a Land filter narrows the count as it narrows the rows."""
    Resolution.objects.filter(slug="ohne").update(visibility="draft")
    everything = client.get("/beschluesse/")
    assert everything.context["page"].paginator.count == 2
    assert "2 Beschlüsse" in everything.content.decode()
    bavarian = client.get("/beschluesse/", {"land": "DE-BY"})
    assert bavarian.context["page"].paginator.count == 1
    assert "1 Beschluss\n" in bavarian.content.decode()
    assert [row["slug"] for row in bavarian.context["resolutions"]] == ["zwei-laender"]
