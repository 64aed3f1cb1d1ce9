"""Public ``/laender/`` (issue 3 item 8): member and permanent deputy of the current chair
period with name and function — never contact details."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_laender_page_shows_names_and_functions_but_no_contact_details(
    client, public_record, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    call_command("load_demo", stdout=io.StringIO())
    response = client.get("/laender/")
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 16
    assert "Dr. Florian Zirngibl" in page
    assert "Staatsminister" in page
    assert "Veronika Schwaigerer" in page
    assert "@" not in page.split('id="inhalt"')[1].split("</main>")[0]
    assert "+49" not in page
    assert "Musterstraße" not in page
