"""Browser test: the organisation pages (issue 3) have no axe violations (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dmk.accounts.models import User
from tests.helpers import login_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize(
    "path",
    [
        "/intern/kontakte/",
        "/intern/kontakte/ich/",
        "/intern/nominierungen/",
        "/intern/nominierungen/DE-HH/",
        "/laender/",
    ],
)
def test_organisation_page_has_no_axe_violations(
    live_server, public_record, page, path, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    login_with_second_factor(client, User.objects.get(email="geschaeftsstelle@dmk.example"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.url == live_server.url + path
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_contact_page_of_a_person_has_no_axe_violations(
    live_server, public_record, page, monkeypatch
):
    from dmk.bodies.models import Person

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    login_with_second_factor(client, User.objects.get(email="geschaeftsstelle@dmk.example"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    person = Person.objects.get(email="mitglied.by@dmk.example")
    response = page.goto(f"{live_server.url}/intern/kontakte/{person.pk}/")
    assert response.status == 200
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_handover_and_contact_visibility_pages_have_no_axe_violations(
    live_server, public_record, page, log_in_browser, monkeypatch
):
    """The handover screen with a preview and its confirmation form (issue 3 item 4), and the
    self-service page with the per-field visibility settings ticked (issue 3 item 6)."""
    from dmk.bodies.models import Body, ChairPeriod, State

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    call_command("load_demo", stdout=io.StringIO())
    # a test-only next period (the record names none), so the preview lists both sides
    following = ChairPeriod.objects.create(
        body=Body.objects.get(short_name="DMK"),
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    following.chairs.set([State.objects.get(code="DE-BY")])
    visits = [
        ("geschaeftsstelle@dmk.example", "/intern/vorsitz/uebergabe/", "Isarwinkler"),
        ("mitglied.by@dmk.example", "/intern/kontakte/ich/", "Nur für die Geschäftsstelle"),
    ]
    for email, path, expected in visits:
        page.context.clear_cookies()
        log_in_browser(page, User.objects.get(email=email))
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert expected in page.content()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()
