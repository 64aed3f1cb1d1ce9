"""``/intern/`` needs a login (issue 2 item 5)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_login(client):
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/intern/"


def test_admin_login_is_sent_to_allauth_login(client):
    response = client.get("/verwaltung/login/?next=/verwaltung/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/verwaltung/"
