"""sitemap.xml and robots.txt (issue 7 item 5): public pages, meetings, resolutions and
papers only, German and English, all under the request's origin.

Everything is read as an anonymous visitor, so the sitemap never names anything internal or
draft (DOMAIN rule 11, decided by ``dmk.access`` through the selectors).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from dmk.meetings.selectors import meeting_list
from dmk.papers.selectors import paper_list
from dmk.resolutions.selectors import resolution_list


class PageSitemap(WagtailSitemap):
    """Live, public Wagtail pages of the site in every language.

    Locations use the request's origin, like the archive sitemaps below (Django's
    ``RequestSite``), not the hostname and port of the Wagtail ``Site`` row: one sitemap,
    one origin."""

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

    def items(self) -> list[str]:
        return [
            "website:meeting_index",
            "website:resolution_index",
            "website:state_index",
            "website:chair_period_index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class MeetingSitemap(DjangoSitemap):
    i18n = True

    def items(self) -> Any:
        return meeting_list(user=AnonymousUser()).order_by("pk")


class ResolutionSitemap(DjangoSitemap):
    i18n = True

    def items(self) -> Any:
        return resolution_list(user=AnonymousUser()).order_by("pk")

    def lastmod(self, item: Any) -> Any:
        return item.decided_on


class PaperSitemap(DjangoSitemap):
    """Public papers (``/vorlagen/<slug>/``), e.g. the founding concept paper."""

    i18n = True

    def items(self) -> Any:
        return paper_list(user=AnonymousUser()).order_by("pk")


def sitemaps(request: HttpRequest) -> dict[str, DjangoSitemap]:
    return {
        "seiten": PageSitemap(request),
        "archiv": ArchiveSitemap(),
        "sitzungen": MeetingSitemap(),
        "beschluesse": ResolutionSitemap(),
        "vorlagen": PaperSitemap(),
    }


def sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml`` (sitemaps.org protocol 0.9)."""
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return django_sitemap(request, sitemaps=sitemaps(request))


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
