"""Guests see only the papers of the meetings or items they are invited to (DOMAIN rule 11,
last sentence; seed §2.3; issue 5 item 7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dmk.bodies.models import MembershipRole
from dmk.meetings import services
from dmk.papers.models import Consultation
from dmk.papers.selectors import meeting_consultations, paper_list
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PaperFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    meeting = MeetingFactory(is_public=False)
    item_1 = AgendaItemFactory(meeting=meeting, title="OZG")
    item_2 = AgendaItemFactory(meeting=meeting, title="KI")
    land = StateFactory(code="DE-HB", name_de="Bremen")
    on_1 = PaperFactory(title="Papier zu TOP 1", visibility="internal", author_state=land)
    on_2 = PaperFactory(title="Papier zu TOP 2", visibility="internal", author_state=land)
    draft = PaperFactory(title="Entwurf", visibility="draft", author_state=land)
    Consultation.objects.create(paper=on_1, meeting=meeting, agenda_item=item_1)
    Consultation.objects.create(paper=on_2, meeting=meeting, agenda_item=item_2)
    Consultation.objects.create(paper=draft, meeting=meeting, agenda_item=item_1)
    guest = user_with_role(MembershipRole.GUEST)
    return {
        "meeting": meeting,
        "items": (item_1, item_2),
        "guest": guest,
        "papers": (on_1, on_2),
        "secretariat": user_with_role(MembershipRole.SECRETARIAT),
    }


def test_rule_11_a_guest_invited_to_one_item_sees_only_that_items_papers(scene):
    services.guest_invite(
        actor=scene["secretariat"],
        meeting=scene["meeting"],
        person=scene["guest"].person,
        agenda_items=[scene["items"][0]],
    )
    assert [p.title for p in paper_list(user=scene["guest"])] == ["Papier zu TOP 1"]
    assert [
        c.paper.title for c in meeting_consultations(user=scene["guest"], meeting=scene["meeting"])
    ] == ["Papier zu TOP 1"]


def test_rule_11_a_guest_invited_to_the_whole_meeting_sees_all_its_papers_but_no_draft(scene):
    services.guest_invite(
        actor=scene["secretariat"], meeting=scene["meeting"], person=scene["guest"].person
    )
    assert sorted(p.title for p in paper_list(user=scene["guest"])) == [
        "Papier zu TOP 1",
        "Papier zu TOP 2",
    ]


def test_rule_11_a_guest_without_invitation_sees_no_internal_paper_nor_the_meeting(scene):
    assert list(paper_list(user=scene["guest"])) == []
    client = Client()
    login_with_second_factor(client, scene["guest"])
    assert client.get(f"/intern/sitzungen/{scene['meeting'].slug}/").status_code == 404


def test_an_invited_guest_opens_the_meeting_page_and_only_their_paper(scene):
    services.guest_invite(
        actor=scene["secretariat"],
        meeting=scene["meeting"],
        person=scene["guest"].person,
        agenda_items=[scene["items"][0]],
    )
    client = Client()
    login_with_second_factor(client, scene["guest"])
    response = client.get(f"/intern/sitzungen/{scene['meeting'].slug}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Papier zu TOP 1" in content
    assert "Papier zu TOP 2" not in content
    on_1, on_2 = scene["papers"]
    assert client.get(f"/intern/vorlagen/{on_1.slug}/").status_code == 200
    assert client.get(f"/intern/vorlagen/{on_2.slug}/").status_code == 404


def test_items_of_another_meeting_are_refused(scene):
    other = AgendaItemFactory()
    with pytest.raises(ValidationError):
        services.guest_invite(
            actor=scene["secretariat"],
            meeting=scene["meeting"],
            person=scene["guest"].person,
            agenda_items=[other],
        )


def test_a_guest_confirms_only_their_own_invitation(scene):
    invitation = services.guest_invite(
        actor=scene["secretariat"], meeting=scene["meeting"], person=scene["guest"].person
    )
    with pytest.raises(PermissionDenied):
        services.guest_answer(
            actor=user_with_role(MembershipRole.GUEST), invitation=invitation, attending=True
        )
    services.guest_answer(actor=scene["guest"], invitation=invitation, attending=True)
    invitation.refresh_from_db()
    assert invitation.status == "confirmed"


def test_rule_11_a_guest_invited_to_one_item_sees_only_that_item_on_the_agenda(scene):
    """The titles of the other items are internal: a guest invited to TOP "OZG" does not
    learn that "KI" is on the agenda (newcomer report: all titles were listed)."""
    from dmk.access.policy import visible_agenda_items

    services.guest_invite(
        actor=scene["secretariat"],
        meeting=scene["meeting"],
        person=scene["guest"].person,
        agenda_items=[scene["items"][0]],
    )
    client = Client()
    login_with_second_factor(client, scene["guest"])
    content = client.get(f"/intern/sitzungen/{scene['meeting'].slug}/").content.decode()

    assert ">OZG<" in content
    assert ">KI<" not in content
    items = scene["meeting"].agenda_items.all()
    assert [i.title for i in visible_agenda_items(scene["guest"], items)] == ["OZG"]
    assert [i.title for i in visible_agenda_items(scene["secretariat"], items)] == ["OZG", "KI"]


def test_rule_11_a_guest_invited_to_the_whole_meeting_sees_the_whole_agenda(scene):
    from dmk.access.policy import visible_agenda_items

    services.guest_invite(
        actor=scene["secretariat"], meeting=scene["meeting"], person=scene["guest"].person
    )
    items = scene["meeting"].agenda_items.all()
    assert [i.title for i in visible_agenda_items(scene["guest"], items)] == ["OZG", "KI"]
    other_guest = user_with_role(MembershipRole.GUEST)
    assert list(visible_agenda_items(other_guest, items)) == []
