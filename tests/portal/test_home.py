"""The portal start page links what the user may do (issue 2 item 5; DOMAIN rule 11)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import Meeting, MeetingKind
from tests.factories import BodyFactory, StateFactory, user_with_role
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_meeting():
    return Meeting.objects.create(
        body=BodyFactory(),
        kind=MeetingKind.REGULAR,
        ordinal=5,
        name="5. Digitalministerkonferenz",
        slug="5-dmk",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        place="Hamburg",
    )


def test_member_sees_meetings_papers_and_nominations_but_not_the_cockpit(client, next_meeting):
    member = user_with_role(MembershipRole.MEMBER, StateFactory(code="DE-BY", name_de="Bayern"))
    login_with_second_factor(client, member)

    html = client.get("/intern/").content.decode()

    assert 'href="/intern/sitzungen/5-dmk/"' in html
    assert 'href="/intern/vorlagen/"' in html
    assert 'href="/intern/nominierungen/"' in html
    assert "/intern/sitzungsleitung/" not in html
    assert 'href="/verwaltung/"' not in html


def test_guest_sees_no_paper_or_nomination_links(client, next_meeting):
    guest = user_with_role(MembershipRole.PERMANENT_GUEST, None)
    login_with_second_factor(client, guest)

    html = client.get("/intern/").content.decode()

    assert 'href="/intern/vorlagen/"' not in html
    assert 'href="/intern/nominierungen/"' not in html


def test_secretariat_sees_the_cockpit_of_the_next_meeting_and_the_back_office(client, next_meeting):
    login_with_second_factor(client, secretariat_user())

    html = client.get("/intern/").content.decode()

    assert 'href="/intern/sitzungsleitung/5-dmk/"' in html
    assert 'href="/verwaltung/"' in html
