"""Sessions: 30 minutes idle, 12 hours absolute, new id at login, deactivation ends them
(issue 4 item 4, BSI APP.3.1)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from dmk.accounts.middleware import SESSION_LOGIN_AT_KEY
from dmk.bodies.models import MembershipRole
from tests.factories import PASSWORD, StateFactory, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HH", name_de="Hamburg"))


def test_session_limits_are_thirty_minutes_idle_and_twelve_hours_absolute():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_AGE == 43200


def test_a_session_younger_than_twelve_hours_stays_open(client, member):
    login_with_second_factor(client, member)
    session = client.session
    session[SESSION_LOGIN_AT_KEY] = time.time() - 12 * 60 * 60 + 60
    session.save()
    assert client.get("/intern/").status_code == 200


def test_a_session_older_than_twelve_hours_ends_even_when_active(client, member):
    login_with_second_factor(client, member)
    assert client.get("/intern/").status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT_KEY] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fintern%2F"
    assert "_auth_user_id" not in client.session


def test_a_session_idle_for_thirty_minutes_is_gone(client, member):
    login_with_second_factor(client, member)
    assert client.get("/intern/").status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/intern/"


def test_each_request_pushes_the_idle_limit_thirty_minutes_ahead(client, member):
    login_with_second_factor(client, member)
    client.get("/intern/")
    expire = Session.objects.get(session_key=client.session.session_key).expire_date
    remaining = (expire - timezone.now()).total_seconds()
    assert 1800 - 60 < remaining <= 1800


def test_login_issues_a_new_session_id(client, member):
    client.get("/konto/login/")
    client.session.save()
    before = client.session.session_key
    response = client.post("/konto/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before


def test_deactivating_an_account_ends_its_session_at_once(client, member):
    login_with_second_factor(client, member)
    assert client.get("/intern/").status_code == 200
    member.is_active = False
    member.save()
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/intern/"
    assert client.get("/verwaltung/").status_code == 302
