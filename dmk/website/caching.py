"""HTTP caching of the public website (issue 7 item 6).

Anonymous GET/HEAD requests to public pages get ``Cache-Control: public, max-age=300``, an
``ETag`` (MD5 of the body, not for security) and a ``Last-Modified`` (the time of the last
purge), ``Vary: Accept-Language, Cookie``, and answer ``304`` to a matching conditional
request. With ``settings.DMK_PAGE_CACHE`` on, the rendered page is also kept in Django's
cache, per language and URL, under the current *site version*; every save or delete of
something the public pages show, and every Wagtail publish, bumps the version (= purge).

The cache is the one shared by all processes (Redis or the file cache, ``settings.CACHES``;
issue 17 item 2), so a purge in one worker is seen by every other. The ETag is computed once,
when the page is stored, and kept beside it. ``X-Accel-Expires`` tells nginx's proxy cache
(deploy/) to keep the page only ``DMK_PROXY_CACHE_SECONDS`` and then to revalidate with
``If-None-Match`` — which this middleware answers 304 from the shared cache — so a purge
reaches the proxy within that many seconds.

Logged-in users are never cached (``NoStoreForAuthenticatedMiddleware`` sets ``no-store``),
nor is any response that sets a cookie or uses a CSRF token (forms).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

VERSION_KEY = "dmk:website:site-version"
MAX_AGE = 300
#: Never cached: internal areas, accounts, language switch, Wagtail documents, admin.
EXCLUDED_PREFIXES = ("/intern/", "/en/intern/", "/verwaltung/", "/konto/", "/i18n/", "/dokumente/")


def site_version() -> int:
    """The current site version (nanoseconds since the epoch of the last purge)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return int(version)


def purge(*args: Any, **kwargs: Any) -> None:
    """Invalidate every cached public page (signal receiver; arguments ignored)."""
    cache.set(VERSION_KEY, max(time.time_ns(), site_version() + 1), None)


def _cacheable_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user is not None and user.is_authenticated)
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not getattr(request, "_messages", None)
    )


class PublicPageCacheMiddleware:
    """See the module docstring; sits after authentication and locale middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        version = site_version()
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        key = (
            f"dmk:website:page2:{version}:{language}:{request.get_host()}:{request.get_full_path()}"
        )
        stored = cache.get(key) if settings.DMK_PAGE_CACHE else None
        if stored is not None:
            content, content_type, etag = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-DMK-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not _cacheable_response(request, response):
                return response
            etag = '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
            if settings.DMK_PAGE_CACHE:
                cache.set(key, (response.content, response["Content-Type"], etag), MAX_AGE)
            response["X-DMK-Cache"] = "miss"
        last_modified = version // 1_000_000_000
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response["X-Accel-Expires"] = str(settings.DMK_PROXY_CACHE_SECONDS)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional
