"""Attacks on the per-field contact visibility and on guests in the directory (issue 3 item
6; DOMAIN rule 11): a field restricted to the Geschäftsstelle must not leak through the list,
the person page, a vCard, the list's vCard file, the search or an export; a guest must not
reach people outside the meetings they are invited to; garbage filters are never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from dmk.bodies.models import MembershipRole, Person
from dmk.meetings.models import GuestInvitation
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor, secretariat_user

pytestmark = pytest.mark.django_db

SECRET_MOBILE = "+49 170 5550199"
SECRET_MAIL = "privat.geheim@by.example"
SECRET_STREET = "Geheimweg 7"


@pytest.fixture
def world():
    bayern = StateFactory(code="DE-BY", name_de="Bayern")
    berlin = StateFactory(code="DE-BE", name_de="Berlin")
    shy = PersonFactory(
        user=None,
        state=bayern,
        given_name="Sabine",
        family_name="Scheu",
        email=SECRET_MAIL,
        mobile=SECRET_MOBILE,
        phone="+49 89 1111",
        street=SECRET_STREET,
        city="München",
        postal_code="80331",
        office_email="vorzimmer.geheim@by.example",
        restricted_fields=["email", "mobile", "street", "office_email"],
    )
    MembershipFactory(person=shy, role=MembershipRole.MEMBER, on_behalf_of=bayern)
    outsider = PersonFactory(user=None, state=berlin, given_name="Otto", family_name="Außen")
    MembershipFactory(person=outsider, role=MembershipRole.PERMANENT_DEPUTY, on_behalf_of=berlin)
    meeting = MeetingFactory(slug="dmk-7", start_date=datetime.date(2027, 4, 19))
    guest = user_with_role(MembershipRole.GUEST, None, email="gast@bund.example")
    GuestInvitation.objects.create(meeting=meeting, person=guest.person)
    colleague = PersonFactory(user=None, given_name="Gerda", family_name="Mitgast")
    GuestInvitation.objects.create(meeting=meeting, person=colleague)
    return {
        "shy": shy,
        "outsider": outsider,
        "colleague": colleague,
        "member_be": user_with_role(MembershipRole.MEMBER, berlin, email="be@land.example"),
        "guest": guest,
        "secretariat": secretariat_user(email="gs@dmk.example"),
    }


def _as(user) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    return client


def _assert_no_secret(content: bytes) -> None:
    text = content.decode("utf-8", errors="replace")
    for secret in (SECRET_MOBILE, SECRET_MAIL, SECRET_STREET, "vorzimmer.geheim"):
        assert secret not in text


def test_restricted_fields_leak_nowhere_for_another_lands_member(world):
    client = _as(world["member_be"])
    shy = world["shy"]

    for url in (
        "/intern/kontakte/",
        "/intern/kontakte/?q=Scheu",
        f"/intern/kontakte/{shy.pk}/",
        f"/intern/kontakte/{shy.pk}/vcard.vcf",
        "/intern/kontakte/kontakte.vcf",
        "/intern/kontakte/kontakte.vcf?q=Scheu",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_secret(response.content)
    # the unrestricted phone is still there: the page works, only the fields are hidden
    assert "+49 89 1111" in client.get(f"/intern/kontakte/{shy.pk}/").text


def test_the_exports_stay_with_the_geschaeftsstelle(world):
    client = _as(world["member_be"])

    assert client.get("/intern/kontakte/kontakte.csv").status_code == 403
    assert client.get("/intern/kontakte/kontakte.xlsx").status_code == 403


def test_a_search_for_a_restricted_value_finds_nobody(world):
    """No oracle: searching for the hidden mobile number or e-mail must not single out the
    person who holds it."""
    client = _as(world["member_be"])

    for probe in (SECRET_MOBILE, "privat.geheim", "Geheimweg"):
        response = client.get("/intern/kontakte/", {"q": probe})
        assert response.context["persons"] == [], probe


def test_the_geschaeftsstelle_sees_the_restricted_fields(world):
    response = _as(world["secretariat"]).get(f"/intern/kontakte/{world['shy'].pk}/vcard.vcf")

    assert SECRET_MOBILE in response.content.decode()


def test_a_guest_sees_only_the_people_of_their_meeting(world):
    client = _as(world["guest"])

    listed = {p.pk for p in client.get("/intern/kontakte/").context["persons"]}
    assert world["colleague"].pk in listed
    assert world["shy"].pk not in listed
    assert world["outsider"].pk not in listed
    for person in (world["shy"], world["outsider"]):
        assert client.get(f"/intern/kontakte/{person.pk}/").status_code == 404
        assert client.get(f"/intern/kontakte/{person.pk}/vcard.vcf").status_code == 404
    vcards = client.get("/intern/kontakte/kontakte.vcf").content.decode()
    assert "Mitgast" in vcards
    assert "Außen" not in vcards and "Scheu" not in vcards
    assert client.get("/intern/kontakte/kontakte.csv").status_code == 403


def test_a_guest_without_second_factor_sees_nobody(world):
    client = Client()
    client.force_login(world["guest"])

    response = client.get("/intern/kontakte/")

    assert response.status_code in (302, 403)
    assert client.get(f"/intern/kontakte/{world['colleague'].pk}/").status_code in (302, 403)


@pytest.mark.parametrize(
    "params",
    [
        {"gremium": "²"},
        {"gremium": "١٢"},
        {"gremium": "9" * 40},
        {"gremium": "-1"},
        {"land": "DE-\x00"},
        {"rolle": "<script>"},
        {"q": "\x00" * 10},
        {"q": "x" * 100000},
    ],
)
def test_garbage_filters_are_never_a_500(world, params):
    client = _as(world["member_be"])

    for url in ("/intern/kontakte/", "/intern/kontakte/kontakte.vcf"):
        assert client.get(url, params).status_code == 200, (url, params)


def test_made_up_and_huge_person_ids_are_404(world):
    client = _as(world["member_be"])

    assert client.get("/intern/kontakte/987654321/").status_code == 404
    assert client.get(f"/intern/kontakte/{10**30}/vcard.vcf").status_code == 404


@pytest.mark.parametrize("choice", ["given_name", "password", "<script>"])
def test_restricting_an_unknown_field_is_refused_and_nothing_changes(world, choice):
    shy = world["shy"]
    user = user_with_role(MembershipRole.STATE_STAFF, shy.state, email="shy@by.example")
    Person.objects.filter(pk=user.person.pk).update(restricted_fields=["mobile"])
    client = _as(user)

    response = client.post(
        "/intern/kontakte/ich/",
        {"email": "a@by.example", "restricted_fields": ["mobile", choice]},
    )

    assert response.status_code == 200  # the form again, with the error
    assert Person.objects.get(pk=user.person.pk).restricted_fields == ["mobile"]
