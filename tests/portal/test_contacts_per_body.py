"""The contact directory with two conferences on one platform (issue 3 items 6 and 7, issue 11
item 1; DOMAIN rule 11; seed §2.4): the members' contact data, their exports and their GDPR
erasure belong to the body the person belongs to.

Two bodies, A (DMK) and B (GMK), each with its own Geschäftsstelle and members. B's
Geschäftsstelle must not list, open, download, export or erase A's members, nor read the
fields A's people keep for "their" Geschäftsstelle; everybody sees every body's
Geschäftsstelle (a contact point, seed §2.4).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

import pytest
import vobject
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dmk.access.policy import can_erase_person, visible_contact_fields, visible_persons
from dmk.accounts.models import User
from dmk.bodies.models import Body, Membership, MembershipRole, Organization, Person, State
from dmk.bodies.selectors import directory_persons
from tests.factories import (
    BodyFactory,
    OrganizationFactory,
    PersonFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db

RESTRICTED_PHONE = "+49 89 4711-99"
EVERY_FIELD = frozenset(Person.CONTACT_FIELDS)


@dataclass
class Conference:
    body: Body
    plenary: Organization
    working_group: Organization
    office: Organization


@dataclass
class World:
    a: Conference
    b: Conference
    bavaria: State
    office_a: User
    office_b: User
    member_b: User
    member_a: Person  # A's plain member, restricted phone
    ag_member_a: Person  # only in a working group of A
    colleague_a: Person  # A's Geschäftsstelle, restricted phone

    def client(self, user: User) -> Client:
        client = Client()
        login_with_second_factor(client, user)
        return client


def _conference(short_name: str, name: str) -> Conference:
    body = BodyFactory(short_name=short_name, name=name)
    return Conference(
        body=body,
        plenary=OrganizationFactory(body=body, name=f"{short_name} Plenum"),
        working_group=OrganizationFactory(
            body=body, name=f"{short_name} AG Daten", kind=Organization.Kind.WORKING_GROUP
        ),
        office=OrganizationFactory(
            body=body, name=f"{short_name} Geschäftsstelle", kind=Organization.Kind.SECRETARIAT
        ),
    )


def _member(
    person: Person,
    organization: Organization,
    role: str = MembershipRole.MEMBER,
    state: State | None = None,
    **dates: datetime.date,
) -> Membership:
    return Membership.objects.create(
        person=person,
        organization=organization,
        role=role,
        on_behalf_of=state if role != MembershipRole.SECRETARIAT else None,
        **dates,
    )


def _person(family_name: str, **fields) -> Person:
    return PersonFactory(
        user=None,
        given_name="Eva",
        family_name=family_name,
        email=f"{family_name.lower()}@example.org",
        phone=fields.pop("phone", "+49 30 1000"),
        **fields,
    )


def _user(family_name: str, organization: Organization, role: str, state=None) -> User:
    user = UserFactory(last_name=family_name, email=f"{family_name.lower()}@example.org")
    person = PersonFactory(user=user, family_name=family_name)
    _member(person, organization, role, state)
    return user


@pytest.fixture
def world() -> World:
    a = _conference("DMK", "Digitalministerkonferenz")
    b = _conference("GMK", "Gesundheitsministerkonferenz")
    bavaria = StateFactory(code="DE-BY", name_de="Bayern")
    member_a = _person("Amsel", state=bavaria, phone=RESTRICTED_PHONE, restricted_fields=["phone"])
    _member(member_a, a.plenary, state=bavaria)
    ag_member_a = _person("Arbeitsgruppe", state=bavaria)
    _member(ag_member_a, a.working_group, MembershipRole.STATE_STAFF, bavaria)
    colleague_a = _person("Abteilung", phone=RESTRICTED_PHONE, restricted_fields=["phone"])
    _member(colleague_a, a.office, MembershipRole.SECRETARIAT)
    return World(
        a=a,
        b=b,
        bavaria=bavaria,
        office_a=_user("Aoffice", a.office, MembershipRole.SECRETARIAT),
        office_b=_user("Boffice", b.office, MembershipRole.SECRETARIAT),
        member_b=_user("Bmember", b.plenary, MembershipRole.MEMBER, bavaria),
        member_a=member_a,
        ag_member_a=ag_member_a,
        colleague_a=colleague_a,
    )


def _listed(client: Client, **params) -> set[str]:
    response = client.get("/intern/kontakte/", params)
    assert response.status_code == 200
    return {p.family_name for p in response.context["persons"]}


def _csv_rows(client: Client) -> list[list[str]]:
    response = client.get("/intern/kontakte/kontakte.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(client: Client) -> list[list[object]]:
    response = client.get("/intern/kontakte/kontakte.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Kontakte"]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _vcard_families(response) -> set[str]:
    assert response.status_code == 200
    return {c.n.value.family for c in vobject.readComponents(response.content.decode("utf-8"))}


# --- who is listed -----------------------------------------------------------------------

OFFICES = {"Aoffice", "Abteilung", "Boffice"}


def test_the_geschaeftsstelle_of_b_lists_b_and_every_geschaeftsstelle_but_not_a_members(world):
    assert _listed(world.client(world.office_b)) == OFFICES | {"Bmember"}


def test_the_geschaeftsstelle_of_a_lists_a_with_its_working_group_and_every_geschaeftsstelle(
    world,
):
    assert _listed(world.client(world.office_a)) == OFFICES | {"Amsel", "Arbeitsgruppe"}


def test_a_member_of_b_sees_the_geschaeftsstelle_of_a_but_not_a_plain_member_of_a(world):
    client = world.client(world.member_b)

    assert _listed(client) == OFFICES | {"Bmember"}
    assert client.get(f"/intern/kontakte/{world.colleague_a.pk}/").status_code == 200
    assert client.get(f"/intern/kontakte/{world.member_a.pk}/").status_code == 404


def test_a_search_by_the_name_of_a_member_of_a_finds_nobody_for_b(world):
    assert _listed(world.client(world.office_b), q="Amsel") == set()
    assert _listed(world.client(world.office_a), q="Amsel") == {"Amsel"}


def test_the_geschaeftsstelle_of_b_cannot_open_or_download_a_member_of_a(world):
    client = world.client(world.office_b)

    for person in (world.member_a, world.ag_member_a):
        assert client.get(f"/intern/kontakte/{person.pk}/").status_code == 404
        assert client.get(f"/intern/kontakte/{person.pk}/vcard.vcf").status_code == 404
    assert _vcard_families(client.get("/intern/kontakte/kontakte.vcf")) == OFFICES | {"Bmember"}


def test_the_geschaeftsstelle_of_a_opens_and_downloads_a_member_of_a(world):
    client = world.client(world.office_a)

    assert client.get(f"/intern/kontakte/{world.member_a.pk}/").status_code == 200
    assert _vcard_families(client.get(f"/intern/kontakte/{world.member_a.pk}/vcard.vcf")) == {
        "Amsel"
    }


def test_the_exports_of_b_hold_exactly_what_b_may_see(world):
    client = world.client(world.office_b)

    csv_rows = _csv_rows(client)
    xlsx_rows = _xlsx_rows(client)

    assert csv_rows[0][3] == xlsx_rows[0][3] == "Nachname"
    assert sorted(r[3] for r in csv_rows[1:]) == ["Abteilung", "Aoffice", "Bmember", "Boffice"]
    assert sorted(r[3] for r in xlsx_rows[1:]) == ["Abteilung", "Aoffice", "Bmember", "Boffice"]
    assert RESTRICTED_PHONE not in str(csv_rows) + str(xlsx_rows)


def test_the_exports_of_a_hold_a_with_the_restricted_fields(world):
    client = world.client(world.office_a)

    csv_rows = _csv_rows(client)
    xlsx_rows = _xlsx_rows(client)

    expected = sorted(OFFICES | {"Amsel", "Arbeitsgruppe"})
    assert sorted(r[3] for r in csv_rows[1:]) == expected
    assert sorted(r[3] for r in xlsx_rows[1:]) == expected
    assert {r[3]: r[8] for r in csv_rows[1:] if r[3] in ("Amsel", "Abteilung")} == {
        "Amsel": RESTRICTED_PHONE,
        "Abteilung": RESTRICTED_PHONE,
    }


def test_coming_and_former_people_of_a_are_listed_for_a_geschaeftsstelle_only(world):
    today = timezone.localdate()
    coming = _person("Kommend")
    _member(
        coming, world.a.plenary, state=world.bavaria, start_date=today.replace(year=today.year + 1)
    )
    former = _person("Ehemalig")
    _member(
        former,
        world.a.plenary,
        state=world.bavaria,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    member_a = UserFactory()
    _member(
        PersonFactory(user=member_a, family_name="Aselbst"), world.a.plenary, state=world.bavaria
    )

    def names(user) -> set[str]:
        return {p.family_name for p in visible_persons(user, Person.objects.all())}

    assert names(world.office_a) == OFFICES | {
        "Amsel",
        "Arbeitsgruppe",
        "Aselbst",
        "Kommend",
        "Ehemalig",
    }
    assert names(member_a) == OFFICES | {"Amsel", "Arbeitsgruppe", "Aselbst"}
    assert names(world.office_b) == OFFICES | {"Bmember"}


def test_a_superuser_sees_everybody(world):
    admin = UserFactory(is_superuser=True)

    assert {p.pk for p in visible_persons(admin, Person.objects.all())} == set(
        Person.objects.values_list("pk", flat=True)
    )


# --- restricted fields ---------------------------------------------------------------------


def test_restricted_fields_are_for_the_geschaeftsstelle_of_the_persons_body(world):
    assert visible_contact_fields(world.office_a, world.member_a) == EVERY_FIELD
    assert visible_contact_fields(world.office_b, world.member_a) == EVERY_FIELD - {"phone"}
    assert visible_contact_fields(world.member_b, world.colleague_a) == EVERY_FIELD - {"phone"}
    assert visible_contact_fields(world.office_b, world.colleague_a) == EVERY_FIELD - {"phone"}
    assert visible_contact_fields(world.office_a, world.colleague_a) == EVERY_FIELD


def test_the_geschaeftsstelle_of_b_does_not_read_a_restricted_field_of_a(world):
    client = world.client(world.office_b)
    person = world.colleague_a

    detail = client.get(f"/intern/kontakte/{person.pk}/").content.decode()
    vcard = client.get(f"/intern/kontakte/{person.pk}/vcard.vcf").content.decode()
    listing = client.get("/intern/kontakte/").content.decode()

    assert "abteilung@example.org" in detail
    for text in (detail, vcard, listing):
        assert RESTRICTED_PHONE not in text
    assert "(nur Geschäftsstelle)" not in detail


def test_the_geschaeftsstelle_of_a_reads_the_restricted_field_of_a(world):
    client = world.client(world.office_a)
    person = world.colleague_a

    detail = client.get(f"/intern/kontakte/{person.pk}/").content.decode()
    vcard = client.get(f"/intern/kontakte/{person.pk}/vcard.vcf").content.decode()

    assert f"{RESTRICTED_PHONE} (nur Geschäftsstelle)" in detail
    assert RESTRICTED_PHONE in vcard


@pytest.mark.parametrize("url", ["/intern/kontakte/", "/intern/kontakte/kontakte.csv"])
def test_query_count_is_the_same_for_1_and_5_persons_for_a_geschaeftsstelle(
    world, url, django_assert_num_queries
):
    """The restricted-field decision reads the prefetched memberships: no query per person."""
    client = world.client(world.office_a)
    Membership.objects.filter(organization__body=world.a.body).exclude(
        person__user=world.office_a
    ).delete()
    Membership.objects.filter(organization__body=world.b.body).delete()
    client.get(url)  # warm up session and caches

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    one = len(ctx.captured_queries)
    for n in range(4):
        person = _person(f"Mehr{n}", restricted_fields=["phone"])
        _member(person, world.a.plenary if n % 2 else world.a.office, state=world.bavaria)
    with django_assert_num_queries(one):
        response = client.get(url)
    if url.endswith("/"):
        assert len(response.context["persons"]) == 5


# --- GDPR erasure ----------------------------------------------------------------------------


def _left(person: Person, organization: Organization, year: int = 2024) -> None:
    _member(
        person,
        organization,
        state=StateFactory(code="DE-BY"),
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )


def _erase(client: Client, person: Person):
    return client.post(f"/intern/kontakte/{person.pk}/loeschen/", {"confirm": "yes"})


def test_the_geschaeftsstelle_of_b_cannot_erase_a_person_who_left_a(world):
    person = _person("Weg", phone="+49 30 2000")
    _left(person, world.a.plenary)

    response = _erase(world.client(world.office_b), person)

    assert response.status_code == 404
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.email, person.phone) == (
        "Eva",
        "Weg",
        "weg@example.org",
        "+49 30 2000",
    )


def test_the_geschaeftsstelle_of_a_erases_a_person_who_left_a(world):
    person = _person("Weg")
    _left(person, world.a.plenary)
    client = world.client(world.office_a)

    assert "Personenbezogene Daten löschen" in client.get(f"/intern/kontakte/{person.pk}/").text
    response = _erase(client, person)

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.email, person.phone) == (
        "Mitglied",
        "Bayern",
        "",
        "",
    )


def test_nobody_erases_a_geschaeftsstelle_person_of_another_body(world):
    """A's Geschäftsstelle person is visible to B's Geschäftsstelle, but not B's to erase: a
    403 with the reason, and no erase button."""
    client = world.client(world.office_b)
    person = world.colleague_a

    page = client.get(f"/intern/kontakte/{person.pk}/").text
    response = _erase(client, person)

    assert "Personenbezogene Daten löschen" not in page
    assert response.status_code == 403
    assert "darf nur die Geschäftsstelle der Konferenz löschen" in response.text
    person.refresh_from_db()
    assert (person.family_name, person.phone) == ("Abteilung", RESTRICTED_PHONE)


def test_a_person_still_in_b_is_not_erased_by_a(world):
    """A person of both bodies stays until both Geschäftsstellen are hers: A sees her, but may
    not erase her while she still belongs to B."""
    person = _person("Beide")
    _member(person, world.a.plenary, state=world.bavaria)
    _member(person, world.b.plenary, state=world.bavaria)
    client = world.client(world.office_a)

    assert "Personenbezogene Daten löschen" not in client.get(f"/intern/kontakte/{person.pk}/").text
    assert _erase(client, person).status_code == 403
    person.refresh_from_db()
    assert person.family_name == "Beide"


def test_can_erase_person_asks_for_the_persons_body(world):
    today = timezone.localdate()
    left_a = _person("LinksA")
    _left(left_a, world.a.plenary)
    left_a_then_b = _person("AdannB")
    _left(left_a_then_b, world.a.plenary, year=2023)
    _left(left_a_then_b, world.b.plenary, year=2024)
    left_a_coming_b = _person("AkommtB")
    _left(left_a_coming_b, world.a.plenary)
    _member(
        left_a_coming_b,
        world.b.plenary,
        state=world.bavaria,
        start_date=today + datetime.timedelta(days=30),
    )
    nobody = _person("Niemand")
    admin = UserFactory(is_superuser=True)

    def allowed(person: Person) -> tuple[bool, bool, bool, bool]:
        return (
            can_erase_person(world.office_a, person),
            can_erase_person(world.office_b, person),
            can_erase_person(world.member_b, person),
            can_erase_person(admin, person),
        )

    assert allowed(left_a) == (True, False, False, True)
    assert allowed(world.member_a) == (True, False, False, True)
    assert allowed(left_a_then_b) == (False, True, False, True)
    assert allowed(left_a_coming_b) == (False, True, False, True)
    assert allowed(world.colleague_a) == (True, False, False, True)
    assert allowed(nobody) == (False, False, False, True)
    assert (can_erase_person(world.office_b), can_erase_person(world.member_b)) == (True, False)


def test_restricted_fields_decision_reads_the_prefetched_memberships(world):
    """``directory_persons`` carries the current memberships; the decision then costs no
    query, for any number of persons."""
    persons_a = list(visible_persons(world.office_a, directory_persons()))
    persons_b = list(visible_persons(world.office_b, directory_persons()))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        seen_by_a = {p.family_name: visible_contact_fields(world.office_a, p) for p in persons_a}
        seen_by_b = {p.family_name: visible_contact_fields(world.office_b, p) for p in persons_b}
    assert len(ctx.captured_queries) == 0
    assert (seen_by_a["Amsel"], seen_by_a["Abteilung"]) == (EVERY_FIELD, EVERY_FIELD)
    assert seen_by_b["Abteilung"] == EVERY_FIELD - {"phone"}
