"""Attacks from the edges of the roles: a former member, a further deputy of another meeting,
a guest invited to a meeting with a draft, and self-service forms posting fields they do not
show (mass assignment). DOMAIN rules 1, 10 and 11."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.bodies.models import Membership, MembershipRole, Person
from dmk.meetings.models import GuestInvitation
from dmk.papers.models import Consultation
from dmk.voting.models import Vote
from dmk.voting.services import ballot_open
from tests.adversarial.conftest import DRAFT_TITLE
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_a_former_member_of_land_a_no_longer_sees_land_as_draft_rule_11(cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Membership.objects.filter(person__user=cast.member_a).update(
        start_date=yesterday - datetime.timedelta(days=30), end_date=yesterday
    )

    client = cast.client("member_a")
    page = client.get(f"/intern/vorlagen/{cast.draft.slug}/")
    listing = client.get("/intern/vorlagen/")

    assert page.status_code == 404
    assert DRAFT_TITLE not in listing.text


def test_a_guest_invited_to_a_meeting_that_consults_land_as_draft_does_not_see_it(cast):
    meeting = MeetingFactory(body=cast.draft.body, slug="sitzung-mit-gast")
    Consultation.objects.create(paper=cast.draft, meeting=meeting)
    GuestInvitation.objects.create(meeting=meeting, person=Person.objects.get(user=cast.guest))
    client = cast.client("guest")

    meeting_page = client.get(f"/intern/sitzungen/{meeting.slug}/")
    paper_page = client.get(f"/intern/vorlagen/{cast.draft.slug}/")
    download = client.get(f"/intern/vorlagen/{cast.draft.slug}/dateien/{cast.draft_file.pk}/")

    assert meeting_page.status_code == 200
    assert DRAFT_TITLE not in meeting_page.text
    assert (paper_page.status_code, download.status_code) == (404, 404)


def test_a_further_deputy_named_for_another_meeting_cannot_vote_here_rule_1(public_record, cast):
    from django.test import Client

    from tests.voting.scenario import make_item, make_meeting

    here = make_meeting(slug="hier")
    item = make_item(here, 1)
    elsewhere = make_meeting(slug="anderswo", day=datetime.date(2026, 9, 1))
    deputy = PersonFactory(state=cast.land_a)
    MembershipFactory(
        person=deputy,
        role=MembershipRole.FURTHER_DEPUTY,
        on_behalf_of=cast.land_a,
        meeting=elsewhere,
    )
    ballot = ballot_open(agenda_item=item, user=cast.secretariat)
    client = Client()
    login_with_second_factor(client, deputy.user)

    response = client.post(
        f"/intern/abstimmung/{ballot.pk}/", {"state": cast.land_a.pk, "choice": "yes"}
    )

    assert response.status_code == 400
    assert "Sie haben kein Stimmrecht." in response.text
    assert Vote.objects.count() == 0


def test_the_own_contact_form_ignores_posted_name_and_land_fields(cast):
    person = Person.objects.get(user=cast.member_b)
    before = (person.given_name, person.family_name, person.state_id, person.user_id)

    response = cast.client("member_b").post(
        "/intern/kontakte/ich/",
        {
            "given_name": "Gefälscht",
            "family_name": "Übernahme",
            "state": cast.land_a.pk,
            "user": cast.secretariat.pk,
            "email": person.email,
            "phone": "+49 30 1234",
        },
    )

    assert response.status_code in (200, 302)
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.state_id, person.user_id) == before


@pytest.mark.parametrize("who", ["member_a", "staff_a", "guest"])
def test_only_the_geschaeftsstelle_erases_a_person(cast, who):
    person = Person.objects.get(user=cast.member_b)

    response = cast.client(who).post(f"/intern/kontakte/{person.pk}/loeschen/", {"confirm": "yes"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.family_name == cast.member_b.last_name


def test_a_guest_sees_only_the_geschaeftsstelle_in_the_directory_and_its_vcards(cast):
    member_b = Person.objects.get(user=cast.member_b)
    client = cast.client("guest")

    detail = client.get(f"/intern/kontakte/{member_b.pk}/")
    vcard = client.get(f"/intern/kontakte/{member_b.pk}/vcard.vcf")
    all_cards = client.get("/intern/kontakte/kontakte.vcf")
    csv = client.get("/intern/kontakte/kontakte.csv")

    assert (detail.status_code, vcard.status_code, csv.status_code) == (404, 404, 403)
    assert member_b.family_name not in all_cards.content.decode("utf-8")


@pytest.mark.parametrize("who", ["member_a", "staff_a", "member_b"])
def test_only_the_geschaeftsstelle_sees_the_attendance_board(cast, who):
    meeting = MeetingFactory(body=cast.draft.body, slug="anwesenheit")

    response = cast.client(who).get(f"/intern/sitzungen/{meeting.slug}/anwesenheit/")

    assert response.status_code == 403


def test_meine_daten_contains_only_the_own_activity(cast):
    response = cast.client("member_b").get("/intern/meine-daten/")
    data = response.json()

    assert data["account"]["email"] == "mitglied-be@land.example"
    assert [entry["action"] for entry in data["activity"]] == ["accounts.login.succeeded"]
    assert "mitglied-by@land.example" not in response.content.decode("utf-8")
