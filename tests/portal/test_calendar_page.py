"""The portal page ``/intern/kalender/`` for the personal calendar feed (issue 5 item 5): the
subscription URL is shown once, right after creating or renewing (only its hash is stored)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import CalendarFeed
from tests.factories import PersonFactory, StateFactory, UserFactory, give_totp, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

URL_PATTERN = re.compile(r"http://127\.0\.0\.1:8000/kalender/[A-Za-z0-9_-]{43}\.ics")


@pytest.fixture
def member_client():
    user = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB", name_de="Bremen"))
    give_totp(user)
    client = Client()
    login_with_second_factor(client, user)
    client.user = user
    return client


def test_without_a_feed_the_page_offers_to_create_one(member_client):
    response = member_client.get("/intern/kalender/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sie haben kein Kalender-Abo." in html
    assert "Kalender-Abo erstellen" in html
    assert "Abo widerrufen" not in html
    assert URL_PATTERN.search(html) is None


def test_the_url_is_shown_once_after_creating_and_works(member_client):
    response = member_client.post("/intern/kalender/", {"action": "create"})
    assert response.status_code == 200
    urls = URL_PATTERN.findall(response.content.decode())
    assert len(urls) == 1
    assert Client().get(urls[0].removeprefix("http://127.0.0.1:8000")).status_code == 200
    again = member_client.get("/intern/kalender/").content.decode()
    assert URL_PATTERN.search(again) is None
    assert "Sie haben ein Kalender-Abo, eingerichtet am" in again
    assert "Kalender-Abo erneuern" in again


def test_renewing_shows_a_new_url_and_the_old_one_stops(member_client):
    first = URL_PATTERN.findall(
        member_client.post("/intern/kalender/", {"action": "create"}).content.decode()
    )[0]
    second = URL_PATTERN.findall(
        member_client.post("/intern/kalender/", {"action": "create"}).content.decode()
    )[0]
    assert first != second
    anonymous = Client()
    assert anonymous.get(first.removeprefix("http://127.0.0.1:8000")).status_code == 404
    assert anonymous.get(second.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_revoking_ends_the_feed(member_client):
    url = URL_PATTERN.findall(
        member_client.post("/intern/kalender/", {"action": "create"}).content.decode()
    )[0]
    response = member_client.post("/intern/kalender/", {"action": "revoke"}, follow=True)
    assert response.redirect_chain == [("/intern/kalender/", 302)]
    assert "Das Kalender-Abo ist widerrufen." in response.content.decode()
    assert Client().get(url.removeprefix("http://127.0.0.1:8000")).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def test_an_unknown_action_changes_nothing(member_client):
    assert member_client.post("/intern/kalender/", {"action": "x"}).status_code == 400
    assert CalendarFeed.objects.count() == 0


def test_the_form_needs_a_csrf_token(member_client):
    strict = Client(enforce_csrf_checks=True)
    login_with_second_factor(strict, member_client.user)
    assert strict.post("/intern/kalender/", {"action": "create"}).status_code == 403
    assert CalendarFeed.objects.count() == 0


def test_a_guest_may_hold_a_feed():
    guest = user_with_role(MembershipRole.GUEST, None)
    client = Client()
    login_with_second_factor(client, guest)
    assert client.get("/intern/kalender/").status_code == 200
    assert client.post("/intern/kalender/", {"action": "create"}).status_code == 200
    assert CalendarFeed.objects.filter(user=guest).count() == 1


def test_a_user_without_a_role_gets_403():
    outsider = UserFactory()
    PersonFactory(user=outsider)
    client = Client()
    login_with_second_factor(client, outsider)
    assert client.get("/intern/kalender/").status_code == 403
    assert client.post("/intern/kalender/", {"action": "create"}).status_code == 403


def test_the_portal_home_links_to_the_calendar_page(member_client):
    assert 'href="/intern/kalender/"' in member_client.get("/intern/").content.decode()
