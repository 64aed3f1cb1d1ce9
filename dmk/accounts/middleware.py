"""The second factor is mandatory for every internal page (issue 4 item 2).

A logged-in user reaches ``/intern/`` and ``/verwaltung/`` only when *this session* passed a
second factor: allauth records ``{"method": "mfa"}`` when a code or key was checked at login,
and we record the same when the user has just set up a factor (``accounts.signals``).

- user without any factor → led to set one up (TOTP page), the requested URL kept as ``next``;
- user with a factor whose session did not pass it (e.g. a session made by another login
  view) → logged out and sent to the login, so a password alone never opens an internal page;
- a user without back-office permission gets 403 on ``/verwaltung/`` (Wagtail would send them
  to the login, which sends them back: a redirect loop);
- a session older than ``SESSION_ABSOLUTE_AGE`` seconds (12 hours) ends (BSI APP.3.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

INTERNAL_PREFIXES = ("/intern/", "/verwaltung/", "/en/intern/")
BACK_OFFICE_PREFIX = "/verwaltung/"
# the back office's login redirect and its static UI helpers carry no data
BACK_OFFICE_OPEN_PATHS = ("/verwaltung/login/", "/verwaltung/sprite/", "/verwaltung/jsi18n/")
SESSION_MFA_SETUP_KEY = "dmk_mfa_setup_passed"
SESSION_LOGIN_AT_KEY = "dmk_login_at"
#: Set on ``request.user`` for every request of a logged-in user whose session has not
#: passed the second factor; ``dmk.access.policy`` then treats the user as without roles, so
#: a password alone opens no internal object on any URL (public website included).
USER_WITHOUT_SECOND_FACTOR_ATTR = "dmk_without_second_factor"


def session_passed_second_factor(request: HttpRequest) -> bool:
    """True when the current session checked a second factor (login or fresh set-up)."""
    if request.session.get(SESSION_MFA_SETUP_KEY):
        return True
    # allauth keeps the records per user: without the user it returns none at all
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(
        f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    )


class SecondFactorRequiredMiddleware:
    """Enforce the second factor and the absolute session age; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            login_at = request.session.get(SESSION_LOGIN_AT_KEY)
            if login_at is None:
                request.session[SESSION_LOGIN_AT_KEY] = time.time()
            elif time.time() - float(login_at) > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                return _redirect_with_next("account_login", request)
            passed = session_passed_second_factor(request)
            setattr(user, USER_WITHOUT_SECOND_FACTOR_ATTR, not passed)
            if request.path.startswith(INTERNAL_PREFIXES) and not passed:
                if is_mfa_enabled(user):
                    logout(request)
                    return _redirect_with_next("account_login", request)
                return _redirect_with_next("mfa_activate_totp", request)
            if (
                request.path.startswith(BACK_OFFICE_PREFIX)
                and not request.path.startswith(BACK_OFFICE_OPEN_PATHS)
                and not user.has_perm("wagtailadmin.access_admin")
            ):
                # Wagtail would send the user to the login, which sends them back: a loop.
                raise PermissionDenied
        return self.get_response(request)
