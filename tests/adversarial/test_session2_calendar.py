"""Attacks on the personal calendar feed (issue 5 item 5; DOMAIN rule 11): a renewed or
revoked token reused, password-only sessions, missing CSRF token, garbage actions and tokens,
a feed outliving the user's rights, and a guest's feed after the invitation is withdrawn."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dmk.bodies.models import MembershipRole
from dmk.meetings import feeds
from dmk.meetings.models import CalendarFeed, GuestInvitation
from tests.factories import MeetingFactory, StateFactory, give_totp, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-HB", name_de="Bremen"))
    give_totp(user)
    return user


@pytest.fixture
def meeting():
    return MeetingFactory(
        name="5. Digitalministerkonferenz", slug="dmk-5", start_date=datetime.date(2027, 4, 19)
    )


def _token(user) -> str:
    return feeds.calendar_feed_create(actor=user)[1]


def test_a_renewed_token_is_dead_and_the_new_one_works(client, member, meeting):
    old = _token(member)
    new = _token(member)

    assert client.get(f"/kalender/{old}.ics").status_code == 404
    assert client.head(f"/kalender/{old}.ics").status_code == 404
    assert client.get(f"/kalender/{new}.ics").status_code == 200


def test_a_renewal_on_the_page_kills_the_old_url(member, meeting):
    client = Client()
    login_with_second_factor(client, member)
    first = client.post("/intern/kalender/", {"action": "create"}).context["new_url"]
    client.post("/intern/kalender/", {"action": "create"})

    path = first.split("127.0.0.1:8000", 1)[1]
    assert Client().get(path).status_code == 404
    assert CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).count() == 1


def test_a_revoked_token_is_404(client, member, meeting):
    token = _token(member)
    feeds.calendar_feed_revoke(actor=member)

    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_a_password_only_session_cannot_create_a_feed(member):
    client = Client()
    client.force_login(member)

    response = client.post("/intern/kalender/", {"action": "create"})

    assert response.status_code in (302, 403)
    assert not CalendarFeed.objects.exists()


def test_creating_a_feed_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    login_with_second_factor(client, member)

    assert client.post("/intern/kalender/", {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("action", ["", "delete", "create\x00", "x" * 10000])
def test_an_unknown_action_is_400_and_changes_nothing(client, member, action):
    token = _token(member)
    login_with_second_factor(client, member)

    assert client.post("/intern/kalender/", {"action": action}).status_code == 400
    assert feeds.calendar_feed_resolve(token) is not None


def test_the_page_with_the_new_url_is_never_cached(client, member):
    login_with_second_factor(client, member)

    response = client.post("/intern/kalender/", {"action": "create"})

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("token", ["", "a" * 101, "a" * 5000, "%00", "..%2Fx", "%E2%80%AE"])
def test_made_up_tokens_are_404(client, member, token):
    _token(member)
    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_post_on_the_feed_is_405(client, member):
    token = _token(member)
    assert client.post(f"/kalender/{token}.ics").status_code == 405


def test_a_lost_second_factor_or_deactivation_switches_the_feed_off(client, member, meeting):
    token = _token(member)
    Authenticator.objects.filter(user=member).delete()
    assert client.get(f"/kalender/{token}.ics").status_code == 404

    give_totp(member)
    assert client.get(f"/kalender/{token}.ics").status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(f"/kalender/{token}.ics").status_code == 404


def test_a_guest_loses_the_meeting_when_the_invitation_is_withdrawn(client, meeting):
    other = MeetingFactory(name="Geheime Sondersitzung", slug="geheim")
    guest = user_with_role(MembershipRole.GUEST, None, email="gast@bund.example")
    give_totp(guest)
    invitation = GuestInvitation.objects.create(meeting=meeting, person=guest.person)
    token = _token(guest)

    feed = client.get(f"/kalender/{token}.ics").content.decode()
    assert "5. Digitalministerkonferenz" in feed
    assert other.name not in feed

    invitation.delete()
    feed = client.get(f"/kalender/{token}.ics").content.decode()
    assert "5. Digitalministerkonferenz" not in feed


def test_control_characters_in_a_meeting_name_do_not_break_the_feed(client, member):
    MeetingFactory(
        name="Sitzung\r\nBEGIN:VEVENT\r\nSUMMARY:Eingeschleust",
        slug="kaputt",
        start_date=datetime.date(2027, 5, 3),
    )
    token = _token(member)

    feed = client.get(f"/kalender/{token}.ics").content.decode()

    assert feed.count("\r\nBEGIN:VEVENT\r\n") == 1  # the name is escaped (RFC 5545 §3.3.11)
    assert "\r\nSUMMARY:Eingeschleust" not in feed


def test_a_user_without_any_role_gets_no_feed(client):
    from tests.factories import UserFactory

    nobody = UserFactory(email="niemand@example.org")
    give_totp(nobody)
    login_with_second_factor(client, nobody)

    assert client.post("/intern/kalender/", {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()
