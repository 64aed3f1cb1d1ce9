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


QUERIES = 9  # 8 + the count of the paginator (issue 17 item 1)


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
