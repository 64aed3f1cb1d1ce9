"""sitemap.xml and robots.txt (issue 7 item 5): public pages, meetings, resolutions and
papers only, German and English, all under the request's origin.

Everything is read as an anonymous visitor, so the sitemap never names anything internal or
draft (DOMAIN rule 11, decided by ``dmk.access`` through the selectors).

``/sitemap.xml`` is a sitemap index (sitemaps.org protocol 0.9) naming one file per section
and page, ``/sitemap-<section>.xml?p=N``, each with at most :data:`SECTION_LIMIT` URLs —
well under the protocol's 50,000 (issue 17 item 1). Archive sections read only the columns
their URLs need.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from dmk.meetings.selectors import meeting_list
from dmk.papers.selectors import paper_list
from dmk.resolutions.selectors import resolution_list

#: URLs per sitemap file (both languages counted: Django pages ``(item, language)`` pairs).
SECTION_LIMIT = 10_000


class PageSitemap(WagtailSitemap):
    """Live, public Wagtail pages of the site in every language.

    Locations use the request's origin, like the archive sitemaps below (Django's
    ``RequestSite``), not the hostname and port of the Wagtail ``Site`` row: one sitemap,
    one origin."""

    limit = SECTION_LIMIT

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        condition = Q()
        for translation in root.get_translations(inclusive=True).live():
            condition |= Q(path__startswith=translation.path)
        return Page.objects.filter(condition).live().public().order_by("path").specific()

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            path = urlsplit(url_info["location"])._replace(scheme="", netloc="").geturl()
            url_info["location"] = f"{protocol}://{domain}{path}"
        return urls


class ArchiveSitemap(DjangoSitemap):
    """The archive index pages in German and English (``/sitzungen/``, ``/en/sitzungen/`` …)."""

    i18n = True
    limit = SECTION_LIMIT

    def items(self) -> list[str]:
        return [
            "website:meeting_index",
            "website:resolution_index",
            "website:state_index",
            "website:chair_period_index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


def _slim(queryset: Any, *fields: str) -> Any:
    """``queryset`` without its joins and prefetches, reading only ``fields``, by pk."""
    return queryset.select_related(None).prefetch_related(None).only(*fields).order_by("pk")


class MeetingSitemap(DjangoSitemap):
    i18n = True
    limit = SECTION_LIMIT

    def items(self) -> Any:
        return _slim(meeting_list(user=AnonymousUser()), "slug")


class ResolutionSitemap(DjangoSitemap):
    i18n = True
    limit = SECTION_LIMIT

    def items(self) -> Any:
        return _slim(resolution_list(user=AnonymousUser()), "slug", "decided_on")

    def lastmod(self, item: Any) -> Any:
        return item.decided_on

    def get_latest_lastmod(self) -> Any:
        """The newest resolution date, from one aggregate (the index's ``<lastmod>``)."""
        return resolution_list(user=AnonymousUser()).aggregate(latest=Max("decided_on"))["latest"]


class PaperSitemap(DjangoSitemap):
    """Public papers (``/vorlagen/<slug>/``), e.g. the founding concept paper."""

    i18n = True
    limit = SECTION_LIMIT

    def items(self) -> Any:
        return _slim(paper_list(user=AnonymousUser()), "slug")


def sitemaps(request: HttpRequest) -> dict[str, DjangoSitemap]:
    return {
        "seiten": PageSitemap(request),
        "archiv": ArchiveSitemap(),
        "sitzungen": MeetingSitemap(),
        "beschluesse": ResolutionSitemap(),
        "vorlagen": PaperSitemap(),
    }


def sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the sitemap index (sitemaps.org protocol 0.9) naming every section
    file and page; 404 for other methods than GET/HEAD is Django's."""
    from django.contrib.sitemaps.views import index

    return index(request, sitemaps=sitemaps(request), sitemap_url_name="sitemap_section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """``/sitemap-<section>.xml?p=N``: one page of a section, at most :data:`SECTION_LIMIT`
    URLs; 404 for an unknown section or page."""
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return django_sitemap(request, sitemaps=sitemaps(request), section=section)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: the internal areas are off limits; the sitemap is named."""
    lines = [
        "User-agent: *",
        "Disallow: /intern/",
        "Disallow: /en/intern/",
        "Disallow: /verwaltung/",
        "Disallow: /konto/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
