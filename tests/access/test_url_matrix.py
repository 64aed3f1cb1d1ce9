"""Every URL pattern of the project × every role, with the expected answer (issue 4, "tests
that must exist"; DOMAIN rule 11).

The table below names each URL pattern (by its full route string, as Django's resolver
builds it) and says what each role gets. A pattern without an entry fails
:func:`test_every_url_pattern_has_an_entry_in_the_matrix` — add new URLs here.

Roles: anonymous, guest, staff of Land A, member of Land A, member of Land B, Geschäftsstelle;
all logged-in roles hold a session that passed the second factor. Expected answers:
``"200"``, ``"403"``, ``"404"``, ``"405"``, ``"login"`` (302 to ``/konto/login/…``),
``"302:/path"`` (302 to exactly that address, query string ignored), or ``"denied"``
(403, 404 or 405: never a page for a made-up object, never a 500).

Patterns with parameters are filled with sample values that name no object (``999999``,
``gibt-es-nicht``); the back office (``/verwaltung/…``, 200+ Wagtail patterns) is covered by a
prefix rule: anonymous and every non-Geschäftsstelle role → login, the Geschäftsstelle → the
page (or the listed exception). Regex patterns of Wagtail and allauth that take parameters are
listed as covered by the prefix rule only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pprint import pformat

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dmk.bodies.models import MembershipRole
from tests.factories import StateFactory, give_totp, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "guest", "staff_a", "member_a", "member_b", "secretariat")


def _all(answer: str) -> tuple[str, ...]:
    return (answer,) * len(ROLES)


def _logged_in(answer: str, *, anonymous: str = "login") -> tuple[str, ...]:
    return (anonymous,) + (answer,) * (len(ROLES) - 1)


PUBLIC = _all("200")
PORTAL = _logged_in("200")
NOT_FOUND = _all("404")
# made-up objects behind the portal: login first, then no page (403/404/405)
PORTAL_SAMPLE = _logged_in("denied")
COVERED = "covered by the /verwaltung/ prefix rule"

MATRIX: dict[str, tuple[str, ...] | str] = {
    # --- machine-readable and public pages ------------------------------------------------
    ".well-known/security.txt": PUBLIC,
    "sitemap.xml": PUBLIC,
    # a section of the sitemap index (issue 17 item 1); a made-up section is unknown
    "sitemap-<slug:section>.xml": NOT_FOUND,
    # health probe: database, cache, queue as ok/fail only (issue 17 item 3)
    "healthz": PUBLIC,
    "robots.txt": PUBLIC,
    "favicon.ico": _all("302:/static/favicon.svg"),  # a 301 to the SVG mark
    "sitzungen.ics": PUBLIC,
    # personal calendar feed: the secret token is the credential; a made-up one is unknown
    "kalender/<str:token>.ics": NOT_FOUND,
    "i18n/setlang/": _all("302:/"),
    "sitzungen/": PUBLIC,
    "sitzungen/<slug:slug>/": NOT_FOUND,
    "beschluesse/": PUBLIC,
    "beschluesse/<slug:slug>/": NOT_FOUND,
    "beschluesse/<slug:slug>/beschluss.pdf": NOT_FOUND,
    "vorlagen/<slug:slug>/": NOT_FOUND,
    "vorlagen/<slug:slug>/download/": NOT_FOUND,
    "laender/": PUBLIC,
    "vorsitz/": PUBLIC,
    "suche/": PUBLIC,
    "feeds/beschluesse/rss/": PUBLIC,
    "feeds/beschluesse/atom/": PUBLIC,
    "feeds/aktuelles/rss/": PUBLIC,
    "feeds/aktuelles/atom/": PUBLIC,
    # issue 16: the OParl interface, the same public JSON for every role; made-up ids 404
    "oparl/v1/": PUBLIC,
    "oparl/v1/body/": PUBLIC,
    "oparl/v1/body/<int:pk>/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/organization/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/person/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/meeting/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/paper/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/agendaItem/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/consultation/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/file/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/membership/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/legislativeTerm/": NOT_FOUND,
    "oparl/v1/body/<int:pk>/location/": NOT_FOUND,
    "oparl/v1/land/<str:code>/": NOT_FOUND,
    "oparl/v1/organization/<int:pk>/": NOT_FOUND,
    "oparl/v1/person/<int:pk>/": NOT_FOUND,
    "oparl/v1/membership/<int:pk>/": NOT_FOUND,
    "oparl/v1/legislativeTerm/<int:pk>/": NOT_FOUND,
    "oparl/v1/meeting/<int:pk>/": NOT_FOUND,
    "oparl/v1/location/<int:pk>/": NOT_FOUND,
    "oparl/v1/agendaItem/<int:pk>/": NOT_FOUND,
    "oparl/v1/resolution/<int:pk>/": NOT_FOUND,
    "oparl/v1/paper/<int:pk>/": NOT_FOUND,
    "oparl/v1/consultation/<int:pk>/": NOT_FOUND,
    "oparl/v1/file/<int:pk>/": NOT_FOUND,
    "oparl/v1/file/<int:pk>/download/": NOT_FOUND,
    "dokumente/^(\\d+)/(.*)$": NOT_FOUND,
    "dokumente/authenticate_with_password/<int:restriction_id>/": NOT_FOUND,
    # Wagtail's password-only front-end login is redirected to allauth's (dmk/urls.py)
    "_util/login/": _all("302:/konto/login/"),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": NOT_FOUND,
    "^((?:[\\w\\-]+/)*)$": NOT_FOUND,  # sample: a page that does not exist
    # --- accounts (allauth) ---------------------------------------------------------------
    "konto/login/": ("200", *_all("302:/intern/")[1:]),
    "konto/logout/": _logged_in("200", anonymous="302:/"),
    "konto/inactive/": PUBLIC,
    "konto/signup/": ("200", *_all("302:/intern/")[1:]),  # "closed" page: no self sign-up
    "konto/reauthenticate/": PORTAL,
    "konto/reauthenticate/code/": _logged_in("302:/konto/reauthenticate/"),
    "konto/reauthenticate/code/confirm/": _logged_in("302:/konto/reauthenticate/code/"),
    "konto/email/": PORTAL,
    "konto/confirm-email/": PUBLIC,
    "konto/^confirm-email/(?P<key>[-:\\w]+)/$": COVERED.replace("/verwaltung/", "/konto/"),
    "konto/password/change/": PORTAL,
    "konto/password/set/": _logged_in("302:/konto/password/change/"),
    "konto/password/reset/": PUBLIC,
    "konto/password/reset/done/": PUBLIC,
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": COVERED.replace(
        "/verwaltung/", "/konto/"
    ),
    "konto/password/reset/key/done/": PUBLIC,
    "konto/login/code/confirm/": ("302:/konto/login/", *_all("302:/intern/")[1:]),
    "konto/2fa/": PORTAL,
    "konto/2fa/authenticate/": ("302:/konto/login/", *_all("302:/intern/")[1:]),
    "konto/2fa/reauthenticate/": _logged_in("302:/konto/reauthenticate/"),
    # changing factors asks for the password again first (re-authentication, issue 4 item 2)
    "konto/2fa/totp/activate/": _logged_in("302:/konto/reauthenticate/"),
    "konto/2fa/totp/deactivate/": _logged_in("404"),
    "konto/2fa/recovery-codes/": _logged_in("404"),
    "konto/2fa/recovery-codes/generate/": _logged_in("302:/konto/reauthenticate/"),
    "konto/2fa/recovery-codes/download/": _logged_in("404"),
    "konto/2fa/webauthn/": PORTAL,
    "konto/2fa/webauthn/add/": _logged_in("302:/konto/reauthenticate/"),
    "konto/2fa/webauthn/reauthenticate/": _logged_in("302:/konto/reauthenticate/"),
    "konto/2fa/webauthn/keys/<int:pk>/remove/": _logged_in("302:/konto/reauthenticate/"),
    "konto/2fa/webauthn/keys/<int:pk>/edit/": _logged_in("302:/konto/reauthenticate/"),
    # invitation link of the Geschäftsstelle (issue 4 item 1): a made-up token is unknown → a
    # German "invalid" page with 404 for every role (used or expired links answer 410)
    "konto/einladung/<str:token>/": NOT_FOUND,
    # --- member portal ----------------------------------------------------------------------
    "intern/": PORTAL,
    # search of the internal documentation system (issue 13): every logged-in role; what is
    # found is narrowed by policy.visible_search_entries
    "intern/suche/": PORTAL,
    "intern/suche/schnell/": PORTAL,
    "intern/kontakte/": PORTAL,
    "intern/kontakte/ich/": PORTAL,
    "intern/kontakte/kontakte.vcf": PORTAL,
    "intern/kontakte/kontakte.csv": ("login", "403", "403", "403", "403", "200"),
    "intern/kontakte/kontakte.xlsx": ("login", "403", "403", "403", "403", "200"),
    "intern/kontakte/<int:pk>/": PORTAL_SAMPLE,
    "intern/kontakte/<int:pk>/vcard.vcf": PORTAL_SAMPLE,
    "intern/kontakte/<int:pk>/loeschen/": PORTAL_SAMPLE,
    "intern/meine-daten/": PORTAL,
    "intern/kalender/": PORTAL,
    # issue 14: data exchange; a made-up workspace, file or upload is no page for anybody
    "intern/austausch/": PORTAL,
    "intern/austausch/sitzung/<slug:slug>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/ordner/<int:folder>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/ordner-anlegen/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/hochladen/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/datei/<int:file>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/datei/<int:file>/download/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/zip/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/papierkorb/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/aktivitaet/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/tus/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/tus/<uuid:upload>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/stellungnahmen/neu/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/stellungnahmen/<int:pk>/": PORTAL_SAMPLE,
    "intern/austausch/<slug:workspace>/stellungnahmen/<int:pk>/stellungnahme.pdf": PORTAL_SAMPLE,
    "intern/nominierungen/": ("login", "403", "200", "200", "200", "200"),
    "intern/nominierungen/<str:code>/": PORTAL_SAMPLE,
    "intern/vorsitz/uebergabe/": ("login", "403", "403", "403", "403", "200"),
    "intern/sitzungsleitung/<slug:slug>/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/anwesenheit/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/top/<int:item_id>/abstimmung/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/schliessen/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/erfassen/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/abstimmung/<int:ballot_id>/beschluss/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/beschluss/<int:resolution_id>/veroeffentlichen/": (
        PORTAL_SAMPLE
    ),
    "intern/sitzungsleitung/<slug:slug>/uebertragung/": PORTAL_SAMPLE,
    "intern/sitzungsleitung/<slug:slug>/uebertragung/<int:transfer_id>/widerrufen/": (
        PORTAL_SAMPLE
    ),
    "intern/abstimmung/<int:ballot_id>/": PORTAL_SAMPLE,
    "intern/abstimmung/<int:ballot_id>/stand/": PORTAL_SAMPLE,
    "intern/abstimmung/<int:ballot_id>/erklaerung/": PORTAL_SAMPLE,
    # follow-ups: internal roles only, not guests (issue 6 item 6, DOMAIN rule 11)
    "intern/nachverfolgung/": ("login", "403", "200", "200", "200", "200"),
    "intern/nachverfolgung/<int:pk>/status/": PORTAL_SAMPLE,
    # issue 15: the functional mailbox, only for the Geschäftsstelle of its body
    "intern/postfach/": ("login", "403", "403", "403", "403", "200"),
    "intern/postfach/<int:pk>/": PORTAL_SAMPLE,
    "intern/postfach/<int:pk>/bearbeiten/": PORTAL_SAMPLE,
    "intern/postfach/<int:pk>/notiz/": PORTAL_SAMPLE,
    "intern/postfach/<int:pk>/antwort/": PORTAL_SAMPLE,
    "intern/postfach/<int:pk>/anhaenge/<int:attachment_id>/": PORTAL_SAMPLE,
    "intern/postfach/<int:pk>/nachrichten/<int:message_id>/original.eml": PORTAL_SAMPLE,
    "intern/umlaufverfahren/": PORTAL,
    "intern/umlaufverfahren/<int:pk>/": PORTAL_SAMPLE,
    "intern/umlaufverfahren/<int:pk>/nachweis.pdf": PORTAL_SAMPLE,
    "intern/sitzungen/": PORTAL,
    "intern/sitzungen/neu/": ("login", "403", "403", "403", "403", "200"),
    "intern/sitzungen/<slug:slug>/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/status/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/verlegen/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/tagesordnung/neu/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/tagesordnung/<int:item_id>/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/tagesordnung/<int:item_id>/verschieben/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/tagesordnung/<int:item_id>/entfernen/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/vorlagen/<int:consultation_id>/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/anmeldung/": PORTAL_SAMPLE,
    # issue 12: minutes and meeting pack of a made-up meeting
    "intern/sitzungen/<slug:slug>/protokoll/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/protokoll/vergleich/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/protokoll.pdf": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/sitzungsmappe/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/sitzungsmappe.pdf": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/anwesenheit/": PORTAL_SAMPLE,
    "intern/sitzungen/<slug:slug>/erinnerung/": PORTAL_SAMPLE,
    "intern/vorlagen/": PORTAL,
    "intern/vorlagen/neu/": ("login", "403", "200", "200", "200", "200"),
    "intern/vorlagen/<slug:slug>/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/bearbeiten/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/datei/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/mitantrag/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/mitantrag/<int:sponsor_id>/antwort/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/einreichen/": PORTAL_SAMPLE,
    "intern/vorlagen/<slug:slug>/dateien/<int:file_id>/": PORTAL_SAMPLE,
}

# The back office: every pattern under this prefix follows the rule unless listed here.
ADMIN_PREFIX = "verwaltung/"
ADMIN_RULE = ("login", "403", "403", "403", "403", "200")
OFF_IN_BACK_OFFICE = ("404", "403", "403", "403", "403", "404")
ADMIN_EXCEPTIONS: dict[str, tuple[str, ...] | str] = {
    "verwaltung/login/": _all("302:/konto/login/"),
    # static assets of the admin UI, no data
    "verwaltung/sprite/": PUBLIC,
    "verwaltung/jsi18n/": PUBLIC,
    # Wagtail's own password reset is switched off (WAGTAIL_PASSWORD_RESET_ENABLED = False)
    # (a logged-in outsider is refused at the back-office door before the URL resolves)
    "verwaltung/password_reset/": OFF_IN_BACK_OFFICE,
    "verwaltung/password_reset/done/": OFF_IN_BACK_OFFICE,
    "verwaltung/password_reset/complete/": OFF_IN_BACK_OFFICE,
    "verwaltung/password_reset/confirm/<uidb64>/<token>/": OFF_IN_BACK_OFFICE,
    "verwaltung/logout/": (*ADMIN_RULE[:-1], "405"),  # POST only
    "verwaltung/block-preview/": (*ADMIN_RULE[:-1], "404"),
    # meetings and agenda are read-only in the back office (dmk.meetings.admin.ReadOnlyPolicy:
    # writes go through the portal's services), so "new" leads back to the dashboard
    "verwaltung/sitzungen/new/": (*ADMIN_RULE[:-1], "302:/verwaltung/"),
    "verwaltung/tagesordnungspunkte/new/": (*ADMIN_RULE[:-1], "302:/verwaltung/"),
    "verwaltung/failwhale/": "Wagtail's deliberate error page: raises by design",
    # not granted to the Geschäftsstelle group (dmk.accounts.groups): back to the dashboard
    **dict.fromkeys(
        (
            "verwaltung/collections/",
            "verwaltung/collections/add/",
            "verwaltung/workflows/list/",
            "verwaltung/workflows/list/results/",
            "verwaltung/workflows/add/",
            "verwaltung/workflows/tasks/select_type/",
            "verwaltung/workflows/tasks/index/",
            "verwaltung/workflows/tasks/index/results/",
            "verwaltung/redirects/",
            "verwaltung/redirects/results/",
            "verwaltung/redirects/add/",
            "verwaltung/redirects/import/",
            "verwaltung/redirects/import/process/",
            "verwaltung/snippets/",
            "verwaltung/sites/",
            "verwaltung/sites/results/",
            "verwaltung/sites/new/",
            "verwaltung/groups/",
            "verwaltung/groups/results/",
            "verwaltung/groups/new/",
        ),
        (*ADMIN_RULE[:-1], "302:/verwaltung/"),
    ),
}
ADMIN_ROLES = ("anonymous", "guest", "member_b", "secretariat")

_SAMPLES = {
    "int": "999999",
    "slug": "gibt-es-nicht",
    "str": "gibt-es-nicht",
    "path": "x",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
_REGEX_SAMPLES = {
    "dokumente/^(\\d+)/(.*)$": "/dokumente/999999/gibt-es-nicht.pdf",
    "^((?:[\\w\\-]+/)*)$": "/gibt-es-nicht/",
}


def _walk(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def all_routes() -> list[str]:
    """Every route of the project, e.g. ``intern/vorlagen/<slug:slug>/`` (deduplicated)."""
    return sorted(set(_walk(get_resolver().url_patterns)))


def sample_url(route: str) -> str | None:
    """A concrete URL for ``route``: converters filled with samples; None for other regexes."""
    if route in _REGEX_SAMPLES:
        return _REGEX_SAMPLES[route]
    if "^" in route or "(" in route:
        return None
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES.get(m.group(1) or "str", "x"), route
    )


def entry_for(route: str) -> tuple[str, ...] | str | None:
    if route in MATRIX:
        return MATRIX[route]
    if route.startswith(ADMIN_PREFIX):
        return ADMIN_EXCEPTIONS.get(route, ADMIN_RULE)
    return None


def answer(response) -> str:
    """The answer in the matrix' vocabulary (see the module docstring)."""
    if response.status_code in (301, 302):
        return "302:" + response["Location"].split("?")[0]
    return str(response.status_code)


