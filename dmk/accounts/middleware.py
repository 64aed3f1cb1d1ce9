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
from django.utils import translation

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


class AccountPagesLanguageMiddleware:
    """Show the account pages (``/konto/…``: login, second factor, invitation, password) in
    the language the visitor came from.

    Those pages have no language prefix, and Django gives unprefixed URLs the default language
    (German). A login link carries the page to return to: ``next=/en/…`` gives English,
    ``next=/intern/`` German, and the choice is kept in Django's language cookie, so the
    second-factor step that follows (without ``next``) keeps it. Without a ``next`` the cookie
    decides; without a cookie the page stays German. Sits right after ``LocaleMiddleware``.
    """

    prefix = "/konto/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        supported = {code for code, _name in settings.LANGUAGES}
        from_next = _language_of_next(request.GET.get("next", ""), supported)
        language = from_next or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if from_next and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != from_next:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                from_next,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


def _language_of_next(next_url: str, supported: set[str]) -> str | None:
    """The language of the local page ``next_url`` leads back to: ``"en"`` for ``/en/intern/``,
    ``"de"`` for ``/intern/`` (German pages have no prefix); ``None`` when there is no local
    ``next`` (empty, or another site's address)."""
    if not next_url.startswith("/") or next_url.startswith("//"):
        return None
    first = next_url.lstrip("/").split("/", 1)[0]
    return first if first in supported else settings.LANGUAGE_CODE
