"""Names sort as DIN 5007-1 wants them (issue 18 item 3): in Python, in SQL on both databases,
and in the directory and its exports."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmk.bodies.models import MembershipRole, Organization, Person
from dmk.core.text import din5007_key
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    StateFactory,
    user_with_role,
)
from tests.helpers import login_with_second_factor

REPORTED = ["Bader", "Baer", "Bogenschütz", "Bächle", "Bär", "Böttcher", "Zeller", "Özdemir"]
DIN_5007_1 = ["Bächle", "Bader", "Baer", "Bär", "Bogenschütz", "Böttcher", "Özdemir", "Zeller"]


def test_the_reported_names_sort_as_din_5007_1():
    assert sorted(REPORTED, key=din5007_key) == DIN_5007_1


def test_ties_put_plain_before_umlaut_and_lower_before_upper_case():
    assert sorted(["Bär", "Bar", "bär", "bar"], key=din5007_key) == ["bar", "Bar", "bär", "Bär"]
    assert sorted(["Strasse", "Straße"], key=din5007_key) == ["Strasse", "Straße"]


def test_family_name_first_then_given_name():
    people = [("Müller", "Zoe"), ("Muller", "Anna"), ("Müller", "Anna"), ("Mueller", "Anna")]
    assert sorted(people, key=lambda p: din5007_key(*p)) == [
        ("Mueller", "Anna"),
        ("Muller", "Anna"),
        ("Müller", "Anna"),
        ("Müller", "Zoe"),
    ]


@given(st.text(max_size=20))
def test_the_key_holds_only_ascii_digits_and_lower_case_letters(text):
    """So every collation (SQLite's binary, PostgreSQL's C or ICU) compares it like Python."""
    assert set(din5007_key(text, "Anna")) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_an_nfd_name_gets_the_same_key_as_its_nfc_form():
    assert din5007_key("Mu\u0308ller") == din5007_key("Müller")


@pytest.mark.django_db
def test_sql_order_of_persons_is_din_5007_1_on_this_database():
    state = StateFactory()
    for name in REPORTED:
        PersonFactory(user=None, state=state, family_name=name, given_name="Anna")
    ordered = Person.objects.filter(state=state).order_by("sort_key", "pk")
    assert [p.family_name for p in ordered] == DIN_5007_1


@pytest.mark.django_db
def test_renaming_with_update_fields_keeps_the_sort_key():
    person = PersonFactory(user=None, family_name="Zeller")
    person.family_name = "Ärmel"
    person.save(update_fields=["family_name"])
    person.refresh_from_db()
    assert person.sort_key == din5007_key("Ärmel", person.given_name)


@pytest.mark.django_db
def test_organisations_sort_by_din_5007_1():
    body = BodyFactory()
    for name in ["Zukunftsrat", "Ökonomie-AG", "Arbeitsgruppe Daten"]:
        Organization.objects.create(body=body, name=name, kind="working_group")
    names = [o.name for o in Organization.objects.filter(body=body).order_by("sort_key")]
    assert names == ["Arbeitsgruppe Daten", "Ökonomie-AG", "Zukunftsrat"]


@pytest.mark.django_db
def test_the_directory_and_its_csv_export_list_the_reported_names_in_din_order(client):
    state = StateFactory(code="DE-BY", name_de="Bayern")
    for name in REPORTED:
        person = PersonFactory(user=None, state=state, family_name=name, given_name="Anna")
        MembershipFactory(person=person, role=MembershipRole.STATE_STAFF, on_behalf_of=state)
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))
    page = client.get("/intern/kontakte/", {"land": "DE-BY"})
    assert [p.family_name for p in page.context["persons"]] == DIN_5007_1
    content = client.get("/intern/kontakte/kontakte.csv", {"land": "DE-BY"}).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row[3] for row in rows[1:]] == DIN_5007_1
