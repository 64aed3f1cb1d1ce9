"""Personal calendar feed per user: secret token, revocable (issue 5 item 5; RFC 5545;
DOMAIN rule 11: guests see only the meetings they are invited to)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.test import Client
from icalendar import Calendar

from dmk.bodies.models import MembershipRole
from dmk.core.models import ActivityLog
from dmk.meetings import feeds
from dmk.meetings.models import CalendarFeed, GuestInvitation
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PaperFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
    give_totp,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings():
    return {
        "spring": MeetingFactory(
            name="5. Digitalministerkonferenz",
            slug="dmk-5",
            start_date=datetime.date(2027, 4, 19),
            start_time=datetime.time(10, 0),
            end_time=datetime.time(16, 0),
            venue="Rathaus",
            place="Bremen",
            is_public=False,
        ),
        "autumn": MeetingFactory(
            name="6. Digitalministerkonferenz",
            slug="dmk-6",
            start_date=datetime.date(2027, 11, 5),
            state="cancelled",
            ical_sequence=2,
        ),
        "undated": MeetingFactory(name="Sondersitzung", slug="sonder", start_date=None),
    }


@pytest.fixture
def member():
    user = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB", name_de="Bremen"))
    give_totp(user)
    return user


@pytest.fixture
def guest():
    user = user_with_role(MembershipRole.GUEST, None)
    give_totp(user)
    return user


def _get(token: str):
    return Client().get(f"/kalender/{token}.ics")


def _events(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_a_members_feed_holds_every_dated_meeting_with_stable_uid_and_sequence(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    response = _get(token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    cal = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = _events(response)
    assert sorted(events) == ["5. Digitalministerkonferenz", "6. Digitalministerkonferenz"]
    spring = events["5. Digitalministerkonferenz"]
    assert str(spring["uid"]) == f"meeting-{meetings['spring'].pk}@127.0.0.1"
    assert spring["dtstart"].dt == datetime.datetime(
        2027, 4, 19, 10, 0, tzinfo=spring["dtstart"].dt.tzinfo
    )
    assert str(spring["dtstart"].dt.tzinfo) == "Europe/Berlin"
    assert str(spring["location"]) == "Rathaus, Bremen"
    assert str(spring["url"]) == "http://127.0.0.1:8000/intern/sitzungen/dmk-5/"
    assert str(spring["status"]) == "CONFIRMED"
    autumn = events["6. Digitalministerkonferenz"]
    assert str(autumn["status"]) == "CANCELLED"
    assert autumn["sequence"] == 2


def test_the_feed_carries_no_agenda_or_paper_titles(member, meetings):
    """Only name, dates, place and a link: nothing internal leaves with the secret URL."""
    AgendaItemFactory(meeting=meetings["spring"], title="Geheime Haushaltsplanung")
    paper = PaperFactory(title="Vertrauliche Cloud-Strategie", visibility="internal")
    paper.consultations.create(meeting=meetings["spring"])
    _feed, token = feeds.calendar_feed_create(actor=member)
    body = _get(token).content.decode()
    assert "Geheime Haushaltsplanung" not in body
    assert "Vertrauliche Cloud-Strategie" not in body


def test_a_guests_feed_holds_only_the_meetings_they_are_invited_to(guest, meetings):
    """DOMAIN rule 11, last sentence."""
    GuestInvitation.objects.create(meeting=meetings["autumn"], person=guest.person)
    _feed, token = feeds.calendar_feed_create(actor=guest)
    assert sorted(_events(_get(token))) == ["6. Digitalministerkonferenz"]


def test_renewing_revokes_the_old_token(member, meetings):
    first, old = feeds.calendar_feed_create(actor=member)
    second, new = feeds.calendar_feed_create(actor=member)
    assert old != new
    assert _get(old).status_code == 404
    assert _get(new).status_code == 200
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).get() == second


def test_a_revoked_feed_answers_404(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    assert feeds.calendar_feed_revoke(actor=member) is True
    assert _get(token).status_code == 404
    assert feeds.calendar_feed_revoke(actor=member) is False


def test_calendar_apps_may_ask_with_head_but_not_post(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    assert Client().head(f"/kalender/{token}.ics").status_code == 200
    assert Client().post(f"/kalender/{token}.ics").status_code == 405


def test_unknown_and_malformed_tokens_answer_404(member, meetings):
    feeds.calendar_feed_create(actor=member)
    assert _get("gibt-es-nicht").status_code == 404
    assert _get("x" * 200).status_code == 404


def test_a_deactivated_user_gets_404(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert _get(token).status_code == 404


def test_a_user_whose_second_factor_was_removed_gets_404(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    Authenticator.objects.filter(user=member).delete()
    assert _get(token).status_code == 404


def test_a_user_who_lost_their_role_gets_404(member, meetings):
    _feed, token = feeds.calendar_feed_create(actor=member)
    member.person.memberships.all().delete()
    assert _get(token).status_code == 404


def test_only_the_hash_is_stored_and_the_token_never_reaches_the_audit_log(member):
    feed, token = feeds.calendar_feed_create(actor=member)
    feeds.calendar_feed_create(actor=member)
    feeds.calendar_feed_revoke(actor=member)
    assert len(token) == 43  # token_urlsafe(32): 256 bits
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    actions = list(
        ActivityLog.objects.filter(action__startswith="meetings.calendarfeed.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "meetings.calendarfeed.created",
        "meetings.calendarfeed.revoked",
        "meetings.calendarfeed.created",
        "meetings.calendarfeed.revoked",
    ]
    for entry in ActivityLog.objects.all():
        assert token not in str(entry.data)
        assert token not in entry.object_repr


def test_a_feed_request_records_its_last_use(member, meetings):
    feed, token = feeds.calendar_feed_create(actor=member)
    assert feed.last_used_at is None
    _get(token)
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_a_user_without_a_role_cannot_create_a_feed():
    outsider = UserFactory()
    PersonFactory(user=outsider)
    give_totp(outsider)
    with pytest.raises(PermissionDenied):
        feeds.calendar_feed_create(actor=outsider)
    assert CalendarFeed.objects.count() == 0
