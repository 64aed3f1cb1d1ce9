"""Attacks on the invitations of the Geschäftsstelle (issue 4 item 1) and on the
``access.denied`` audit (issue 4 item 7): wrong roles, password-only sessions, GET instead of
POST, missing CSRF token, used / revoked / replaced / expired / made-up links, garbage input,
and secrets or NUL bytes in refused paths."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from dmk.accounts.models import Invitation, User
from dmk.accounts.services import invitation_revoke, invitation_send
from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from tests.factories import StateFactory, UserFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

ADDRESS = "neue.person@land.example"
NEW_PASSWORD = "Gruene-Wiese-Laterne-7"
LINK = re.compile(r"http://\S+/konto/einladung/([A-Za-z0-9_-]+)/")


@pytest.fixture
def secretariat():
    return secretariat_user(email="gs@dmk.example")


@pytest.fixture
def invite(secretariat, django_capture_on_commit_callbacks):
    """Invite ``email`` as the Geschäftsstelle and return ``(invitation, token)``."""

    def send(email: str = ADDRESS) -> tuple[Invitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_send(actor=secretariat, email=email)
        token = LINK.search(mail.outbox[-1].body).group(1)
        invitation.refresh_from_db()
        return invitation, token

    return send


def _accept(client: Client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/konto/einladung/{token}/", {"password1": password, "password2": password})


def _activated(email: str = ADDRESS) -> tuple[bool, bool]:
    user = User.objects.get(email=email)
    return user.is_active, user.has_usable_password()


def test_accept_after_revoke_is_404_and_the_account_stays_locked(client, invite, secretariat):
    """Timing attack on the link: the Geschäftsstelle revokes, the old e-mail is used later."""
    invitation, token = invite()
    assert client.get(f"/konto/einladung/{token}/").status_code == 200  # form shown …
    invitation_revoke(actor=secretariat, invitation=invitation)

    response = _accept(client, token)  # … and posted after the revocation

    assert response.status_code == 404
    assert _activated() == (False, False)


def test_a_replaced_link_is_dead_even_if_the_address_differs_in_case(client, invite):
    """A new invitation revokes the older open ones of the same account (issue 4 item 1),
    also when the Geschäftsstelle typed the local part in another case the second time."""
    _first, old_token = invite("Neue.Person@land.example")
    _second, new_token = invite("neue.person@land.example")

    assert User.objects.count() == 2  # the Geschäftsstelle and the one invited account
    assert _accept(client, old_token).status_code == 404
    assert _activated("neue.person@land.example") == (False, False)
    assert _accept(client, new_token).status_code == 302


def test_accept_after_expiry_is_410(client, invite):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = _accept(client, token)

    assert response.status_code == 410
    assert _activated() == (False, False)


def test_a_double_submit_accepts_once_and_cannot_reset_the_password(client, invite):
    _invitation, token = invite()
    assert _accept(client, token).status_code == 302

    response = _accept(Client(), token, password="Ganz-Anderes-Passwort-99")

    assert response.status_code == 410
    assert User.objects.get(email=ADDRESS).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "token",
    ["x" * 5000, "abc%00def", "..%2F..%2Fetc", "<script>alert(1)</script>", "%E2%80%AE"],
)
def test_made_up_links_are_404_never_500(client, token):
    assert client.get(f"/konto/einladung/{token}/").status_code == 404
    assert _accept(client, token).status_code == 404


def test_accepting_without_csrf_token_is_refused(invite):
    _invitation, token = invite()
    client = Client(enforce_csrf_checks=True)

    assert _accept(client, token).status_code == 403
    assert _activated() == (False, False)


def test_a_refused_invitation_link_is_logged_without_the_token(invite):
    """A 403 on the link (CSRF) goes to the audit log with the token masked (issue 4 item 7)."""
    _invitation, token = invite()
    _accept(Client(enforce_csrf_checks=True), token)

    entry = ActivityLog.objects.filter(action="access.denied").latest("pk")
    assert entry.data["path"] == "/konto/einladung/***/"
    assert token not in str(ActivityLog.objects.values_list("data", flat=True))


def test_a_logged_in_stranger_accepting_a_link_is_logged_out(client, invite):
    _invitation, token = invite()
    stranger = user_with_role(MembershipRole.MEMBER, StateFactory(), email="x@land.example")
    login_with_second_factor(client, stranger)

    assert _accept(client, token).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["member", "staff", "password_only_secretariat", "anonymous"])
def test_only_the_geschaeftsstelle_with_second_factor_invites(client, who):
    state = StateFactory()
    if who == "member":
        login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, state))
    elif who == "staff":
        login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, state))
    elif who == "password_only_secretariat":
        client.force_login(secretariat_user())

    response = client.post("/verwaltung/einladungen/", {"email": ADDRESS})

    assert response.status_code in (302, 403)
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email=ADDRESS).exists()


def test_revoke_by_get_is_405_and_by_a_member_403(client, invite):
    invitation, _token = invite()
    gs = Client()
    login_with_second_factor(gs, User.objects.get(email="gs@dmk.example"))
    assert gs.get(f"/verwaltung/einladungen/{invitation.pk}/widerrufen/").status_code == 405
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, StateFactory()))
    assert client.post(f"/verwaltung/einladungen/{invitation.pk}/widerrufen/").status_code == 403

    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoking_a_made_up_or_huge_id_is_404(client, secretariat):
    login_with_second_factor(client, secretariat)

    assert client.post("/verwaltung/einladungen/987654/widerrufen/").status_code == 404
    assert client.post(f"/verwaltung/einladungen/{10**30}/widerrufen/").status_code == 404


def test_revoking_twice_gives_a_german_message_not_an_error(client, invite, secretariat):
    invitation, _token = invite()
    login_with_second_factor(client, secretariat)
    client.post(f"/verwaltung/einladungen/{invitation.pk}/widerrufen/")

    response = client.post(f"/verwaltung/einladungen/{invitation.pk}/widerrufen/", follow=True)

    assert response.status_code == 200
    assert "Diese Einladung ist nicht mehr offen." in response.text


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "kein-at-zeichen"},
        {"email": "a" * 300 + "@land.example"},
        {"email": "x@land.example", "first_name": "N" * 151},
        {"email": "x\x00y@land.example"},
        {"email": "x@land.example", "last_name": "Nu\x00ll"},
    ],
)
def test_garbage_in_the_invitation_form_is_a_400_and_nothing_is_stored(client, secretariat, fields):
    login_with_second_factor(client, secretariat)

    response = client.post("/verwaltung/einladungen/", fields)

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_inviting_an_active_account_cannot_take_it_over(client, secretariat):
    victim = UserFactory(email="aktiv@land.example")
    login_with_second_factor(client, secretariat)

    response = client.post("/verwaltung/einladungen/", {"email": "AKTIV@land.example"})

    assert response.status_code == 400
    assert "bereits ein aktives Konto" in response.text
    assert not Invitation.objects.exists()
    victim.refresh_from_db()
    assert victim.has_usable_password()


def test_script_in_the_name_is_escaped_on_the_back_office_list(client, secretariat, invite):
    login_with_second_factor(client, secretariat)
    client.post(
        "/verwaltung/einladungen/",
        {"email": "skript@land.example", "first_name": "<script>alert(1)</script>"},
    )

    response = client.get("/verwaltung/einladungen/")

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_a_nul_byte_in_a_refused_path_is_not_written_to_the_audit_log(client):
    """PostgreSQL's jsonb refuses ``\\u0000``: a 403 for such a path must not become a 500
    (the audit entry keeps the path without control characters)."""
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, StateFactory()))

    response = client.get("/verwaltung/%00abc/")

    assert response.status_code == 403
    entry = ActivityLog.objects.filter(action="access.denied").latest("pk")
    assert entry.data["path"] == "/verwaltung/abc/"


def test_the_link_page_is_not_cached_and_sends_no_referrer_elsewhere(client, invite):
    """The token stands in the address: no shared cache may keep the page, and no other site
    may learn the address from a Referer header."""
    _invitation, token = invite()

    response = client.get(f"/konto/einladung/{token}/")

    assert "public" not in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    # every one of these sends at most the origin (never the path) to another site
    assert response["Referrer-Policy"] in (
        "same-origin",
        "no-referrer",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example/", "https://evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_no_open_redirect_through_next_after_login_or_invitation(client, invite, next_url):
    """``next`` on the login the invitation leads to, and on the invitation link itself,
    never sends the user to another site."""
    from django.urls import reverse

    from tests.factories import PASSWORD

    _invitation, token = invite()
    accepted = client.post(
        f"/konto/einladung/{token}/?next={next_url}",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert accepted["Location"] == reverse("account_login")

    user = UserFactory(email="login@land.example")
    response = Client().post(
        f"{reverse('account_login')}?next={next_url}",
        {"login": user.email, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))
