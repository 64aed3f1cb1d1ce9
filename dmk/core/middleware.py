"""Cross-cutting HTTP middleware."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

from dmk.core.audit import log_action
from dmk.core.text import nfc


class NoStoreForAuthenticatedMiddleware:
    """Send ``Cache-Control: no-store`` on every response to a logged-in user (issue 4 item 6).

    Pages for internal users must never be kept by a shared or browser cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a strict policy everywhere except the Wagtail admin.

    The back office under ``settings.DMK_CSP_RELAXED_PREFIXES`` still relies on inline styles
    and scripts of Wagtail itself; it is only reachable after the second factor.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(settings.DMK_CSP_RELAXED_PREFIXES):
            response._csp_update = {  # type: ignore[attr-defined]
                "script-src": [UNSAFE_INLINE],
                "style-src": [UNSAFE_INLINE],
                "img-src": ["blob:"],
            }
            response._csp_replace = {"frame-ancestors": [SELF]}  # type: ignore[attr-defined]
        return super().process_response(request, response)


#: URL parameters that carry secrets (invitation, calendar-feed and reset links).
_SECRET_URL_KWARGS = frozenset({"token", "key", "uidb36", "uidb64"})


def _path_without_secrets(request: HttpRequest) -> str:
    """``request.path`` with the values of secret-bearing URL parameters replaced by ``***``
    and without control characters (PostgreSQL's jsonb refuses a NUL byte: never a 500)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match is not None else ():
        if name in _SECRET_URL_KWARGS and isinstance(value, str) and value:
            path = path.replace(value, "***")
    return "".join(ch for ch in path if ch.isprintable())


class DeniedAccessAuditMiddleware:
    """Write one ``access.denied`` audit entry for every 403 the project answers (issue 4
    item 7: "denials").

    One place for all refusals: ``PermissionDenied`` raised in a view or by the second-factor
    middleware (Django turns it into the 403 response before it reaches us), the back-office
    door, CSRF failures and any ``HttpResponseForbidden``. The entry holds the user (or none),
    the client's IP address (``REMOTE_ADDR``), the method and the path — never the query string,
    and with token-like URL parameters masked, since both could carry secrets. Other statuses
    (404 included) are not logged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            log_action(
                "access.denied",
                actor=getattr(request, "user", None),
                ip_address=request.META.get("REMOTE_ADDR") or None,
                data={"path": _path_without_secrets(request)[:500], "method": request.method},
            )
        return response


class UnicodeNFCMiddleware:
    """Every text a user sends arrives in Unicode NFC (issue 18 item 2; STYLE.md "Text is
    stored in Unicode NFC"): query string values (search queries), form fields and the names
    of uploaded files. A Mac sends "Mu\\u0308ller" decomposed; after this middleware every
    form, view, service, search and the Wagtail admin see "Müller".

    The one mechanism at the boundary, so no form or view has to remember it. Only
    ``application/x-www-form-urlencoded`` and ``multipart/form-data`` bodies are read (the
    kinds ``request.POST`` parses anyway); other bodies (JSON) are left alone. E-mail addresses
    keep their case; they are compared case-insensitively where they are looked up
    (``dmk.accounts.models``).
    """

    _FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _nfc_querydict(request.GET)
        if request.method == "POST" and request.content_type in self._FORM_TYPES:
            request.POST = _nfc_querydict(request.POST)
            for upload in request.FILES.values():
                if upload.name:
                    upload.name = nfc(upload.name)
        return self.get_response(request)


def _nfc_querydict(data: QueryDict) -> QueryDict:
    if all(unicodedata.is_normalized("NFC", k + "".join(v)) for k, v in data.lists()):
        return data
    normalised = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        normalised.setlist(nfc(key), [nfc(value) for value in values])
    normalised._mutable = False
    return normalised
