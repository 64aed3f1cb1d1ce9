"""The archive lists scale (issue 17 item 1): every list that can grow is paginated with a
constant number of queries per page, every object is on exactly one page, the hot
``ORDER BY`` is served by an index, and the sitemap is an index of small sections."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dmk.core.enums import Visibility
from dmk.meetings.models import Meeting
from dmk.meetings.selectors import meeting_list
from dmk.resolutions.models import Resolution
from dmk.resolutions.selectors import resolution_list
from dmk.website import seo
from dmk.website.models import NewsIndexPage, PressReleasePage
from tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _add_resolutions(count: int, *, start: int = 0) -> None:
    meeting = Meeting.objects.filter(slug="m").first() or MeetingFactory(slug="m", is_public=True)
    for n in range(start, start + count):
        Resolution.objects.create(
            body=meeting.body,
            meeting=meeting,
            slug=f"r{n}",
            title=f"Beschluss {n}",
            visibility=Visibility.PUBLIC,
            # equal dates and missing dates on purpose: the order must still be total
            decided_on=None if n % 5 == 0 else datetime.date(2025, 1, 1 + n % 3),
        )


def _add_meetings(count: int, *, start: int = 0) -> None:
    body = BodyFactory() if start == 0 else Meeting.objects.first().body
    for n in range(start, start + count):
        MeetingFactory(
            body=body,
            organization=None,
            slug=f"s{n}",
            is_public=True,
            start_date=None if n % 7 == 0 else datetime.date(2024, 1 + n % 12, 1 + n % 3),
        )


def _add_news(count: int, *, start: int = 0) -> None:
    index = NewsIndexPage.objects.get(slug="aktuelles", locale__language_code="de")
    for n in range(start, start + count):
        index.add_child(
            instance=PressReleasePage(
                title=f"Meldung {n}",
                slug=f"meldung-{n}",
                date=datetime.date(2026, 1, 1 + n % 28),
                teaser="Kurz.",
            )
        )


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: site root, locales, content types
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


LISTS = {
    "/beschluesse/": _add_resolutions,
    "/beschluesse/?sitzung=m": _add_resolutions,
    "/feeds/beschluesse/rss/": _add_resolutions,
    "/sitzungen/": _add_meetings,
    "/aktuelles/": _add_news,
    "/feeds/aktuelles/rss/": _add_news,
}


@pytest.mark.parametrize("url", LISTS)
def test_every_list_page_needs_as_many_queries_for_1_row_as_for_50(client, site, url):
    add = LISTS[url]
    add(1)
    one = _queries(client, url)
    add(49, start=1)
    fifty = _queries(client, url)
    assert one == fifty


def _walk(client, url: str, key: str) -> list[object]:
    seen: list[object] = []
    number = 1
    while True:
        response = client.get(url, {"seite": number})
        page = response.context[key]
        assert page.number == number
        seen += list(page.object_list)
        if not page.has_next():
            return seen
        number += 1


def test_resolution_pagination_shows_every_public_resolution_exactly_once_in_order(
    client, settings
):
    settings.DMK_ARCHIVE_PAGE_SIZE = 7
    _add_resolutions(23)
    Resolution.objects.filter(slug="r3").update(visibility=Visibility.DRAFT)
    seen = _walk(client, "/beschluesse/", "page")  # the rows: dicts (archive_rows)
    assert [r["slug"] for r in seen] == [r.slug for r in resolution_list(user=AnonymousUser())]
    assert len({r["pk"] for r in seen}) == len(seen) == 22


def test_meeting_pagination_shows_every_public_meeting_exactly_once_in_order(client, settings):
    settings.DMK_ARCHIVE_PAGE_SIZE = 4
    _add_meetings(17)
    seen = _walk(client, "/sitzungen/", "meetings")
    assert [m.slug for m in seen] == [m.slug for m in meeting_list(user=AnonymousUser())]
    assert len({m.pk for m in seen}) == len(seen) == 17


def test_news_pagination_shows_every_press_release_exactly_once(client, site, settings):
    settings.DMK_ARCHIVE_PAGE_SIZE = 2
    _add_news(5)
    seen = _walk(client, "/aktuelles/", "releases")
    expected = PressReleasePage.objects.live().filter(locale__language_code="de")
    assert sorted(p.pk for p in seen) == sorted(expected.values_list("pk", flat=True))
    assert len({p.pk for p in seen}) == len(seen)


def test_a_malformed_or_too_large_page_number_shows_the_nearest_page(client, settings):
    settings.DMK_ARCHIVE_PAGE_SIZE = 5
    _add_resolutions(12)
    assert client.get("/beschluesse/", {"seite": "abc"}).context["page"].number == 1
    assert client.get("/beschluesse/", {"seite": "99"}).context["page"].number == 3
    assert client.get("/beschluesse/", {"seite": "-1"}).context["page"].number == 3


def test_page_links_keep_the_filter_and_the_count_names_all_matches(client, settings):
    settings.DMK_ARCHIVE_PAGE_SIZE = 5
    _add_resolutions(12)
    html = client.get("/beschluesse/", {"sitzung": "m", "seite": "2"}).content.decode()
    assert 'href="?sitzung=m&amp;seite=3"' in html
    assert 'href="?sitzung=m&amp;seite=1"' in html
    assert "12 Beschlüsse" in html
    assert 'aria-current="page" href="?sitzung=m&amp;seite=2"' in html


def test_the_year_choices_come_from_one_aggregate_newest_first(client):
    _add_resolutions(10)
    form = client.get("/beschluesse/").context["filter_form"]
    assert [value for value, _label in form.fields["jahr"].choices] == ["", "2025"]


# --- indexes match the ORDER BY of the hot queries (checked with EXPLAIN) ---------------------


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # tiny tables: force the choice. A sort stays possible (it only costs more), so a
            # plan without "Sort" shows that an index delivers the order; without this the
            # planner's pick between a bitmap scan plus sort and the index depends on the
            # table statistics of the moment
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _sorts(plan: str) -> bool:
    return bool(re.search(r"\bSort\b|TEMP B-TREE FOR ORDER BY", plan))


def test_the_latest_public_resolutions_are_read_from_the_index_without_a_sort():
    _add_resolutions(30)
    plan = _plan(resolution_list(user=AnonymousUser()).prefetch_related(None)[:5])
    assert "resolution_archive_order_idx" in plan
    assert not _sorts(plan), plan


def test_meetings_in_their_default_order_are_read_from_the_index_without_a_sort():
    _add_meetings(10)
    plan = _plan(Meeting.objects.all()[:5])
    assert "meeting_archive_order_idx" in plan
    assert not _sorts(plan), plan


# --- the sitemap index and its sections -------------------------------------------------------


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own sitemap


W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$")


def _validate_urlset(root: ET.Element, limit: int) -> list[str]:
    """The sitemaps.org 0.9 rules for a urlset: the namespace, ``url`` children with exactly
    one absolute ``loc`` (≤ 2,048 characters), a W3C date in ``lastmod``, ≤ ``limit`` URLs."""
    assert root.tag == f"{SITEMAP_NS}urlset"
    urls = root.findall(f"{SITEMAP_NS}url")
    assert 0 < len(urls) <= limit
    locations = []
    for url in urls:
        locs = url.findall(f"{SITEMAP_NS}loc")
        assert len(locs) == 1
        assert locs[0].text.startswith("http://testserver/") and len(locs[0].text) <= 2048
        lastmod = url.find(f"{SITEMAP_NS}lastmod")
        assert lastmod is None or W3C_DATE.match(lastmod.text)
        locations.append(locs[0].text)
    return locations


def test_sitemap_is_a_valid_index_whose_sections_stay_under_their_limit(client, site, monkeypatch):
    monkeypatch.setattr(seo.ResolutionSitemap, "limit", 10)
    _add_resolutions(12)  # + the record's public resolutions, two languages each
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = _xml(index.content)
    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    entries = root.findall(f"{SITEMAP_NS}sitemap")
    locations: list[str] = []
    resolution_pages = 0
    for entry in entries:
        loc = entry.find(f"{SITEMAP_NS}loc").text
        lastmod = entry.find(f"{SITEMAP_NS}lastmod")
        assert lastmod is None or W3C_DATE.match(lastmod.text)
        parts = urlsplit(loc)
        assert parts.scheme == "http" and parts.netloc == "testserver"
        assert re.fullmatch(r"/sitemap-[a-z]+\.xml", parts.path)
        section = client.get(
            parts.path, {"p": parts.query.removeprefix("p=")} if parts.query else {}
        )
        assert section.status_code == 200
        limit = 10 if "beschluesse" in parts.path else seo.SECTION_LIMIT
        locations += _validate_urlset(_xml(section.content), limit)
        resolution_pages += "beschluesse" in parts.path
    public = resolution_list(user=AnonymousUser()).count()
    assert resolution_pages == -(-public * 2 // 10)  # ceil: two languages per resolution
    assert len(locations) == len(set(locations))
    assert "http://testserver/beschluesse/r1/" in locations
    assert "http://testserver/en/beschluesse/r1/" in locations


def test_every_sitemap_section_keeps_far_below_the_protocols_50000_urls():
    assert seo.SECTION_LIMIT == 10_000
    for section in seo.sitemaps(None).values():
        assert section.limit == seo.SECTION_LIMIT


def test_an_unknown_sitemap_section_or_page_is_not_found(client, site):
    assert client.get("/sitemap-gibt-es-nicht.xml").status_code == 404
    assert client.get("/sitemap-beschluesse.xml", {"p": "999"}).status_code == 404
