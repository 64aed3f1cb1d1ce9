"""Every 403 leaves one ``access.denied`` audit entry (issue 4 item 7: "denials")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from dmk.bodies.models import MembershipRole
from dmk.core.middleware import _path_without_secrets
from dmk.core.models import ActivityLog
from tests.factories import StateFactory, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_b(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY", name_de="Bayern"))
    login_with_second_factor(client, member)
    return member


def test_a_refused_export_writes_exactly_one_entry_with_path_but_no_query(client, member_b):
    """The contact export is for the Geschäftsstelle only (DOMAIN rule 11)."""
    response = client.get(
        "/intern/kontakte/kontakte.csv?token=geheim-123", REMOTE_ADDR="203.0.113.4"
    )

    assert response.status_code == 403
    entry = ActivityLog.objects.get(action="access.denied")
    assert entry.actor == member_b
    assert entry.ip_address == "203.0.113.4"
    assert entry.data == {"path": "/intern/kontakte/kontakte.csv", "method": "GET"}
    assert "geheim" not in str(entry.data)


def test_the_back_office_door_is_logged_too(client, member_b):
    """The second-factor middleware's 403 for users without back-office access."""
    assert client.post("/verwaltung/").status_code == 403
    entry = ActivityLog.objects.get(action="access.denied")
    assert (entry.actor, entry.data) == (member_b, {"path": "/verwaltung/", "method": "POST"})


def test_allowed_pages_and_not_found_pages_write_no_entry(client, member_b):
    assert client.get("/intern/").status_code == 200
    assert client.get("/intern/kontakte/").status_code == 200
    assert client.get("/gibt-es-nicht/").status_code == 404
    assert not ActivityLog.objects.filter(action="access.denied").exists()


def test_an_anonymous_denial_is_logged_without_a_user():
    """A CSRF failure is a 403 as well; the entry then names no user."""
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/konto/login/", {"login": "x@y.example"}).status_code == 403
    entry = ActivityLog.objects.get(action="access.denied")
    assert (entry.actor, entry.data) == (None, {"path": "/konto/login/", "method": "POST"})


def test_secret_url_parameters_are_masked_in_the_logged_path(rf):
    """Invitation, calendar and reset links carry their secret in the path (issue 4 item 7:
    no tokens in the log)."""
    request = rf.get("/konto/einladung/geheimer-token-42/")
    request.resolver_match = resolve(request.path)
    assert _path_without_secrets(request) == "/konto/einladung/***/"
