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
