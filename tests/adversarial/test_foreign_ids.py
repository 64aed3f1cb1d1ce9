"""Attacks with another Land's object IDs in POST forms: nominations, attendance, co-sponsor
invitations and answers (DOMAIN rules 10 and 11). Every refusal is a 403/404 or a German form
error, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dmk.bodies.models import Membership, MembershipRole, State
from dmk.bodies.selectors import current_chair_period
from dmk.core.enums import Visibility
from dmk.meetings.models import Attendance
from dmk.papers.models import PaperSponsor
from tests.factories import ChairPeriodFactory, MeetingFactory, PaperFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(cast):
    today = timezone.localdate()
    return current_chair_period() or ChairPeriodFactory(
        body=cast.draft.body,
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31),
    )


def _nominations(period, state) -> list[int]:
    return sorted(
        Membership.objects.filter(
            chair_period=period, on_behalf_of=state, role=MembershipRole.MEMBER
        ).values_list("person_id", flat=True)
    )


def test_a_land_a_member_cannot_name_the_member_of_land_b_rule_10(cast, period):
    person_b = PersonFactory(state=cast.land_b, user=None, given_name="Bernd", family_name="Ber")
    before = _nominations(period, cast.land_b)

    response = cast.client("member_a").post(
        f"/intern/nominierungen/{cast.land_b.code}/", {"role": "member", "person": person_b.pk}
    )

    assert response.status_code == 403
    assert _nominations(period, cast.land_b) == before


def test_a_land_a_member_cannot_name_a_person_of_land_b_for_land_a_rule_10(cast, period):
    person_b = PersonFactory(state=cast.land_b, user=None, given_name="Bernd", family_name="Ber")

    response = cast.client("member_a").post(
        f"/intern/nominierungen/{cast.land_a.code}/", {"role": "member", "person": person_b.pk}
    )

    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.text
    assert not Membership.objects.filter(person=person_b, chair_period=period).exists()


@pytest.mark.parametrize("who", ["guest", "anonymous"])
def test_a_guest_or_visitor_cannot_name_anybody_rule_10(cast, period, who):
    person_a = PersonFactory(state=cast.land_a, user=None, given_name="Anna", family_name="By")

    response = cast.client(who).post(
        f"/intern/nominierungen/{cast.land_a.code}/", {"role": "member", "person": person_a.pk}
    )

    assert response.status_code in (302, 403)
    assert not Membership.objects.filter(person=person_a, chair_period=period).exists()


def test_a_nomination_for_an_unknown_land_code_is_404(cast, period):
    response = cast.client("member_a").post("/intern/nominierungen/DE-XX/", {"role": "member"})

    assert response.status_code == 404


def test_a_land_b_member_cannot_register_attendance_for_land_a_rule_1(cast):
    meeting = MeetingFactory(body=cast.draft.body, slug="anmeldung-fremd")

    response = cast.client("member_b").post(
        f"/intern/sitzungen/{meeting.slug}/anmeldung/",
        {"state": cast.land_a.pk, "role": "member", "representative_name": ""},
    )

    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in response.text
    assert not Attendance.objects.filter(meeting=meeting, state=cast.land_a).exists()


def test_a_guest_cannot_register_attendance_for_any_land(cast):
    meeting = MeetingFactory(body=cast.draft.body, slug="anmeldung-gast")

    response = cast.client("guest").post(
        f"/intern/sitzungen/{meeting.slug}/anmeldung/",
        {"state": cast.land_a.pk, "role": "member"},
    )

    assert response.status_code in (403, 404)
    assert Attendance.objects.filter(meeting=meeting).count() == 0


def test_a_land_b_member_cannot_invite_co_sponsors_to_land_as_draft(cast):
    response = cast.client("member_b").post(
        f"/intern/vorlagen/{cast.draft.slug}/mitantrag/", {"state": cast.land_b.pk}
    )

    assert response.status_code == 404
    assert PaperSponsor.objects.count() == 0


def test_a_land_b_member_cannot_invite_co_sponsors_to_land_as_internal_paper(cast):
    paper = PaperFactory(
        body=cast.draft.body, author_state=cast.land_a, visibility=Visibility.INTERNAL
    )

    response = cast.client("member_b").post(
        f"/intern/vorlagen/{paper.slug}/mitantrag/", {"state": cast.land_b.pk}
    )

    assert response.status_code == 403
    assert PaperSponsor.objects.count() == 0


def test_a_land_b_member_cannot_answer_land_cs_co_sponsor_invitation(cast):
    land_c = State.objects.get(code="DE-HH")
    paper = PaperFactory(
        body=cast.draft.body, author_state=cast.land_a, visibility=Visibility.INTERNAL
    )
    sponsor = PaperSponsor.objects.create(paper=paper, state=land_c)

    response = cast.client("member_b").post(
        f"/intern/vorlagen/{paper.slug}/mitantrag/{sponsor.pk}/antwort/", {"accept": "1"}
    )

    assert response.status_code == 403
    sponsor.refresh_from_db()
    assert sponsor.status == "invited"


def test_an_invitation_id_of_another_paper_under_a_visible_slug_is_404(cast):
    visible_paper = PaperFactory(
        body=cast.draft.body, author_state=cast.land_a, visibility=Visibility.INTERNAL
    )
    sponsor = PaperSponsor.objects.create(paper=cast.draft, state=cast.land_b)

    response = cast.client("member_b").post(
        f"/intern/vorlagen/{visible_paper.slug}/mitantrag/{sponsor.pk}/antwort/", {"accept": "1"}
    )

    assert response.status_code == 404
    sponsor.refresh_from_db()
    assert sponsor.status == "invited"


def test_a_land_b_member_cannot_submit_or_upload_to_land_as_internal_paper(cast):
    paper = PaperFactory(
        body=cast.draft.body, author_state=cast.land_a, visibility=Visibility.INTERNAL
    )
    meeting = MeetingFactory(body=cast.draft.body, slug="einreichen-fremd")
    client = cast.client("member_b")

    submit = client.post(f"/intern/vorlagen/{paper.slug}/einreichen/", {"meeting": meeting.pk})
    edit = client.post(
        f"/intern/vorlagen/{paper.slug}/bearbeiten/",
        {"title": "Übernommen", "paper_type": "proposal"},
    )

    assert (submit.status_code, edit.status_code) == (403, 403)
    paper.refresh_from_db()
    assert paper.title != "Übernommen"
    assert paper.consultations.count() == 0


def test_a_land_b_member_cannot_draft_a_paper_in_land_as_name(cast):
    response = cast.client("member_b").post(
        "/intern/vorlagen/neu/",
        {"state": cast.land_a.pk, "title": "Untergeschoben", "paper_type": "proposal"},
    )

    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in response.text
    assert not cast.land_a.authored_papers.filter(title="Untergeschoben").exists()
