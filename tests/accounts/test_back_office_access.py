"""The back office refuses non-Geschäftsstelle users with a German 403, not a redirect loop."""

from __future__ import annotations

import pytest

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


def test_member_of_a_land_gets_a_german_403_on_the_back_office(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    login_with_second_factor(client, member)

    response = client.get("/verwaltung/")

    assert response.status_code == 403
    html = response.content.decode()
    assert '<h1 class="kern-heading-x-large">Kein Zugriff</h1>' in html
    assert '<html lang="de"' in html


def test_secretariat_opens_the_back_office(client):
    login_with_second_factor(client, secretariat_user())
    assert client.get("/verwaltung/").status_code == 200


def test_a_refused_portal_page_shows_the_reason_in_german(client, public_record):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    login_with_second_factor(client, member)

    response = client.get("/intern/sitzungsleitung/1-dmk/")

    assert response.status_code == 403
    assert "Nur die Geschäftsstelle darf die Sitzung leiten." in response.content.decode()
