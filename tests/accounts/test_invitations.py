"""Invitations of the Geschäftsstelle: no self sign-up, a single-use link valid 7 days
(issue 4 item 1), audited without the token (issue 4 item 7)."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dmk.accounts.models import Invitation, User
from dmk.accounts.services import (
    InvitationRefused,
    invitation_accept,
    invitation_revoke,
    invitation_send,
)
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
    return secretariat_user()


@pytest.fixture
def invite(secretariat, django_capture_on_commit_callbacks):
    """Invite ``email`` as the Geschäftsstelle, run the e-mail task (after commit) and
    return ``(invitation, token)`` with the token read from the e-mail's link."""

    def send(email: str = ADDRESS, **kwargs) -> tuple[Invitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_send(actor=secretariat, email=email, **kwargs)
        message = mail.outbox[-1]
        assert message.to == [email]
        token = LINK.search(message.body).group(1)
        invitation.refresh_from_db()
        return invitation, token

    return send


def _accept(client, token, password=NEW_PASSWORD, second=None):
    return client.post(
        f"/konto/einladung/{token}/",
        {"password1": password, "password2": password if second is None else second},
    )


def test_the_email_carries_the_link_and_only_its_hash_is_stored(invite):
    invitation, token = invite(first_name="Nora", last_name="Neumann")

    message = mail.outbox[0]
    assert message.subject == "Einladung zur DMK-Plattform"
    assert f"http://127.0.0.1:8000/konto/einladung/{token}/" in message.body
    assert message.body.startswith("Guten Tag Nora Neumann,")
    assert len(token) == 43  # secrets.token_urlsafe(32)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.sent_at is not None
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    user = User.objects.get(email=ADDRESS)
    assert (user.is_active, user.has_usable_password()) == (False, False)
    assert (user.first_name, user.last_name) == ("Nora", "Neumann")


def test_the_link_works_once_and_the_second_use_is_refused_in_german(client, invite):
    invitation, token = invite()

    page = client.get(f"/konto/einladung/{token}/")
    assert page.status_code == 200
    assert '<h1 class="kern-heading-x-large">Passwort festlegen</h1>' in page.content.decode()

    response = _accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/"
    user = User.objects.get(email=ADDRESS)
    assert user.is_active is True
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None

    for again in (
        client.get(f"/konto/einladung/{token}/"),
        _accept(client, token, "Anderes-Pw-99x"),
    ):
        assert again.status_code == 410
        assert "Diese Einladung wurde bereits verwendet." in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_double_submit_accepts_only_once(invite):
    """The service locks the row; the second call finds the invitation used."""
    _invitation, token = invite()
    invitation_accept(token=token, password=NEW_PASSWORD)
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(token=token, password="Zweites-Passwort-42")
    assert refused.value.reason == "used"
    assert User.objects.get(email=ADDRESS).check_password(NEW_PASSWORD)


def test_the_link_is_refused_on_day_eight(client, invite):
    invitation, token = invite()
    day_8 = invitation.created_at + datetime.timedelta(days=7, seconds=1)
    with pytest.raises(InvitationRefused) as refused:
        invitation_accept(token=token, password=NEW_PASSWORD, now=day_8)
    assert refused.value.reason == "expired"

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = _accept(client, token)
    assert response.status_code == 410
    assert "Diese Einladung ist abgelaufen. Ein Einladungslink gilt 7 Tage." in (
        response.content.decode()
    )
    user = User.objects.get(email=ADDRESS)
    assert (user.is_active, user.has_usable_password()) == (False, False)


def test_a_weak_password_is_refused_and_the_form_kept(client, invite):
    invitation, token = invite()

    response = _accept(client, token, "kurz-1")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in html
    assert 'class="kern-error" id="password1-error"' in html
    assert 'aria-describedby="password1-hint password1-error"' in html

    response = _accept(client, token, "password1234")
    assert response.status_code == 400
    assert "Dieses Passwort ist zu üblich." in response.content.decode()

    response = _accept(client, token, NEW_PASSWORD, second="Gruene-Wiese-Laterne-8")
    assert response.status_code == 400
    assert "Die beiden Passwörter stimmen nicht überein." in response.content.decode()

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert User.objects.get(email=ADDRESS).is_active is False


def test_a_made_up_token_answers_a_german_invalid_page(client):
    response = client.get("/konto/einladung/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Dieser Einladungslink ist ungültig." in response.content.decode()


def test_a_new_invitation_revokes_the_old_one(client, invite):
    old, old_token = invite()
    new, new_token = invite()

    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.revoked_at is None
    assert old.user_id == new.user_id
    assert _accept(client, old_token).status_code == 404
    assert _accept(client, new_token).status_code == 302
    revoked = ActivityLog.objects.get(action="accounts.invitation.revoked")
    assert (revoked.object_id, revoked.data["reason"]) == (str(old.pk), "replaced")


def test_only_the_geschaeftsstelle_can_invite():
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    for actor in (member, None):
        with pytest.raises(PermissionDenied):
            invitation_send(actor=actor, email=ADDRESS)
    assert not User.objects.filter(email=ADDRESS).exists()
    assert not Invitation.objects.exists()


def test_an_address_with_an_active_account_is_refused_in_german(secretariat):
    existing = UserFactory(email="schon.da@land.example")
    with pytest.raises(ValidationError) as error:
        invitation_send(actor=secretariat, email="Schon.Da@Land.example")
    assert error.value.messages == [
        "Für diese Adresse besteht bereits ein aktives Konto mit Passwort."
    ]
    assert not Invitation.objects.filter(user=existing).exists()


def test_audit_entries_are_written_without_the_token(client, invite, secretariat):
    invitation, token = invite()
    client.get("/konto/einladung/gibt-es-nicht/", REMOTE_ADDR="198.51.100.9")
    _accept(client, token)
    _accept(client, token)
    other, _other_token = invite("zweite.person@land.example")
    invitation_revoke(actor=secretariat, invitation=other)

    entries = {(e.action, e.data.get("reason", "")) for e in ActivityLog.objects.all()}
    assert {
        ("accounts.invitation.sent", ""),
        ("accounts.invitation.accepted", ""),
        ("accounts.invitation.refused", "unknown"),
        ("accounts.invitation.refused", "used"),
        ("accounts.invitation.revoked", "manual"),
    } <= entries
    sent = ActivityLog.objects.get(action="accounts.invitation.sent", object_id=invitation.pk)
    assert (sent.actor, sent.data["email"]) == (secretariat, ADDRESS)
    unknown = ActivityLog.objects.get(action="accounts.invitation.refused", data__reason="unknown")
    assert (unknown.ip_address, unknown.object_id) == ("198.51.100.9", "")
    dump = json.dumps(
        list(ActivityLog.objects.values("data", "object_repr", "object_id")), default=str
    )
    assert token not in dump
    assert invitation.token_hash not in dump


def test_after_accepting_the_first_login_leads_to_the_factor_setup(client, invite):
    """The existing middleware forces a second factor before any internal page (item 2)."""
    _invitation, token = invite()
    _accept(client, token)
    login = client.get("/konto/login/")
    assert "Als Nächstes richten Sie Ihren zweiten Faktor ein" in login.content.decode()

    response = client.post("/konto/login/", {"login": ADDRESS, "password": NEW_PASSWORD})
    assert response.status_code == 302
    response = client.get("/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/?next=%2Fintern%2F"


def test_the_back_office_page_invites_lists_and_revokes(client, secretariat):
    login_with_second_factor(client, secretariat)

    response = client.post(
        "/verwaltung/einladungen/", {"email": ADDRESS, "first_name": "", "last_name": ""}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email=ADDRESS)
    assert invitation.invited_by == secretariat

    page = client.get("/verwaltung/einladungen/").content.decode()
    assert f"<td>{ADDRESS}</td>" in page
    assert f"<td>{secretariat.get_full_name()} &lt;{secretariat.email}&gt;</td>" in page
    assert "<td>wird versendet</td>" in page  # the e-mail task runs after commit

    response = client.post("/verwaltung/einladungen/", {"email": "keine-adresse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert 'value="keine-adresse"' in html  # the typed value is kept

    revoke_url = f"/verwaltung/einladungen/{invitation.pk}/widerrufen/"
    assert client.get(revoke_url).status_code == 405
    assert client.post(revoke_url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_the_back_office_page_is_refused_to_others(client):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY"))
    login_with_second_factor(client, member)
    assert client.get("/verwaltung/einladungen/").status_code == 403
    assert client.post("/verwaltung/einladungen/", {"email": ADDRESS}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_invitation_revoked_before_sending_sends_nothing(secretariat):
    """The e-mail task makes a link only for a pending invitation (``dmk.accounts.tasks``)."""
    from dmk.accounts.tasks import send_invitation_task

    invitation = invitation_send(actor=secretariat, email=ADDRESS)  # task waits for commit
    invitation_revoke(actor=secretariat, invitation=invitation)

    assert send_invitation_task.call(invitation.pk) == 0
    invitation.refresh_from_db()
    assert (invitation.token_hash, invitation.sent_at, mail.outbox) == (None, None, [])


def test_the_back_office_menu_lists_invitations(client, secretariat):
    login_with_second_factor(client, secretariat)
    sidebar = client.get("/verwaltung/").content.decode()  # the menu is JSON for the sidebar
    assert '"label": "Einladungen", "icon_name": "user"' in sidebar
    assert '"url": "/verwaltung/einladungen/"' in sidebar
