"""URL configuration: machine and account URLs first, the public site with its language
prefix (none for German, ``/en/`` for English), Wagtail's page serving last."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from dmk.accounts import views as accounts_views
from dmk.core import views as core_views
from dmk.portal import views_calendar, views_meetings
from dmk.website import seo as website_seo

urlpatterns = [
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("sitemap.xml", website_seo.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", website_seo.sitemap_section, name="sitemap_section"),
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", website_seo.robots_txt, name="robots_txt"),
    # browsers ask for /favicon.ico on their own: send them to the SVG mark (resolved lazily,
    # so the hashed name of the manifest storage is used in production)
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # Wagtail's own login knows nothing of the second factor: send it to allauth's login.
    path(
        "verwaltung/login/",
        RedirectView.as_view(url=settings.WAGTAILADMIN_LOGIN_URL, query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    path("verwaltung/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    # issue 4 item 1: no self sign-up; the Geschäftsstelle's single-use invitation link
    path(
        "konto/einladung/<str:token>/",
        accounts_views.invitation_accept_view,
        name="account_invitation",
    ),
    path("konto/", include("allauth.urls")),
    # issue 5: public feed of meeting dates (iCalendar)
    path("sitzungen.ics", views_meetings.public_calendar, name="meeting_calendar_feed"),
    # issue 5 item 5: personal calendar feed; the secret token is the credential (calendar
    # apps cannot log in), so it lives outside /intern/ (dmk/meetings/feeds.py)
    path("kalender/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    # issue 16: the public record as open data (OParl 1.1), the same in every language
    path("oparl/v1/", include("dmk.api.urls")),
]

urlpatterns += i18n_patterns(
    # issue 15: the functional mailbox of the Geschäftsstelle (dmk/mailbox/views.py)
    path("intern/postfach/", include("dmk.mailbox.urls")),
    path("intern/", include("dmk.portal.urls")),
    path("", include("dmk.website.urls")),
    # Wagtail's front-end login (private pages) checks only a password: use allauth's (issue 4).
    path(
        "_util/login/",
        RedirectView.as_view(url=settings.WAGTAILADMIN_LOGIN_URL, query_string=True),
        name="wagtailcore_login_redirect",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
