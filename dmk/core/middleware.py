"""Cross-cutting HTTP middleware."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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
