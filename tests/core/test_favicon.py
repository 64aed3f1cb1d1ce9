"""The DMK mark as favicon: an SVG, linked from every page, and /favicon.ico for browsers
that ask for it on their own (a permanent redirect to the SVG)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SVG = Path(__file__).resolve().parents[2] / "dmk" / "static" / "favicon.svg"
NS = "{http://www.w3.org/2000/svg}"


def test_the_favicon_is_valid_svg_with_a_blue_square_and_white_dmk():
    root = ET.parse(SVG).getroot()  # noqa: S314 — our own file in the repository
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 64 64"
    rect = root.find(f"{NS}rect")
    assert (rect.get("width"), rect.get("height"), rect.get("fill")) == ("64", "64", "#004b87")
    text = root.find(f"{NS}text")
    assert (text.text, text.get("fill")) == ("DMK", "#ffffff")


@pytest.mark.django_db
def test_every_page_links_the_svg_favicon(client):
    html = client.get("/sitzungen/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


@pytest.mark.django_db
def test_favicon_ico_redirects_permanently_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
