"""Script injection through the portal's text fields: what a Land or the Geschäftsstelle types
is escaped or sanitised (nh3) before any reader sees it."""

from __future__ import annotations

import pytest

from dmk.voting.models import WrittenProcedure

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script><p onclick="steal()">Text</p><img src=x onerror=alert(1)>'


def test_a_script_in_a_papers_title_and_text_is_escaped_for_readers(cast):
    client = cast.client("member_a")
    client.post(
        f"/intern/vorlagen/{cast.draft.slug}/bearbeiten/",
        {"title": f"Titel {SCRIPT}", "paper_type": "proposal", "text_source": SCRIPT},
    )

    page = cast.client("secretariat").get(f"/intern/vorlagen/{cast.draft.slug}/")

    assert page.status_code == 200
    assert '<script>alert("xss")' not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text


def test_a_script_in_a_written_procedure_text_is_removed(cast):
    response = cast.client("secretariat").post(
        "/intern/umlaufverfahren/", {"title": "Umlauf <b>fett</b>", "text_html": SCRIPT}
    )
    procedure = WrittenProcedure.objects.get()

    page = cast.client("member_b").get(f"/intern/umlaufverfahren/{procedure.pk}/")

    assert response.status_code == 302
    assert "<script" not in procedure.text_html
    assert "onclick" not in procedure.text_html and "onerror" not in procedure.text_html
    assert "<script>alert" not in page.text
    assert "Umlauf &lt;b&gt;fett&lt;/b&gt;" in page.text
