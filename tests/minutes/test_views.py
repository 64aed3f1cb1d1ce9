"""The minutes pages of the portal (issue 12 items 2, 3, 6; DOMAIN rule 11): who sees what,
a conflicting save shows both texts, the diff page, the PDF download."""

from __future__ import annotations

import pytest
from django.test import Client

from dmk.bodies.models import MembershipRole
from dmk.meetings.models import MeetingState
from dmk.minutes.models import Minutes, MinutesStatus
from dmk.minutes.services import minutes_circulate, minutes_create_draft, minutes_revise
from tests.factories import user_with_role
from tests.helpers import login_with_second_factor, secretariat_user
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(public_record):
    s = make_session(with_members=False)
    s.meeting.state = MeetingState.HELD
    s.meeting.save(update_fields=["state"])
    s.member_hh = user_with_role(MembershipRole.MEMBER, s.state("DE-HH"))
    return s


def _client(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def _url(session, tail: str = "protokoll/") -> str:
    return f"/intern/sitzungen/{session.meeting.slug}/{tail}"


def test_the_geschaeftsstelle_creates_the_draft_with_one_click(session):
    client = _client(session.secretariat)

    page = client.get(_url(session))
    response = client.post(_url(session), {"action": "create"})

    assert page.status_code == 200
    assert "Protokollentwurf anlegen" in page.content.decode()
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=session.meeting).status == MinutesStatus.DRAFT


def test_an_unsent_draft_is_hidden_from_the_laender_and_guests_always(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    member = _client(session.member_hh)
    guest = _client(user_with_role(MembershipRole.GUEST))

    assert member.get(_url(session)).status_code == 404
    assert member.get(_url(session, "protokoll.pdf")).status_code == 404
    minutes_circulate(minutes=minutes, user=session.secretariat)
    assert member.get(_url(session)).status_code == 200
    assert guest.get(_url(session)).status_code == 404


def test_a_land_comments_through_the_page_and_cannot_speak_for_another(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    minutes_circulate(minutes=minutes, user=session.secretariat)
    client = _client(session.member_hh)
    item = session.items[1]

    refused = client.post(
        _url(session),
        {"action": "comment", "state": session.state("DE-BY").pk, "text": "Für Bayern"},
    )
    done = client.post(
        _url(session),
        {
            "action": "comment",
            "state": session.state("DE-HH").pk,
            "agenda_item": item.pk,
            "text": "Bitte ergänzen.",
        },
    )

    assert refused.status_code == 400
    assert "nur für Ihr eigenes Land" in refused.content.decode()
    assert "Für Bayern" in refused.content.decode()  # what was typed is shown again
    assert done.status_code == 302
    assert [(c.state.code, c.agenda_item_id) for c in minutes.comments.all()] == [
        ("DE-HH", item.pk)
    ]


def test_a_conflicting_save_answers_409_with_both_texts(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    item = session.items[0]
    other = secretariat_user(email="gs2@dmk.example")
    minutes_revise(
        minutes=minutes, user=other, texts={item.pk: "Text der Kollegin."}, base_version=1
    )

    response = _client(session.secretariat).post(
        _url(session),
        {"action": "revise", "base_version": "1", f"text-{item.pk}": "Mein eigener Text."},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "inzwischen von jemand anderem geändert" in html
    assert "Text der Kollegin." in html
    assert "Mein eigener Text." in html
    assert 'name="base_version" value="2"' in html
    minutes.refresh_from_db()
    assert minutes.version == 2


def test_the_diff_page_marks_added_and_removed_lines(session):
    minutes = minutes_create_draft(meeting=session.meeting, user=session.secretariat)
    item = session.items[0]
    minutes_revise(
        minutes=minutes, user=session.secretariat, texts={item.pk: "Alt."}, base_version=1
    )
    minutes_revise(
        minutes=minutes, user=session.secretariat, texts={item.pk: "Neu."}, base_version=2
    )

    html = _client(session.secretariat).get(_url(session, "protokoll/vergleich/")).content.decode()

    assert "Änderungen von Fassung 2 zu Fassung 3" in html
    assert '<span class="dmk-diff__mark">entfernt:</span> Alt.' in html
    assert '<span class="dmk-diff__mark">neu:</span> Neu.' in html


def test_the_minutes_pdf_downloads_for_a_reader(session):
    minutes_create_draft(meeting=session.meeting, user=session.secretariat)

    response = _client(session.secretariat).get(_url(session, "protokoll.pdf"))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
