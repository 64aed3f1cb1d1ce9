"""The resolution archive filters by year, session, topic and Land (issue 7 item 2)."""

from __future__ import annotations

import re

import pytest

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution

pytestmark = pytest.mark.django_db


def _listed(html: str) -> set[str]:
    return {r.slug for r in Resolution.objects.all() if f'href="{r.get_absolute_url()}"' in html}


def _public():
    return Resolution.objects.filter(visibility=Visibility.PUBLIC)


def test_year_filter_shows_only_resolutions_of_that_year(client, public_record):
    html = client.get("/beschluesse/", {"jahr": "2024"}).content.decode()
    assert _listed(html) == set(
        _public().filter(decided_on__year=2024).values_list("slug", flat=True)
    )
    assert _listed(html)


def test_session_filter_shows_only_resolutions_of_that_session(client, public_record):
    html = client.get("/beschluesse/", {"sitzung": "1-dmk"}).content.decode()
    expected = set(_public().filter(meeting__slug="1-dmk").values_list("slug", flat=True))
    assert expected and _listed(html) == expected


def test_topic_and_land_filters_combine(client, public_record):
    resolution = _public().filter(topics__isnull=False, initiating_states__isnull=False).first()
    topic = resolution.topics.first()
    state = resolution.initiating_states.first()
    html = client.get("/beschluesse/", {"thema": topic.slug, "land": state.code}).content.decode()
    expected = set(
        _public()
        .filter(topics=topic)
        .filter(initiating_states=state)
        .values_list("slug", flat=True)
    )
    assert resolution.slug in expected
    assert _listed(html) == expected


def test_unknown_filter_value_gives_a_german_error_and_is_ignored(client, public_record):
    response = client.get("/beschluesse/", {"jahr": "1850"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt." in html
    assert _listed(html) == set(_public().values_list("slug", flat=True))


def test_permalink_of_a_resolution_is_shown(client, public_record):
    resolution = _public().first()
    html = client.get(resolution.get_absolute_url()).content.decode()
    assert f"http://testserver{resolution.get_absolute_url()}" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_filtered_archive_needs_the_same_queries_for_1_and_3_rows(
    client, rows, django_assert_num_queries
):
    from tests.factories import BodyFactory, MeetingFactory

    body = BodyFactory()
    meeting = MeetingFactory(body=body, slug="m", is_public=True)
    for n in range(rows):
        Resolution.objects.create(
            body=body, meeting=meeting, slug=f"r{n}", title=f"R{n}", visibility="public"
        )
    client.get("/beschluesse/", {"sitzung": "m"})  # warm up: site, locales
    with django_assert_num_queries(QUERIES):
        client.get("/beschluesse/", {"sitzung": "m"})


# years, meetings, topics, Länder (the filter form); the count; the page of rows and its
# initiating Länder (issue 17 item 1: no topics prefetched for the rows, nothing per row)
QUERIES = 7


def test_session_page_links_its_filtered_archive(client, public_record):
    html = client.get("/sitzungen/1-dmk/").content.decode()
    assert 'href="/beschluesse/?sitzung=1-dmk"' in html


@pytest.mark.parametrize("name", ["jahr", "sitzung", "thema", "land"])
def test_a_bad_filter_value_points_the_select_to_its_error_message(client, name):
    """WCAG 3.3.1: the select's ``aria-describedby`` names the id of the shown error."""
    html = client.get("/beschluesse/", {name: "abc"}).content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>', html).group(0)
    assert re.search(r'aria-describedby="([^"]+)"', select).group(1) == f"id_{name}_error"
    assert 'aria-invalid="true"' in select
    assert (
        f'<p class="kern-error" id="id_{name}_error">'
        "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt.</p>"
    ) in html


# --- the "Sitzung" select stays short as the record grows (issue 17 item 1) -------------------


def _meetings_with_resolutions(count: int) -> list:
    """``count`` public meetings a week apart in 2000…, newest last, each with one public
    resolution decided on its day."""
    import datetime

    from tests.factories import BodyFactory, MeetingFactory

    body = BodyFactory()
    meetings = []
    for n in range(count):
        day = datetime.date(2000, 1, 3) + datetime.timedelta(weeks=n)
        meeting = MeetingFactory(
            body=body, slug=f"s{n}", name=f"Sitzung {n}", is_public=True, start_date=day
        )
        Resolution.objects.create(
            body=body,
            meeting=meeting,
            slug=f"b{n}",
            title=f"B{n}",
            visibility="public",
            decided_on=day,
        )
        meetings.append(meeting)
    return meetings


def _session_options(html: str) -> list[str]:
    select = re.search(r'<select name="sitzung".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_session_select_offers_the_30_newest_and_says_how_to_reach_older_ones(client):
    _meetings_with_resolutions(35)
    html = client.get("/beschluesse/").content.decode()
    assert _session_options(html) == [""] + [f"s{n}" for n in range(34, 4, -1)]
    select = re.search(r'<select name="sitzung"[^>]*>', html).group(0)
    assert 'aria-describedby="id_sitzung_helptext"' in select
    assert (
        '<p class="kern-hint" id="id_sitzung_helptext">Die letzten 30 Sitzungen; ältere finden '
        "Sie nach Wahl des Jahres.</p>"
    ) in html


def test_a_link_to_an_old_session_still_filters_and_selects_it(client):
    _meetings_with_resolutions(35)
    response = client.get("/beschluesse/", {"sitzung": "s0"})
    html = response.content.decode()
    assert "Diese Auswahl gibt es nicht" not in html
    assert _listed(html) == {"b0"}
    assert '<option value="s0" selected>Sitzung 0</option>' in html
    assert _session_options(html)[-1] == "s0"


def test_with_a_year_the_session_select_offers_that_years_sessions(client):
    _meetings_with_resolutions(60)  # 2000-01-03 … 2001-02-19
    html = client.get("/beschluesse/", {"jahr": "2001"}).content.decode()
    assert _session_options(html) == ["", "s59", "s58", "s57", "s56", "s55", "s54", "s53", "s52"]
    assert "id_sitzung_helptext" not in html
    few = client.get("/beschluesse/").content.decode()
    assert len(_session_options(few)) == 31


def test_few_sessions_need_no_hint(client):
    _meetings_with_resolutions(3)
    html = client.get("/beschluesse/").content.decode()
    assert _session_options(html) == ["", "s2", "s1", "s0"]
    assert "kern-hint" not in html
