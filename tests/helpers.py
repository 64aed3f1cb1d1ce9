"""Helpers shared by the suite: logging in with a second factor, computing TOTP codes."""

from __future__ import annotations

import time

from django.test import Client

from dmk.accounts.middleware import SESSION_MFA_SETUP_KEY


def login_with_second_factor(client: Client, user) -> None:
    """Log ``user`` in on ``client`` with a session that counts as having passed the second
    factor (``dmk.accounts.middleware``), without going through the login form."""
    client.force_login(user)
    session = client.session
    session[SESSION_MFA_SETUP_KEY] = True
    session.save()


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The six-digit TOTP code (RFC 6238, 30-second steps) of ``secret`` at Unix time ``at``
    (default: now), as allauth.mfa checks it."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def secretariat_user(**user_kwargs):
    """A Geschäftsstelle user: secretariat membership and the "Geschäftsstelle" group (the
    back-office permissions, ``dmk.accounts.groups``)."""
    from django.contrib.auth.models import Group

    from dmk.accounts.groups import SECRETARIAT_GROUP_NAME
    from dmk.bodies.models import MembershipRole
    from tests.factories import user_with_role

    user = user_with_role(MembershipRole.SECRETARIAT, None, **user_kwargs)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP_NAME))
    return user


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, **extra) -> list[str]:
    """Every ``<loc>`` of the site's sitemaps: ``/sitemap.xml`` is an index (issue 17 item 1)
    naming section files; each is fetched (with ``extra`` request headers) and read."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    index = client.get("/sitemap.xml", **extra)
    assert index.status_code == 200
    root = ET.fromstring(index.content)  # noqa: S314 - our own sitemap
    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    locations: list[str] = []
    for loc in root.iter(f"{SITEMAP_NS}loc"):
        parts = urlsplit(loc.text)
        section = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), **extra)
        assert section.status_code == 200
        urlset = ET.fromstring(section.content)  # noqa: S314 - our own sitemap
        assert urlset.tag == f"{SITEMAP_NS}urlset"
        locations += [url.text for url in urlset.iter(f"{SITEMAP_NS}loc")]
    return locations
