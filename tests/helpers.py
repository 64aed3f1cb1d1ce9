"""Helpers shared by the suite: logging in with a second factor, computing TOTP codes."""

from __future__ import annotations

import time

from django.test import Client

from dmk.accounts.middleware import SESSION_MFA_SETUP_KEY


def login_with_second_factor(client: Client, user) -> None:
    """Log ``user`` in on ``client`` with a session that counts as having passed the second
    factor (``dmk.accounts.middleware``), without going through the login form."""
    client.force_login(user)
    session = client.session
    session[SESSION_MFA_SETUP_KEY] = True
    session.save()


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The six-digit TOTP code (RFC 6238, 30-second steps) of ``secret`` at Unix time ``at``
    (default: now), as allauth.mfa checks it."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def secretariat_user(**user_kwargs):
    """A Geschäftsstelle user: secretariat membership and the "Geschäftsstelle" group (the
    back-office permissions, ``dmk.accounts.groups``)."""
    from django.contrib.auth.models import Group

    from dmk.accounts.groups import SECRETARIAT_GROUP_NAME
    from dmk.bodies.models import MembershipRole
    from tests.factories import user_with_role

    user = user_with_role(MembershipRole.SECRETARIAT, None, **user_kwargs)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP_NAME))
    return user