def matches(expected: str, got: str) -> bool:
    if expected == "login":
        return got == "302:/konto/login/"
    if expected == "denied":
        return got in {"403", "404", "405"}
    return expected == got


@pytest.fixture
def clients() -> dict[str, Client]:
    land_a = StateFactory(code="DE-BW", name_de="Baden-Württemberg")
    land_b = StateFactory(code="DE-BY", name_de="Bayern")
    users = {
        "guest": user_with_role(MembershipRole.GUEST, None),
        "staff_a": user_with_role(MembershipRole.STATE_STAFF, land_a),
        "member_a": user_with_role(MembershipRole.MEMBER, land_a),
        "member_b": user_with_role(MembershipRole.MEMBER, land_b),
        "secretariat": secretariat_user(),
    }
    result = {"anonymous": Client()}
    for role, user in users.items():
        result[role] = Client()
        login_with_second_factor(result[role], user)
    return result


def _mismatches(clients, routes, roles=ROLES) -> dict[str, dict[str, tuple[str, str]]]:
    wrong: dict[str, dict[str, tuple[str, str]]] = {}
    for route in routes:
        entry = entry_for(route)
        url = sample_url(route)
        if not isinstance(entry, tuple) or url is None:
            continue
        for role in roles:
            expected = entry[ROLES.index(role)]
            got = answer(clients[role].get(url))
            if not matches(expected, got):
                wrong.setdefault(url, {})[role] = (expected, got)
    return wrong


