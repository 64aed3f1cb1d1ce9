"""Signal receivers of the accounts app: audit entries and the set-up marker."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dmk.accounts.middleware import SESSION_LOGIN_AT_KEY, SESSION_MFA_SETUP_KEY
from dmk.core.audit import log_action


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as seen by Django (``REMOTE_ADDR``); None without a request."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT_KEY] = time.time()
    log_action("accounts.login.succeeded", actor=user, obj=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log_action("accounts.logout", actor=user, obj=user, ip_address=client_ip(request))


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # only the login name, never the password (issue 4 item 7)
    login = str(credentials.get("email") or credentials.get("username") or "")[:254]
    log_action("accounts.login.failed", ip_address=client_ip(request), data={"login": login})


@receiver(authenticator_added)
def on_authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    # the user has just proved possession of the new factor in this session
    request.session[SESSION_MFA_SETUP_KEY] = True
    log_action(
        "accounts.factor.added",
        actor=user,
        obj=user,
        ip_address=client_ip(request),
        data={"type": authenticator.type},
    )


@receiver(authenticator_removed)
def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    log_action(
        "accounts.factor.removed",
        actor=user,
        obj=user,
        ip_address=client_ip(request),
        data={"type": authenticator.type},
    )


@receiver(password_changed)
def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log_action("accounts.password.changed", actor=user, obj=user, ip_address=client_ip(request))


@receiver(password_reset)
def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    log_action("accounts.password.reset", actor=user, obj=user, ip_address=client_ip(request))
