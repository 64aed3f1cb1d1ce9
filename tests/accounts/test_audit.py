"""Logins, failures, factor changes and logouts leave an audit entry (issue 4 item 7)."""

from __future__ import annotations

import json

import pytest

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from tests.factories import PASSWORD, StateFactory, give_totp, user_with_role
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-SN", name_de="Sachsen"))


def test_a_successful_login_with_second_factor_is_logged_with_user_and_ip(client, member):
    secret = give_totp(member)
    client.post(
        "/konto/login/",
        {"login": member.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)}, REMOTE_ADDR="198.51.100.7")
    entry = ActivityLog.objects.get(action="accounts.login.succeeded")
    assert entry.actor == member
    assert entry.ip_address == "198.51.100.7"
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(member.pk)


def test_a_failed_login_is_logged_without_the_password(client, member):
    client.post(
        "/konto/login/",
        {"login": member.email, "password": "falsches-Passwort-123"},
        REMOTE_ADDR="198.51.100.8",
    )
    entry = ActivityLog.objects.get(action="accounts.login.failed")
    assert entry.actor is None
    assert entry.ip_address == "198.51.100.8"
    assert entry.data == {"login": member.email}
    assert "falsches-Passwort-123" not in json.dumps(entry.data)
    assert "falsches-Passwort-123" not in entry.object_repr


# allauth sends authenticator_added on commit: a real transaction is needed
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_a_factor_is_logged_with_its_type_and_no_secret(client, member):
    client.post("/konto/login/", {"login": member.email, "password": PASSWORD})
    activate = "/konto/2fa/totp/activate/"
    reauthenticate = client.get(activate)["Location"]
    client.post(reauthenticate, {"password": PASSWORD})
    assert client.get(activate).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(activate, {"code": totp_code(secret)})
    assert response.status_code == 302
    entries = ActivityLog.objects.filter(action="accounts.factor.added").order_by("pk")
    assert [(e.actor, e.data) for e in entries] == [
        (member, {"type": "totp"}),
        (member, {"type": "recovery_codes"}),
    ]
    assert secret not in json.dumps([e.data for e in entries])


def test_a_logout_is_logged(client, member):
    client.force_login(member)
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    entry = ActivityLog.objects.get(action="accounts.logout")
    assert entry.actor == member
