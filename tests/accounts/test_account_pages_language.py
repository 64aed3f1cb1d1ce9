"""The account pages (``/konto/…``) follow the language the visitor came from: a login link
from an English page leads to an English login and second-factor step; without such a hint
they stay German (the site's default). UI in German with a complete English translation."""

from __future__ import annotations

import pytest
from django.conf import settings

from dmk.bodies.models import MembershipRole
from tests.factories import PASSWORD, StateFactory, give_totp, user_with_role

pytestmark = pytest.mark.django_db


def test_the_login_page_is_german_without_a_hint(client):
    html = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de"' in html


def test_a_login_link_from_an_english_page_opens_an_english_login(client):
    response = client.get("/konto/login/", {"next": "/en/intern/"})

    html = response.content.decode()
    assert '<html lang="en"' in html
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_second_factor_step_stays_english(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    give_totp(member)
    client.get("/konto/login/", {"next": "/en/intern/"})
    response = client.post(
        "/konto/login/?next=/en/intern/", {"login": member.email, "password": PASSWORD}
    )
    assert response.status_code == 302

    html = client.get(response["Location"]).content.decode()

    assert '<html lang="en"' in html


def test_an_english_page_links_its_login_with_an_english_next(client):
    html = client.get("/en/sitzungen/").content.decode()
    assert '<a href="/konto/login/?next=/en/intern/">Log in</a>' in html


def test_a_foreign_next_gives_no_language(client):
    html = client.get("/konto/login/", {"next": "https://evil.example/en/"}).content.decode()
    assert '<html lang="de"' in html


def test_a_login_link_from_a_german_page_switches_back_to_german(client):
    client.get("/konto/login/", {"next": "/en/intern/"})

    response = client.get("/konto/login/", {"next": "/intern/"})

    assert '<html lang="de"' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    html = client.get("/sitzungen/").content.decode()
    assert '<a href="/konto/login/?next=/intern/">Anmelden</a>' in html
