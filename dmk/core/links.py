"""Links to the pages of one object, built fast (issue 17 item 1).

``reverse()`` walks the URL resolver on every call (~50 µs): an archive page of 50 rows
reversed 100 links per request. :func:`slug_url` reverses a pattern ``…/<slug:slug>/`` once
per view name, language, URLconf and script prefix and puts the slug into the stored
result; a slug outside Django's ``slug`` converter (``[-a-zA-Z0-9_]+``) goes through
``reverse()`` and gets its ``NoReverseMatch``.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "dmk-slug-placeholder"


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})``, e.g. ``/beschluesse/<slug>/`` or
    ``/en/beschluesse/<slug>/`` in the active language. Raises ``NoReverseMatch`` as
    ``reverse`` does."""
    if not _SLUG.fullmatch(slug or ""):
        return reverse(viewname, kwargs={"slug": slug})
    template = _template(
        viewname, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    )
    return template.replace(_PLACEHOLDER, slug, 1)


@functools.lru_cache(maxsize=256)
def _template(viewname: str, language: str | None, urlconf: str, prefix: str) -> str:
    """The reversed URL with the placeholder for the slug (the key names everything
    ``reverse`` depends on here)."""
    return reverse(viewname, kwargs={"slug": _PLACEHOLDER})
