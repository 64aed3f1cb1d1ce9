"""Back-office viewsets for the organisation (issue 3 item 9)."""

from __future__ import annotations

import pytest

from dmk.bodies.models import MembershipRole
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("name", ["personen", "gremien", "mitgliedschaften", "vorsitzperioden"])
def test_each_organisation_list_opens_in_the_back_office(admin_client, name):
    MembershipFactory()
    response = admin_client.get(f"/verwaltung/{name}/")
    assert response.status_code == 200


def test_person_search_finds_by_family_name(admin_client):
    PersonFactory(user=None, given_name="Jörg", family_name="Rennsteiger")
    PersonFactory(user=None, given_name="Anna", family_name="Andere")
    response = admin_client.get("/verwaltung/personen/", {"q": "Rennsteiger"})
    assert [p.family_name for p in response.context["object_list"]] == ["Rennsteiger"]


def test_a_second_member_in_the_back_office_is_a_german_form_error(admin_client):
    first = MembershipFactory(role=MembershipRole.MEMBER)
    response = admin_client.post(
        "/verwaltung/mitgliedschaften/new/",
        {
            "person": PersonFactory().pk,
            "organization": first.organization.pk,
            "role": "member",
            "on_behalf_of": first.on_behalf_of.pk,
            "chair_period": first.chair_period.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "Für dieses Land ist in dieser Vorsitzperiode bereits eine Person in dieser Rolle "
        "benannt" in response.content.decode()
    )
