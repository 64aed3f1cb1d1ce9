"""Scrolling table containers are reachable by keyboard (WCAG 2.1.1, axe rule
``scrollable-region-focusable``): every ``.dmk-table-wrap`` is a focusable, labelled region."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "dmk" / "templates"
WRAP = re.compile(r'<div class="dmk-table-wrap"[^>]*>')


def test_every_table_wrap_in_the_templates_is_a_focusable_labelled_region():
    sources = {
        path.relative_to(TEMPLATES).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(TEMPLATES.rglob("*.html"))
    }
    wraps = [(name, tag) for name, text in sources.items() for tag in WRAP.findall(text)]
    # every use of the class is a <div> the pattern sees (none hides behind other markup),
    # and the templates known to scroll tables sideways are among them
    assert len(wraps) == sum(text.count('class="dmk-table-wrap"') for text in sources.values())
    assert {"portal/attendance_board.html", "website/meeting_index.html"} <= {n for n, _ in wraps}
    unlabelled = [
        name
        for name, tag in wraps
        if not re.fullmatch(
            r'<div class="dmk-table-wrap" tabindex="0" role="region" '
            r'(aria-label="(\{% translate "[^"]+" %\}|\{\{ caption \}\})"'
            r'|aria-labelledby="[a-z0-9-]+")>',
            tag,
        )
    ]
    assert unlabelled == []


@pytest.mark.django_db
def test_the_public_sessions_table_is_labelled_by_its_caption(client):
    response = client.get("/sitzungen/")
    assert response.status_code == 200
    assert (
        '<div class="dmk-table-wrap" tabindex="0" role="region" '
        'aria-label="Sitzungen der Digitalministerkonferenz">'
    ) in response.content.decode()
