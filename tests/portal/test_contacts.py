"""Contact directory, vCard/CSV/XLSX exports, self-service and "Meine Daten" (issue 3 items
6 and 7; seed §2.4)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import vobject
from openpyxl import load_workbook

from dmk.bodies.models import MembershipRole, Person
from dmk.core.models import ActivityLog
from tests.factories import MembershipFactory, PersonFactory, StateFactory, user_with_role
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def bavaria():
    return StateFactory(code="DE-BY", name_de="Bayern", name_en="Bavaria")


@pytest.fixture
def office_user():
    return user_with_role(MembershipRole.SECRETARIAT)


def _person(state, **kwargs) -> Person:
    person = PersonFactory(
        user=None,
        state=state,
        given_name=kwargs.pop("given_name", "Jürgen"),
        family_name=kwargs.pop("family_name", "Müller-Lüdenscheidt"),
        title="Dr.",
        function="Staatssekretär",
        ministry="Staatsministerium für Digitales",
        email="juergen.mueller@by.example",
        phone="+49 89 1234-0",
    )
    MembershipFactory(
        person=person, role=kwargs.get("role", MembershipRole.MEMBER), on_behalf_of=state
    )
    return person


def test_internal_user_finds_a_person_by_name_and_land(client, bavaria):
    person = _person(bavaria)
    _person(StateFactory(), given_name="Anna", family_name="Andere")
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, bavaria))
    response = client.get("/intern/kontakte/", {"q": "lüdensch", "land": "DE-BY"})
    assert response.status_code == 200
    assert [p.pk for p in response.context["persons"]] == [person.pk]


def test_directory_filters_by_role(client, bavaria, office_user):
    person = _person(bavaria)
    login_with_second_factor(client, office_user)
    response = client.get("/intern/kontakte/", {"rolle": "member"})
    assert [p.pk for p in response.context["persons"]] == [person.pk]
    response = client.get("/intern/kontakte/", {"rolle": "permanent_deputy"})
    assert list(response.context["persons"]) == []


def test_guest_sees_only_the_geschaeftsstelle_contacts(client, bavaria, office_user):
    member = _person(bavaria)
    guest = user_with_role(MembershipRole.PERMANENT_GUEST)
    login_with_second_factor(client, guest)
    response = client.get("/intern/kontakte/")
    assert [p.pk for p in response.context["persons"]] == [office_user.person.pk]
    assert client.get(f"/intern/kontakte/{member.pk}/").status_code == 404
    assert client.get(f"/intern/kontakte/{member.pk}/vcard.vcf").status_code == 404
    vcards = client.get("/intern/kontakte/kontakte.vcf").content.decode()
    assert "Müller" not in vcards


def test_user_without_role_cannot_open_the_directory(client):
    from tests.factories import UserFactory

    login_with_second_factor(client, UserFactory())
    assert client.get("/intern/kontakte/").status_code == 403


def test_person_vcard_parses_back_with_the_right_fields(client, bavaria, office_user):
    person = _person(bavaria)
    login_with_second_factor(client, office_user)
    response = client.get(f"/intern/kontakte/{person.pk}/vcard.vcf")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert (
        "filename*=UTF-8''J%C3%BCrgen%20M%C3%BCller-L%C3%BCdenscheidt.vcf"
        in (response["Content-Disposition"])
    )
    card = vobject.readOne(response.content.decode("utf-8"))
    assert card.version.value == "3.0"
    assert card.fn.value == "Dr. Jürgen Müller-Lüdenscheidt"
    assert card.n.value.family == "Müller-Lüdenscheidt"
    assert card.n.value.given == "Jürgen"
    assert card.email.value == "juergen.mueller@by.example"
    assert card.tel.value == "+49 89 1234-0"
    assert card.org.value == ["Staatsministerium für Digitales", "Bayern"]
    assert card.title.value == "Staatssekretär"


def test_filtered_list_vcard_holds_one_card_per_person(client, bavaria, office_user):
    _person(bavaria)
    _person(bavaria, given_name="Björn", family_name="Öztürk", role="state_staff")
    login_with_second_factor(client, office_user)
    response = client.get("/intern/kontakte/kontakte.vcf", {"land": "DE-BY"})
    cards = list(vobject.readComponents(response.content.decode("utf-8")))
    assert sorted(c.fn.value for c in cards) == [
        "Dr. Björn Öztürk",
        "Dr. Jürgen Müller-Lüdenscheidt",
    ]


def test_csv_export_opens_in_a_german_excel(client, bavaria, office_user):
    _person(bavaria)
    login_with_second_factor(client, office_user)
    response = client.get("/intern/kontakte/kontakte.csv", {"land": "DE-BY"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Anrede", "Titel", "Vorname", "Nachname"]
    assert rows[1][1:9] == [
        "Dr.",
        "Jürgen",
        "Müller-Lüdenscheidt",
        "Staatssekretär",
        "Staatsministerium für Digitales",
        "Bayern",
        "juergen.mueller@by.example",
        "+49 89 1234-0",
    ]
    assert len(rows) == 2


def test_xlsx_export_holds_the_contacts(client, bavaria, office_user):
    _person(bavaria)
    login_with_second_factor(client, office_user)
    response = client.get("/intern/kontakte/kontakte.xlsx", {"land": "DE-BY"})
    sheet = load_workbook(io.BytesIO(response.content))["Kontakte"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][3] == "Nachname"
    assert rows[1][2:4] == ["Jürgen", "Müller-Lüdenscheidt"]
    assert len(rows) == 2


def test_a_person_named_like_a_formula_is_exported_as_text(client, bavaria, office_user):
    """Issue 18 item 1: the exact input of the report, through the real export views."""
    formula = '=HYPERLINK("http://example.invalid";"x")'
    _person(bavaria, family_name=formula)
    login_with_second_factor(client, office_user)
    content = client.get("/intern/kontakte/kontakte.csv", {"land": "DE-BY"}).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][3] == "'" + formula
    assert rows[1][8] == "+49 89 1234-0"
    content = client.get("/intern/kontakte/kontakte.xlsx", {"land": "DE-BY"}).content
    sheet = load_workbook(io.BytesIO(content))["Kontakte"]
    name, phone = sheet.cell(row=2, column=4), sheet.cell(row=2, column=9)
    assert (name.value, name.data_type) == (formula, "s")
    assert (phone.value, phone.data_type) == ("+49 89 1234-0", "s")


def test_contact_exports_send_an_ascii_file_name_and_filename_star(client, bavaria, office_user):
    person = _person(bavaria, given_name="Jürgen", family_name="Müller–Lüdenscheidt")
    login_with_second_factor(client, office_user)
    response = client.get(f"/intern/kontakte/{person.pk}/vcard.vcf")
    assert response["Content-Disposition"] == (
        'attachment; filename="Juergen Mueller-Luedenscheidt.vcf"; '
        "filename*=UTF-8''J%C3%BCrgen%20M%C3%BCller%E2%80%93L%C3%BCdenscheidt.vcf"
    )
    response = client.get("/intern/kontakte/kontakte.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"DMK-Kontakte.xlsx\"; filename*=UTF-8''DMK-Kontakte.xlsx"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_only_the_geschaeftsstelle_may_export(client, bavaria, suffix):
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, bavaria))
    assert client.get(f"/intern/kontakte/kontakte.{suffix}").status_code == 403


def test_directory_query_count_is_the_same_for_1_and_3_persons(
    client, bavaria, office_user, django_assert_num_queries
):
    login_with_second_factor(client, office_user)
    client.get("/intern/kontakte/")  # warm up session and caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/intern/kontakte/").status_code == 200
        return len(ctx.captured_queries)

    _person(bavaria)
    one = count()
    _person(bavaria, given_name="B", family_name="Zwei", role="permanent_deputy")
    _person(bavaria, given_name="C", family_name="Drei", role="state_staff")
    with django_assert_num_queries(one):
        client.get("/intern/kontakte/")


def test_own_contact_data_can_be_edited_and_the_change_is_in_the_history(client, bavaria):
    user = user_with_role(MembershipRole.MEMBER, bavaria)
    login_with_second_factor(client, user)
    data = {f: getattr(user.person, f) for f in Person.CONTACT_FIELDS}
    data.update(phone="+49 89 555", city="München")
    response = client.post("/intern/kontakte/ich/", data)
    assert response.status_code == 302
    user.person.refresh_from_db()
    assert (user.person.phone, user.person.city) == ("+49 89 555", "München")
    entry = ActivityLog.objects.get(action="bodies.person.contact_changed")
    assert entry.data == {"fields": ["city", "phone"]}
    page = client.get("/intern/kontakte/ich/").content.decode()
    assert "Ort, Telefon" in page


def test_invalid_own_contact_data_is_a_german_error_and_nothing_is_stored(client, bavaria):
    user = user_with_role(MembershipRole.MEMBER, bavaria)
    login_with_second_factor(client, user)
    data = {f: getattr(user.person, f) for f in Person.CONTACT_FIELDS}
    data.update(email="keine-adresse", phone="+49 1")
    response = client.post("/intern/kontakte/ich/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Bitte gültige E-Mail-Adresse eingeben."]
    assert 'value="keine-adresse"' in response.content.decode()
    user.person.refresh_from_db()
    assert user.person.phone == ""
    assert ActivityLog.objects.filter(action="bodies.person.contact_changed").count() == 0


def test_my_data_export_is_json_with_account_person_and_memberships(client, bavaria):
    user = user_with_role(MembershipRole.MEMBER, bavaria, email="erika@by.example")
    login_with_second_factor(client, user)
    response = client.get("/intern/meine-daten/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert data["account"]["email"] == "erika@by.example"
    assert data["person"]["state"] == "DE-BY"
    assert data["person"]["family_name"] == user.last_name
    assert [(m["role"], m["state"]) for m in data["memberships"]] == [("member", "DE-BY")]


def test_geschaeftsstelle_erases_a_person_who_has_left(client, bavaria, office_user):
    import datetime

    person = PersonFactory(user=None, state=bavaria, given_name="Jürgen")
    MembershipFactory(
        person=person,
        role=MembershipRole.MEMBER,
        on_behalf_of=bavaria,
        end_date=datetime.date(2024, 12, 31),
        start_date=datetime.date(2024, 1, 1),
    )
    login_with_second_factor(client, office_user)
    response = client.post(f"/intern/kontakte/{person.pk}/loeschen/", {"confirm": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Mitglied", "Bayern")


def test_a_member_cannot_erase_a_person(client, bavaria):
    person = _person(bavaria)
    login_with_second_factor(client, user_with_role(MembershipRole.STATE_STAFF, bavaria))
    assert (
        client.post(f"/intern/kontakte/{person.pk}/loeschen/", {"confirm": "yes"}).status_code
        == 403
    )
    person.refresh_from_db()
    assert person.given_name == "Jürgen"


# --- per-field visibility (issue 3 item 6: "alle internen Nutzer" / "nur Geschäftsstelle") --

RESTRICTED_PHONE = "+49 89 4711-99"


@pytest.fixture
def restricted_owner(bavaria):
    """P: a member of Bavaria whose phone number only the Geschäftsstelle may see."""
    user = user_with_role(MembershipRole.MEMBER, bavaria, email="p@by.example")
    Person.objects.filter(pk=user.person.pk).update(
        phone=RESTRICTED_PHONE, mobile="+49 170 1", restricted_fields=["phone"]
    )
    user.person.refresh_from_db()
    return user


def _cards(response, person):
    cards = list(vobject.readComponents(response.content.decode("utf-8")))
    return [c for c in cards if c.n.value.family == person.family_name]


def test_policy_names_the_visible_contact_fields(restricted_owner, office_user):
    from django.contrib.auth.models import AnonymousUser

    from dmk.access.policy import visible_contact_fields

    person = restricted_owner.person
    other = user_with_role(MembershipRole.MEMBER, StateFactory())
    every = frozenset(Person.CONTACT_FIELDS)
    assert visible_contact_fields(other, person) == every - {"phone"}
    assert visible_contact_fields(office_user, person) == every
    assert visible_contact_fields(restricted_owner, person) == every
    assert visible_contact_fields(AnonymousUser(), person) == frozenset()


def test_restricted_phone_is_hidden_from_a_member_of_another_land(client, restricted_owner):
    person = restricted_owner.person
    login_with_second_factor(client, user_with_role(MembershipRole.MEMBER, StateFactory()))

    detail = client.get(f"/intern/kontakte/{person.pk}/").content.decode()
    assert RESTRICTED_PHONE not in detail
    assert "+49 170 1" in detail and "p@by.example" in detail
    listing = client.get("/intern/kontakte/").content.decode()
    assert RESTRICTED_PHONE not in listing
    assert "p@by.example" in listing

    (card,) = _cards(client.get(f"/intern/kontakte/{person.pk}/vcard.vcf"), person)
    assert [t.value for t in card.contents["tel"]] == ["+49 170 1"]
    assert card.email.value == "p@by.example"
    (card,) = _cards(client.get("/intern/kontakte/kontakte.vcf"), person)
    assert [t.value for t in card.contents["tel"]] == ["+49 170 1"]


def test_restricted_phone_is_shown_to_the_geschaeftsstelle(client, restricted_owner, office_user):
    person = restricted_owner.person
    login_with_second_factor(client, office_user)
    detail = client.get(f"/intern/kontakte/{person.pk}/").content.decode()
    assert f"{RESTRICTED_PHONE} (nur Geschäftsstelle)" in detail
    assert RESTRICTED_PHONE in client.get("/intern/kontakte/").content.decode()
    for url in (f"/intern/kontakte/{person.pk}/vcard.vcf", "/intern/kontakte/kontakte.vcf"):
        (card,) = _cards(client.get(url), person)
        assert sorted(t.value for t in card.contents["tel"]) == ["+49 170 1", RESTRICTED_PHONE]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/intern/kontakte/kontakte.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert [r[8] for r in rows if r[3] == person.family_name] == [RESTRICTED_PHONE]


def test_restricted_phone_is_shown_to_the_person_themself(client, restricted_owner):
    person = restricted_owner.person
    login_with_second_factor(client, restricted_owner)
    assert RESTRICTED_PHONE in client.get(f"/intern/kontakte/{person.pk}/").content.decode()
    (card,) = _cards(client.get(f"/intern/kontakte/{person.pk}/vcard.vcf"), person)
    assert RESTRICTED_PHONE in [t.value for t in card.contents["tel"]]
    data = json.loads(client.get("/intern/meine-daten/").content.decode("utf-8"))
    assert (data["person"]["phone"], data["person"]["restricted_fields"]) == (
        RESTRICTED_PHONE,
        ["phone"],
    )


def test_visibility_is_set_in_self_service_with_history(client, bavaria):
    user = user_with_role(MembershipRole.MEMBER, bavaria)
    login_with_second_factor(client, user)
    data = {f: getattr(user.person, f) for f in Person.CONTACT_FIELDS}
    data["restricted_fields"] = ["street", "phone"]
    assert client.post("/intern/kontakte/ich/", data).status_code == 302
    user.person.refresh_from_db()
    assert user.person.restricted_fields == ["phone", "street"]
    entry = ActivityLog.objects.get(action="bodies.person.contact_changed")
    assert entry.data == {"fields": ["restricted_fields"], "restricted_fields": ["phone", "street"]}
    page = client.get("/intern/kontakte/ich/").content.decode()
    assert ": Sichtbarkeit</li>" in page
    assert 'value="phone" id="id_restricted_fields_1" checked' in page

    data["restricted_fields"] = ["given_name"]
    response = client.post("/intern/kontakte/ich/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["restricted_fields"] == [
        "Bitte eine gültige Auswahl treffen. given_name ist keine gültige Auswahl."
    ]
    user.person.refresh_from_db()
    assert user.person.restricted_fields == ["phone", "street"]


def test_the_service_refuses_an_unknown_restricted_field(bavaria):
    from django.core.exceptions import ValidationError

    from dmk.bodies.services import person_update_contact

    person = PersonFactory(user=None, state=bavaria)
    with pytest.raises(ValidationError):
        person_update_contact(person=person, actor=None, changes={"restricted_fields": ["user"]})
    person.refresh_from_db()
    assert person.restricted_fields == []


# --- guests see the contacts of their meetings (issue 3 item 6) ----------------------------


def _guest_invited_to(meeting):
    from dmk.meetings.models import GuestInvitation

    guest = user_with_role(MembershipRole.GUEST)
    GuestInvitation.objects.create(meeting=meeting, person=guest.person)
    return guest


def test_guest_sees_the_people_of_their_meetings_and_the_geschaeftsstelle(
    client, bavaria, office_user
):
    from dmk.meetings.models import Attendance, GuestInvitation
    from tests.factories import MeetingFactory

    mine, other = MeetingFactory(), MeetingFactory()
    guest = _guest_invited_to(mine)
    fellow_guest = PersonFactory(user=None, family_name="Mitgast")
    GuestInvitation.objects.create(meeting=mine, person=fellow_guest)
    attendee = _person(bavaria, family_name="Angemeldet")
    Attendance.objects.create(meeting=mine, state=bavaria, person=attendee)
    elsewhere = _person(StateFactory(), family_name="Woanders")
    Attendance.objects.create(meeting=other, state=elsewhere.state, person=elsewhere)
    GuestInvitation.objects.create(meeting=other, person=PersonFactory(user=None))
    stranger = _person(bavaria, family_name="Fremd", role="state_staff")

    login_with_second_factor(client, guest)
    response = client.get("/intern/kontakte/")
    assert {p.pk for p in response.context["persons"]} == {
        guest.person.pk,
        fellow_guest.pk,
        attendee.pk,
        office_user.person.pk,
    }
    assert client.get(f"/intern/kontakte/{attendee.pk}/").status_code == 200
    for hidden in (elsewhere, stranger):
        assert client.get(f"/intern/kontakte/{hidden.pk}/").status_code == 404
        assert client.get(f"/intern/kontakte/{hidden.pk}/vcard.vcf").status_code == 404
    families = {
        c.n.value.family
        for c in vobject.readComponents(
            client.get("/intern/kontakte/kontakte.vcf").content.decode()
        )
    }
    assert "Angemeldet" in families
    assert families.isdisjoint({"Woanders", "Fremd"})


def test_guest_directory_query_count_is_the_same_for_1_and_3_persons(
    client, bavaria, django_assert_num_queries
):
    from dmk.meetings.models import Attendance
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    guest = _guest_invited_to(meeting)
    login_with_second_factor(client, guest)
    client.get("/intern/kontakte/")  # warm up session and caches

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/intern/kontakte/")
    assert len(response.context["persons"]) == 1
    one = len(ctx.captured_queries)
    for name, state in (("Zwei", bavaria), ("Drei", StateFactory())):
        person = _person(state, family_name=name)
        Attendance.objects.create(meeting=meeting, state=state, person=person)
    with django_assert_num_queries(one):
        response = client.get("/intern/kontakte/")
    assert len(response.context["persons"]) == 3
