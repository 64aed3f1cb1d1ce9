"""Attacks on the chair-period handover ``/intern/vorsitz/uebergabe/`` (issue 3 item 4; DOMAIN
rule 10): the next chair's staff, a password-only Geschäftsstelle session, a missing CSRF
token, forged or stale form tokens, GET. Nothing may move the Geschäftsstelle role."""

from __future__ import annotations

import pytest
from django.test import Client

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from tests.factories import UserFactory
from tests.helpers import login_with_second_factor
from tests.portal.test_handover import URL, _secretariat, setup  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _nothing_moved(data) -> bool:
    return _secretariat(data["next"].start_date) == {p.pk for p in data["old"]} and not (
        ActivityLog.objects.filter(action="bodies.chair_period.handover").exists()
    )


def _token(data) -> str:
    return f"{data['now'].pk}-{data['next'].pk}"


def test_the_next_chairs_staff_cannot_hand_the_role_to_themselves(setup):  # noqa: F811
    person = setup["new"][0]
    person.user = UserFactory()
    person.save()
    client = Client()
    login_with_second_factor(client, person.user)
    assert person.memberships.get().role == MembershipRole.STATE_STAFF

    response = client.post(URL, {"uebergabe": _token(setup), "confirm": "yes"})

    assert response.status_code == 403
    assert _nothing_moved(setup)


def test_a_password_only_geschaeftsstelle_session_cannot_hand_over(setup):  # noqa: F811
    client = Client()
    client.force_login(setup["office"])

    response = client.post(URL, {"uebergabe": _token(setup), "confirm": "yes"})

    assert response.status_code in (302, 403)
    assert _nothing_moved(setup)


def test_the_handover_needs_the_csrf_token(setup):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    login_with_second_factor(client, setup["office"])

    response = client.post(URL, {"uebergabe": _token(setup), "confirm": "yes"})

    assert response.status_code == 403
    assert _nothing_moved(setup)


@pytest.mark.parametrize(
    "token", ["", "1-2-3", "0-0", "x" * 10000, "\x00", "-", "99999999999999999999-1"]
)
def test_a_forged_form_token_is_refused_in_german(setup, token):  # noqa: F811
    client = Client()
    login_with_second_factor(client, setup["office"])

    response = client.post(URL, {"uebergabe": token, "confirm": "yes"})

    assert response.status_code == 200
    assert "Diese Übergabe ist bereits erfolgt oder nicht mehr aktuell." in response.text
    assert _nothing_moved(setup)


def test_get_with_the_parameters_moves_nothing(setup):  # noqa: F811
    client = Client()
    login_with_second_factor(client, setup["office"])

    response = client.get(URL, {"uebergabe": _token(setup), "confirm": "yes"})

    assert response.status_code == 200
    assert _nothing_moved(setup)