def test_every_url_pattern_has_an_entry_in_the_matrix():
    """A new URL must be added to MATRIX (or fall under the /verwaltung/ prefix rule)."""
    missing = [route for route in all_routes() if entry_for(route) is None]
    assert missing == [], pformat(missing)


def test_the_matrix_names_no_url_that_does_not_exist():
    routes = set(all_routes())
    assert sorted(set(MATRIX) - routes) == []
    assert sorted(set(ADMIN_EXCEPTIONS) - routes) == []


def test_public_and_account_urls_answer_each_role_as_the_matrix_says(clients):
    routes = [r for r in all_routes() if not r.startswith(("intern/", ADMIN_PREFIX))]
    wrong = _mismatches(clients, routes)
    assert wrong == {}, pformat(wrong)


def test_portal_urls_answer_each_role_as_the_matrix_says(clients):
    """DOMAIN rule 11: the portal needs a login; made-up objects give no page."""
    routes = [r for r in all_routes() if r.startswith("intern/")]
    wrong = _mismatches(clients, routes)
    assert wrong == {}, pformat(wrong)


def test_back_office_urls_open_only_for_the_geschaeftsstelle(clients):
    routes = [r for r in all_routes() if r.startswith(ADMIN_PREFIX) and "<" not in r]
    wrong = _mismatches(clients, routes, ADMIN_ROLES)
    assert wrong == {}, pformat(wrong)


