"""Page titles name the page only: a screen reader reads the title first."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Digitalministerkonferenz – DMK-Plattform"),
        ("/en/", "Conference of Digital Ministers – DMK Platform"),
    ],
)
def test_start_page_title_is_only_the_page_name(client, site, path, title):
    html = client.get(path).content.decode()
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == title


def test_news_dates_follow_the_language(client, site):
    german = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert re.search(r'<time datetime="\d{4}-11-\d\d">\d+\. November \d{4}</time>', german)
    assert re.search(r'<time datetime="\d{4}-11-\d\d">Nov\. \d+, \d{4}</time>', english)


def test_german_only_record_text_is_marked_german_on_english_pages(client, public_record):
    """WCAG 3.1.2: the record's German notes and titles carry lang="de" on /en/ pages only."""
    english = client.get("/en/sitzungen/1-dmk/").content.decode()
    german = client.get("/sitzungen/1-dmk/").content.decode()
    assert '<p class="dmk-note" lang="de">Geschäftsordnung beschlossen.' in english
    assert '<p class="dmk-note">Geschäftsordnung beschlossen.' in german
