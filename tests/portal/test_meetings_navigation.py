"""What a newcomer finds on the portal pages of a meeting and of papers: the way to an open
ballot (DOMAIN rule 1), only papers they may open (DOMAIN rule 11), only links that lead
somewhere they may go."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from dmk.bodies.models import MembershipRole
from dmk.meetings import services as meeting_services
from dmk.papers.models import Consultation
from dmk.voting.services import ballot_close, ballot_open
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PaperFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- 1. the way to an open ballot ---------------------------------------------------------


@pytest.fixture
def session(public_record):
    return make_session()


def _meeting_page(client, session) -> str:
    response = client.get(f"/intern/sitzungen/{session.meeting.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_rule_1_a_member_finds_jetzt_abstimmen_on_the_item_with_an_open_ballot(client, session):
    ballot = ballot_open(agenda_item=session.items[1], user=session.secretariat)
    login_with_second_factor(client, session.member("DE-BY"))

    content = _meeting_page(client, session)

    assert re.findall(r'<a href="([^"]+)">Jetzt abstimmen</a>', content) == [
        f"/intern/abstimmung/{ballot.pk}/"
    ]


def test_rule_1_no_voting_link_once_the_ballot_is_closed(client, session):
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    ballot_close(ballot=ballot, user=session.secretariat)
    login_with_second_factor(client, session.member("DE-BY"))

    assert "Jetzt abstimmen" not in _meeting_page(client, session)


def test_rule_1_land_staff_hold_no_vote_and_get_no_voting_link(client, session):
    ballot_open(agenda_item=session.items[0], user=session.secretariat)
    staff = user_with_role(MembershipRole.STATE_STAFF, session.state("DE-BY"))
    login_with_second_factor(client, staff)

    content = _meeting_page(client, session)

    assert ("Jetzt abstimmen" in content, "zur Sitzungsleitung" in content) == (False, False)


def test_the_geschaeftsstelle_is_led_to_the_cockpit_for_an_open_ballot(client, session):
    ballot_open(agenda_item=session.items[2], user=session.secretariat)
    login_with_second_factor(client, session.secretariat)

    content = _meeting_page(client, session)

    assert re.findall(r'<a href="([^"]+)">Abstimmung läuft: zur Sitzungsleitung</a>', content) == [
        f"/intern/sitzungsleitung/{session.meeting.slug}/"
    ]
    assert "Jetzt abstimmen" not in content


# --- 2. a guest sees only papers they may open ----------------------------------------------


def test_rule_11_a_guest_invited_to_one_item_sees_and_opens_only_that_items_paper(client):
    meeting = MeetingFactory(is_public=True)
    item_1 = AgendaItemFactory(meeting=meeting, title="OZG")
    item_2 = AgendaItemFactory(meeting=meeting, title="KI")
    land = StateFactory(code="DE-HB", name_de="Bremen")
    on_1 = PaperFactory(title="Papier zu TOP 1", visibility="internal", author_state=land)
    on_2 = PaperFactory(title="Papier zu TOP 2", visibility="internal", author_state=land)
    draft = PaperFactory(title="Entwurf zu TOP 1", visibility="draft", author_state=land)
    Consultation.objects.create(paper=on_1, meeting=meeting, agenda_item=item_1)
    Consultation.objects.create(paper=on_2, meeting=meeting, agenda_item=item_2)
    Consultation.objects.create(paper=draft, meeting=meeting, agenda_item=item_1)
    guest = user_with_role(MembershipRole.GUEST)
    meeting_services.guest_invite(
        actor=user_with_role(MembershipRole.SECRETARIAT),
        meeting=meeting,
        person=guest.person,
        agenda_items=[item_1],
    )
    login_with_second_factor(client, guest)

    content = client.get(f"/intern/sitzungen/{meeting.slug}/").content.decode()
    links = re.findall(r'href="(/intern/vorlagen/[^"]+)"', content)

    assert links == [f"/intern/vorlagen/{on_1.slug}/"]
    assert [client.get(link).status_code for link in links] == [200]
    assert client.get(f"/intern/vorlagen/{on_2.slug}/").status_code == 404


# --- 3. /intern/vorlagen/: drafting only for those who may draft ----------------------------


def test_a_guest_is_not_offered_to_draft_a_paper(client):
    login_with_second_factor(client, user_with_role(MembershipRole.GUEST))

    response = client.get("/intern/vorlagen/")

    assert response.status_code == 200
    assert "Neue Vorlage entwerfen" not in response.content.decode()
    assert client.get("/intern/vorlagen/neu/").status_code == 403


def test_land_staff_are_offered_to_draft_a_paper_of_their_land(client):
    land = StateFactory(code="DE-HB", name_de="Bremen")
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, land))

    content = client.get("/intern/vorlagen/").content.decode()

    assert '<a href="/intern/vorlagen/neu/">Neue Vorlage entwerfen</a>' in content
    assert '<h1 class="kern-heading-x-large">Vorlagen Ihres Landes</h1>' in content


def test_the_geschaeftsstelle_sees_the_heading_alle_vorlagen(client):
    StateFactory(code="DE-HB", name_de="Bremen")
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))

    content = client.get("/intern/vorlagen/").content.decode()

    assert '<h1 class="kern-heading-x-large">Alle Vorlagen</h1>' in content
    assert "<title>Alle Vorlagen" in content
    assert "Vorlagen Ihres Landes" not in content


# --- 4. a paper is submitted once per meeting -----------------------------------------------


def test_a_paper_submitted_for_the_only_open_meeting_no_longer_offers_to_submit(client):
    land = StateFactory(code="DE-HB", name_de="Bremen")
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, land))
    meeting = MeetingFactory(start_date=timezone.localdate() + datetime.timedelta(weeks=8))
    paper = PaperFactory(author_state=land)
    url = f"/intern/vorlagen/{paper.slug}/"
    assert "Für die Sitzung einreichen" in client.get(url).content.decode()

    response = client.post(f"{url}einreichen/", {"meeting": meeting.pk})
    assert response.status_code == 302

    content = client.get(url).content.decode()
    assert "Für die Sitzung einreichen" not in content
    assert f"/intern/vorlagen/{paper.slug}/einreichen/" not in content


def test_a_submitted_paper_is_offered_only_the_meetings_it_is_not_yet_submitted_for(client):
    land = StateFactory(code="DE-HB", name_de="Bremen")
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, land))
    today = timezone.localdate()
    first = MeetingFactory(name="Erste Sitzung", start_date=today + datetime.timedelta(weeks=8))
    second = MeetingFactory(name="Zweite Sitzung", start_date=today + datetime.timedelta(weeks=20))
    paper = PaperFactory(author_state=land)
    client.post(f"/intern/vorlagen/{paper.slug}/einreichen/", {"meeting": first.pk})

    response = client.get(f"/intern/vorlagen/{paper.slug}/")

    offered = list(response.context["submit_form"].fields["meeting"].queryset)
    assert offered == [second]
    again = client.post(f"/intern/vorlagen/{paper.slug}/einreichen/", {"meeting": first.pk})
    assert again.status_code == 400
    assert "Die Vorlage ist für diese Sitzung bereits eingereicht." in again.content.decode()
    assert paper.consultations.count() == 1


# --- 10. order of the portal's upcoming sessions ------------------------------------------------


def test_the_portal_lists_dated_upcoming_sessions_soonest_first_and_undated_ones_after(client):
    land = StateFactory(code="DE-HB", name_de="Bremen")
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, land))
    today = timezone.localdate()
    MeetingFactory(name="Geplant, ohne Datum", start_date=None, state="planned")
    MeetingFactory(name="Später", start_date=today + datetime.timedelta(weeks=30))
    MeetingFactory(name="Bald", start_date=today + datetime.timedelta(weeks=10))
    MeetingFactory(name="Vorbei", start_date=today - datetime.timedelta(weeks=10))

    response = client.get("/intern/sitzungen/")

    assert [m.name for m in response.context["upcoming"]] == [
        "Bald",
        "Später",
        "Geplant, ohne Datum",
    ]
    assert [m.name for m in response.context["past"]] == ["Vorbei"]
