"""Views that belong to no domain app."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dmk.core.health import health


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """``/.well-known/security.txt`` per RFC 9116: Contact and an Expires one year ahead."""
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    body = (
        f"Contact: {settings.DMK_SECURITY_CONTACT}\n"
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        "Preferred-Languages: de, en\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``/healthz`` for load balancers and systemd: ``{"status": "ok"|"fail", "database":
    "ok"|"fail", "cache": …, "queue": …}`` (``dmk.core.health``), 200 when all pass, else
    503. No versions, no errors, no numbers: it leaks nothing (issue 17 item 3)."""
    checks = health()
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "fail"}
    body.update({name: "ok" if passed else "fail" for name, passed in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)
