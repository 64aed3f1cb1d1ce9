"""Views that belong to no domain app."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET


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
