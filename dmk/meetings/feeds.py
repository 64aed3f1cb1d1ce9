"""Personal calendar feeds (issue 5 item 5): a secret, revocable subscription URL per user.

Trade-off, stated on purpose: a calendar app (Outlook, Thunderbird, iOS) fetches the feed
without a session and cannot pass a second factor, so the secret URL itself is the
credential. To keep that acceptable:

- the token is ``secrets.token_urlsafe(32)`` (256 bits); only its SHA-256 hex digest is
  stored (:class:`~dmk.meetings.models.CalendarFeed`), so a database dump reveals no usable
  URL, and the lookup by digest is an indexed equality on a hash — no secret is compared
  character by character (constant time with respect to the token);
- the URL is shown to the user once, right after creating or renewing; renewing revokes the
  old token, and a revoked or unknown token answers 404;
- the feed is decided with the user's *current* rights on every request
  (``dmk.access.policy.calendar_feed_meetings``): a deactivated account, a removed second
  factor or a lost role empties it (the view then answers 404);
- the feed carries only what a calendar needs: meeting name, dates, place and a link to the
  portal page — no agenda, no paper titles, no participants. Whoever follows the link still
  needs the login with the second factor;
- the token never reaches the audit log (``meetings.calendarfeed.created/revoked`` record
  only the feed's id).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dmk.access.policy import (
    calendar_feed_meetings,
    can_hold_calendar_feed,
    can_use_calendar_feed,
)
from dmk.core.audit import log_action
from dmk.core.tokens import hash_token, new_token
from dmk.meetings.ical import personal_feed
from dmk.meetings.models import CalendarFeed, Meeting


def active_feed(user: Any) -> CalendarFeed | None:
    """The user's active (not revoked) feed, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def _revoke_active(*, actor: Any, user: Any, reason: str) -> CalendarFeed | None:
    feed = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    current = feed.first()
    if current is None:
        return None
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    log_action(
        "meetings.calendarfeed.revoked",
        actor=actor,
        obj=current,
        data={"feed": current.pk, "reason": reason},
    )
    return current


@transaction.atomic
def calendar_feed_create(*, actor: Any) -> tuple[CalendarFeed, str]:
    """Create (or renew) ``actor``'s personal feed; returns ``(feed, token)``.

    The token is returned only here and must be shown to the user at once; it is not stored.
    An active feed is revoked first (renewal). Raises PermissionDenied unless
    ``dmk.access.policy.can_hold_calendar_feed`` allows the actor.
    """
    if not can_hold_calendar_feed(actor):
        raise PermissionDenied(_("Sie können kein Kalender-Abo anlegen."))
    previous = _revoke_active(actor=actor, user=actor, reason="renewed")
    token, digest = new_token()
    feed = CalendarFeed.objects.create(user=actor, token_hash=digest)
    log_action(
        "meetings.calendarfeed.created",
        actor=actor,
        obj=feed,
        data={"feed": feed.pk, "replaces": previous.pk if previous else None},
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> bool:
    """Revoke ``actor``'s active feed; returns False if there was none. Its URL answers 404
    from now on."""
    return _revoke_active(actor=actor, user=actor, reason="revoked") is not None


def feed_url(token: str) -> str:
    """The absolute subscription URL of ``token`` (``settings.BASE_URL`` + ``/kalender/…``)."""
    return settings.BASE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": token})


def calendar_feed_resolve(token: str) -> tuple[CalendarFeed, Any] | None:
    """The active feed of ``token`` and its user, or None for an unknown, revoked or
    malformed token, or a user whose feed may not be served now
    (``dmk.access.policy.can_use_calendar_feed``: inactive, second factor removed, no role).
    Records ``last_used_at``."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not can_use_calendar_feed(feed.user):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed, feed.user


def calendar_feed_meeting_list(user: Any) -> list[Meeting]:
    """The dated meetings of ``user``'s feed (decided by ``dmk.access.policy``), oldest first."""
    qs = Meeting.objects.filter(start_date__isnull=False).order_by("start_date", "pk")
    return list(calendar_feed_meetings(user, qs))


def calendar_feed_ical(user: Any) -> bytes:
    """The iCalendar feed (RFC 5545, VTIMEZONE Europe/Berlin, stable UIDs and SEQUENCE from
    ``dmk.meetings.ical``) of ``user`` — a user returned by :func:`calendar_feed_resolve`.
    Each event links to the meeting's (German) portal page."""
    base = settings.BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        return personal_feed(
            calendar_feed_meeting_list(user),
            link=lambda m: base + reverse("portal:meeting_detail", kwargs={"slug": m.slug}),
        )
