"""Template tags of the public website: language switch and the fixed service pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

#: Slugs of the service pages linked in every footer (created by ``load_site_content``).
SERVICE_SLUGS = (
    "impressum",
    "datenschutz",
    "barrierefreiheit",
    "leichte-sprache",
    "gebaerdensprache",
    "kontakt",
)


def _prefix(language: str) -> str:
    return "" if language == "de" else f"/{language}"


@register.simple_tag
def service_url(slug: str, query: str = "") -> str:
    """URL of a service page (Impressum, Kontakt …) in the current language, e.g.
    ``/impressum/`` or ``/en/impressum/``; ``query`` is appended after ``?``."""
    url = f"{_prefix((get_language() or 'de')[:2])}/{slug}/"
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def switch_language_url(context: dict[str, Any], language: str) -> str:
    """The current page in ``language``: the Wagtail translation of ``page`` when there is
    one (the home page: that language's home, ``/`` or ``/en/``; a page without a live
    translation: the home page too), else the same archive URL with the other language
    prefix (``translate_url``)."""
    page = context.get("page")
    if page is not None and hasattr(page, "get_translation_or_none"):
        from wagtail.models import Page, Site

        # the home page (the site's root or a translation of it) in another language is
        # that language's home, "/" or "/en/", whether a translation exists or not: no query
        # (issue 17 item 1). The site was found by Wagtail's routing and is kept on the request.
        site = Site.find_for_request(context.get("request"))
        if site is not None and page.translation_key == site.root_page.translation_key:
            return f"{_prefix(language)}/"

        # one query: the live page of the same translation key in that language
        translation = (
            Page.objects.filter(
                translation_key=page.translation_key,
                locale__language_code=language,
                live=True,
            )
            .exclude(pk=page.pk)
            .only("url_path")
            .first()
        )
        if translation is not None:
            return translation.get_url(request=context.get("request"))
        return f"{_prefix(language)}/"
    request = context.get("request")
    if request is None:
        return f"{_prefix(language)}/"
    return translate_url(request.get_full_path(), language)