def test_back_office_urls_with_parameters_send_outsiders_to_the_login(clients):
    routes = [r for r in all_routes() if r.startswith(ADMIN_PREFIX) and "<" in r]
    assert len(routes) > 50
    wrong = _mismatches(clients, routes, ("anonymous", "member_a"))
    assert wrong == {}, pformat(wrong)


def test_no_internal_url_opens_for_a_session_without_the_second_factor():
    """Seed §2.4: a password alone never opens /intern/ or /verwaltung/ — the session is ended
    and the user sent to the login (or, without any factor, to setting one up)."""
    land = StateFactory(code="DE-BW", name_de="Baden-Württemberg")
    with_factor = user_with_role(MembershipRole.MEMBER, land)
    give_totp(with_factor)
    without_factor = user_with_role(MembershipRole.PERMANENT_DEPUTY, land)
    client = Client()
    wrong = {}
    for route in all_routes():
        url = sample_url(route)
        if url is None or not route.startswith(("intern/", ADMIN_PREFIX)):
            continue
        client.force_login(with_factor)  # password-only session
        got = answer(client.get(url))
        if got != "302:/konto/login/":
            wrong[url] = got
        client.force_login(without_factor)
        got = answer(client.get(url))
        if got != "302:/konto/2fa/totp/activate/":
            wrong[url] = got
    assert wrong == {}, pformat(wrong)
