"""Brute force: failures count per (account, IP); nobody can lock a minister out from
elsewhere (issue 4 item 3, ASVS 5.0 6.1.1)."""

from __future__ import annotations

import pytest

from dmk.bodies.models import MembershipRole
from tests.factories import PASSWORD, StateFactory, user_with_role

pytestmark = pytest.mark.django_db

ATTACKER_IP = "192.0.2.66"
OTHER_IP = "198.51.100.20"
LOCKED_MESSAGE = (
    "Zu viele fehlgeschlagene Anmeldeversuche mit diesem Konto. Bitte versuchen Sie es in 15 "
    "Minuten erneut."
)


@pytest.fixture
def land():
    return StateFactory(code="DE-NW", name_de="Nordrhein-Westfalen")


@pytest.fixture
def minister(land):
    return user_with_role(MembershipRole.MEMBER, land, email="ministerin@nrw.example")


@pytest.fixture
def colleague(land):
    return user_with_role(MembershipRole.STATE_STAFF, land, email="referent@nrw.example")


def _login(client, email, password, ip):
    return client.post("/konto/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def _fail_five_times(client, email):
    for _ in range(5):
        response = _login(client, email, "geraten-Passwort-0000", ATTACKER_IP)
        assert response.status_code == 200
        assert LOCKED_MESSAGE not in response.content.decode()


def test_the_sixth_attempt_from_the_same_ip_is_refused_even_with_the_right_password(
    client, minister
):
    _fail_five_times(client, minister.email)
    response = _login(client, minister.email, PASSWORD, ATTACKER_IP)
    assert response.status_code == 200
    assert LOCKED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_account_from_another_ip_still_logs_in(client, minister):
    _fail_five_times(client, minister.email)
    response = _login(client, minister.email, PASSWORD, OTHER_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(minister.pk)


def test_another_account_from_the_same_ip_still_logs_in(client, minister, colleague):
    _fail_five_times(client, minister.email)
    response = _login(client, colleague.email, PASSWORD, ATTACKER_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_e_mail_case_does_not_reset_the_count(client, minister):
    _fail_five_times(client, minister.email)
    response = _login(client, minister.email.upper(), PASSWORD, ATTACKER_IP)
    assert LOCKED_MESSAGE in response.content.decode()


def test_a_flood_of_logins_from_one_ip_answers_429_in_german(client, minister, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        _login(client, "niemand@land.example", "geraten-Passwort-0000", ATTACKER_IP)
    response = _login(client, minister.email, PASSWORD, ATTACKER_IP)
    assert response.status_code == 429
    content = response.content.decode()
    assert '<h1 class="kern-heading-x-large">Zu viele Anfragen</h1>' in content
    assert '<html lang="de"' in content
    assert "_auth_user_id" not in client.session
