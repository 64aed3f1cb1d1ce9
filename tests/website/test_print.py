"""Resolutions print as documents: a print stylesheet hides navigation (issue 7 item 3)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_links_the_print_stylesheet(client, public_record):
    html = client.get("/beschluesse/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/dmk-print.css" media="print">' in html


def test_print_stylesheet_hides_header_navigation_and_footer():
    with open(finders.find("css/dmk-print.css"), encoding="utf-8") as css:
        text = css.read()
    hidden = next(
        rule.split("{")[0] for rule in text.split("}") if "display: none !important" in rule
    )
    selectors = {part.strip() for part in hidden.split(",")}
    assert {".dmk-header", ".dmk-footer", ".dmk-nav", ".dmk-skip-link", "form"} <= selectors
