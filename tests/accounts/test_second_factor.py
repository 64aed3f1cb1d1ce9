"""A password alone never opens an internal page (issue 4 item 2, seed §2.4)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from dmk.bodies.models import MembershipRole
from tests.factories import PASSWORD, StateFactory, give_totp, user_with_role
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY", name_de="Bayern"))


def _password_login(client, user, **extra):
    return client.post("/konto/login/", {"login": user.email, "password": PASSWORD}, **extra)


@pytest.mark.parametrize("path", ["/intern/", "/verwaltung/"])
def test_user_without_factor_is_led_to_set_one_up(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/?next=" + path.replace("/", "%2F")


@pytest.mark.parametrize("path", ["/intern/", "/verwaltung/"])
def test_user_with_factor_whose_session_skipped_it_is_logged_out(client, member, path):
    give_totp(member)
    client.force_login(member)  # a session made without the second factor
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=" + path.replace("/", "%2F")
    assert "_auth_user_id" not in client.session


def test_password_step_of_the_login_asks_for_the_code_and_opens_nothing(client, member):
    give_totp(member)
    response = _password_login(client, member)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/intern/"


def test_full_login_with_password_and_totp_code_opens_the_portal(client, member):
    secret = give_totp(member)
    _password_login(client, member)
    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/intern/"
    assert client.get("/intern/").status_code == 200


def test_a_wrong_totp_code_is_refused_in_german(client, member):
    secret = give_totp(member)
    _password_login(client, member)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/konto/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "Falscher Code" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_reused_totp_code_is_refused(client, member):
    """ASVS 5.0 6.5.1: a time-based code works only once, even inside its time window."""
    secret = give_totp(member)
    code = totp_code(secret)
    _password_login(client, member)
    assert client.post("/konto/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()

    _password_login(client, member)
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/intern/").status_code == 302


def test_a_recovery_code_works_exactly_once(client, member):
    give_totp(member)
    codes = RecoveryCodes.activate(member).generate_codes()
    assert len(codes) == 10
    _password_login(client, member)
    response = client.post("/konto/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/intern/").status_code == 200
    client.logout()

    _password_login(client, member)
    response = client.post("/konto/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    recovery = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) == 9


# allauth sends authenticator_added on commit: a real transaction is needed
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_totp_after_the_password_login_opens_the_portal(client, member):
    response = _password_login(client, member)
    assert response.status_code == 302
    response = client.get("/intern/")
    assert response["Location"] == "/konto/2fa/totp/activate/?next=%2Fintern%2F"
    activate = response["Location"]
    # changing factors needs a fresh password (issue 4 item 2: re-authentication)
    response = client.get(activate)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/reauthenticate/?next=")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(activate)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).count() == 1
    assert client.get("/intern/").status_code == 200


def test_the_code_of_the_previous_time_step_is_accepted(client, member):
    """RFC 6238 §5.2: one step of tolerance (``MFA_TOTP_TOLERANCE = 1``) for clock drift and
    typing time; two steps back is refused."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = give_totp(member)
    step = int(time.time()) // 30
    _password_login(client, member)
    too_old = format_hotp_value(hotp_value(secret, step - 3))
    assert client.post("/konto/2fa/authenticate/", {"code": too_old}).status_code == 200
    assert "_auth_user_id" not in client.session
    previous = format_hotp_value(hotp_value(secret, step - 1))
    assert client.post("/konto/2fa/authenticate/", {"code": previous}).status_code == 302
    assert client.get("/intern/").status_code == 200
