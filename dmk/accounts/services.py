"""Writes of the accounts app: invitations of the Geschäftsstelle (issue 4 item 1).

There is no self sign-up. The Geschäftsstelle invites an address; the person receives a
single-use link valid ``settings.DMK_INVITATION_DAYS`` days (default 7), sets a password
there and then, at the first login, a second factor (``dmk.accounts.middleware``).

Only the SHA-256 hash of a link's token is stored. The token is made by the e-mail task
(``dmk.accounts.tasks``) right before sending, so it never sits in the database or in a
queued job's arguments. Every step is audited (``accounts.invitation.sent`` / ``accepted`` /
``revoked`` / ``refused``) without the token.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dmk.accounts.models import Invitation, User, UserManager
from dmk.core.audit import log_action
from dmk.core.tokens import hash_token

#: The permission that makes a user the inviting Geschäftsstelle (``dmk.accounts.groups``).
INVITE_PERMISSION = "accounts.add_user"


class InvitationRefused(Exception):
    """A link that cannot be used; ``reason`` is ``"unknown"`` (never issued or revoked),
    ``"used"`` or ``"expired"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_days() -> int:
    """Days an invitation link stays valid: ``settings.DMK_INVITATION_DAYS`` (default 7)."""
    return int(getattr(settings, "DMK_INVITATION_DAYS", 7))


def can_invite(user: Any) -> bool:
    """True for an active Geschäftsstelle user (``accounts.add_user``, ``dmk.accounts.groups``)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(INVITE_PERMISSION)
    )


def _revoke(invitation: Invitation, *, actor: Any, now: datetime.datetime, reason: str) -> None:
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    log_action(
        "accounts.invitation.revoked",
        actor=actor,
        obj=invitation,
        data={"email": invitation.email, "reason": reason},
    )


@transaction.atomic
def invitation_send(
    *,
    actor: Any,
    email: str,
    first_name: str = "",
    last_name: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite ``email`` (issue 4 item 1) and queue the e-mail with the link.

    Creates an inactive account without a usable password if the address has none yet;
    revokes older open invitations of the address. The e-mail is sent by
    ``dmk.accounts.tasks.send_invitation_task`` after the transaction commits.

    Raises ``PermissionDenied`` unless ``actor`` may invite (:func:`can_invite`), and a German
    ``ValidationError`` for an empty address or one that already has an active account with
    a password. Returns the new invitation (``expires_at`` = now + ``DMK_INVITATION_DAYS``).
    """
    if not can_invite(actor):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf Personen einladen."))
    address = UserManager.normalize_email(email)
    if not address:
        raise ValidationError(_("Bitte geben Sie eine E-Mail-Adresse an."), code="required")
    now = now or timezone.now()
    user = User.objects.select_for_update().filter(email__iexact=address).first()
    if user is not None and user.is_active and user.has_usable_password():
        raise ValidationError(
            _("Für diese Adresse besteht bereits ein aktives Konto mit Passwort."),
            code="exists",
        )
    if user is None:
        user = User.objects.create_user(
            address, None, first_name=first_name, last_name=last_name, is_active=False
        )
    else:
        changed = []
        if first_name and not user.first_name:
            user.first_name = first_name
            changed.append("first_name")
        if last_name and not user.last_name:
            user.last_name = last_name
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
    older = Invitation.objects.select_for_update().filter(
        email=address, accepted_at__isnull=True, revoked_at__isnull=True
    )
    for old in older:
        _revoke(old, actor=actor, now=now, reason="replaced")
    invitation = Invitation.objects.create(
        email=address,
        user=user,
        invited_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=invitation_days()),
    )
    log_action(
        "accounts.invitation.sent",
        actor=actor,
        obj=invitation,
        data={"email": address, "expires_at": invitation.expires_at.isoformat()},
    )
    from dmk.accounts.tasks import send_invitation_task

    transaction.on_commit(lambda: send_invitation_task.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def invitation_revoke(
    *, actor: Any, invitation: Invitation, now: datetime.datetime | None = None
) -> Invitation:
    """Revoke an open invitation: its link then answers like an unknown one.

    Raises ``PermissionDenied`` unless ``actor`` may invite, a German ``ValidationError`` if
    the invitation was already accepted or revoked. Returns the invitation.
    """
    if not can_invite(actor):
        raise PermissionDenied(_("Nur die Geschäftsstelle darf Einladungen widerrufen."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("Diese Einladung ist nicht mehr offen."), code="closed")
    _revoke(invitation, actor=actor, now=now or timezone.now(), reason="manual")
    return invitation


def invitation_check(
    token: str, *, now: datetime.datetime | None = None, ip_address: str | None = None
) -> Invitation:
    """The open invitation of link ``token``, or ``InvitationRefused`` (audited as
    ``accounts.invitation.refused`` with the reason, never the token)."""
    now = now or timezone.now()
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    reason = _refusal(invitation, now)
    if invitation is None or reason:
        _log_refusal(invitation, reason, ip_address)
        raise InvitationRefused(reason)
    return invitation


def _refusal(invitation: Invitation | None, now: datetime.datetime) -> str:
    if invitation is None:
        return "unknown"
    state = invitation.state_at(now)
    if state == Invitation.State.ACCEPTED:
        return "used"
    if state == Invitation.State.EXPIRED:
        return "expired"
    if state != Invitation.State.OPEN:
        return "unknown"
    return ""


def _log_refusal(invitation: Invitation | None, reason: str, ip_address: str | None) -> None:
    log_action(
        "accounts.invitation.refused",
        obj=invitation,
        ip_address=ip_address,
        data={"reason": reason},
    )


def invitation_accept(
    *,
    token: str,
    password: str,
    now: datetime.datetime | None = None,
    ip_address: str | None = None,
) -> User:
    """Set the password of the invited account and activate it (issue 4 item 1).

    Atomic, with a row lock on the invitation, so a double submit accepts once: the second
    one gets ``InvitationRefused("used")``. The password must pass
    ``AUTH_PASSWORD_VALIDATORS`` (≥ 12 characters, no common password), else Django's
    ``ValidationError`` (German messages) and nothing changes. Raises ``InvitationRefused``
    for an unknown, revoked, used or expired link (audited). Returns the activated user,
    who still has to set up a second factor at the first login.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        reason = _refusal(invitation, now)
        if invitation is not None and not reason:
            user = invitation.user
            validate_password(password, user=user)
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            invitation.accepted_at = now
            invitation.save(update_fields=["accepted_at"])
            log_action(
                "accounts.invitation.accepted",
                actor=user,
                obj=invitation,
                ip_address=ip_address,
                data={"email": invitation.email},
            )
            return user
    _log_refusal(invitation, reason, ip_address)
    raise InvitationRefused(reason)
