"""Neither the back office nor the portal makes the browser ask a third party for anything:
no avatars from gravatar.com (a request would tell it who works in the Geschäftsstelle, and
the Content-Security-Policy would block it anyway), and htmx injects no inline styles."""

from __future__ import annotations

import logging

import pytest

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


def test_back_office_pages_load_no_avatar_from_gravatar(client):
    login_with_second_factor(client, secretariat_user(email="gs@dmk.example"))

    for url in ("/verwaltung/", "/verwaltung/account/"):
        html = client.get(url).content.decode()
        assert "gravatar.com" not in html, url


def test_htmx_is_told_not_to_inject_its_indicator_styles(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    login_with_second_factor(client, member)

    html = client.get("/intern/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_a_refused_request_logs_no_traceback_to_the_console(client, caplog):
    """A 403 is recorded in the audit log (``access.denied``), not as a server error."""
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    login_with_second_factor(client, member)

    with caplog.at_level(logging.WARNING):
        assert client.get("/intern/kontakte/kontakte.csv").status_code == 403

    assert [r for r in caplog.records if r.name == "django.request"] == []
