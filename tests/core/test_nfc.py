"""Unicode NFC at the boundary (issue 18 item 2; issue 11 defect 9): a name typed on a Mac
("Mu\\u0308ller", decomposed) is stored, searched and downloaded as "Müller"."""

from __future__ import annotations

import unicodedata

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from dmk.accounts.models import User
from dmk.bodies.models import MembershipRole, Person
from dmk.demo.public_record import _rows
from dmk.papers.files import original_file_name
from dmk.papers.models import Paper
from tests.factories import MembershipFactory, PersonFactory, StateFactory, user_with_role
from tests.helpers import login_with_second_factor
from tests.papers.conftest import PDF

NFD = "Mu\u0308ller"
NFC = "Müller"

pytestmark = pytest.mark.django_db


def _migration():
    import importlib

    return importlib.import_module("dmk.portal.migrations.0001_text_in_nfc")


@pytest.fixture
def bavaria():
    return StateFactory(code="DE-BY", name_de="Bayern")


def _listed(state, family_name: str) -> Person:
    person = PersonFactory(user=None, state=state, family_name=family_name, given_name="Jörg")
    MembershipFactory(person=person, role=MembershipRole.MEMBER, on_behalf_of=state)
    return person


def test_the_two_spellings_differ_before_normalisation():
    assert NFD != NFC
    assert unicodedata.normalize("NFC", NFD) == NFC


def test_a_contact_field_typed_decomposed_is_stored_composed(client, bavaria):
    user = user_with_role(MembershipRole.MEMBER, bavaria)
    login_with_second_factor(client, user)
    data = {f: getattr(user.person, f) for f in Person.CONTACT_FIELDS}
    data.update(city="Mu\u0308nchen", street="Ko\u0308nigstraße 1")
    assert client.post("/intern/kontakte/ich/", data).status_code == 302
    user.person.refresh_from_db()
    assert (user.person.city, user.person.street) == ("München", "Königstraße 1")


@pytest.mark.parametrize("typed", [NFD, NFC])
def test_the_directory_search_finds_the_person_whichever_form_is_typed(client, bavaria, typed):
    person = _listed(bavaria, NFC)
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))
    response = client.get("/intern/kontakte/", {"q": typed})
    assert [p.pk for p in response.context["persons"]] == [person.pk]


def test_text_stored_decomposed_before_the_migration_is_found_after_it(client, bavaria):
    person = _listed(bavaria, NFC)
    Person.objects.filter(pk=person.pk).update(family_name=NFD, city="Ko\u0308ln")
    login_with_second_factor(client, user_with_role(MembershipRole.SECRETARIAT))
    assert list(client.get("/intern/kontakte/", {"q": NFC}).context["persons"]) == []

    _migration().normalise_stored_text(apps, None)

    person.refresh_from_db()
    assert (person.family_name, person.city) == (NFC, "Köln")
    response = client.get("/intern/kontakte/", {"q": NFC})
    assert [p.pk for p in response.context["persons"]] == [person.pk]


def test_an_uploaded_file_name_is_stored_and_downloaded_composed(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bremen = StateFactory(code="DE-HB", name_de="Bremen")
    user = user_with_role(MembershipRole.STATE_STAFF, bremen)
    login_with_second_factor(client, user)
    response = client.post(
        "/intern/vorlagen/neu/",
        {
            "state": bremen.pk,
            "title": "U\u0308bersicht",
            "paper_type": "proposal",
            "text_source": "Text",
            "file": SimpleUploadedFile("U\u0308bersicht.pdf", PDF),
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    paper_file = paper.files.get()
    assert (paper.title, paper_file.original_name) == ("Übersicht", "Übersicht.pdf")
    download = client.get(f"/intern/vorlagen/{paper.slug}/dateien/{paper_file.pk}/")
    assert download["Content-Disposition"] == (
        "attachment; filename=\"Uebersicht.pdf\"; filename*=UTF-8''%C3%9Cbersicht.pdf"
    )
    request_finished.disconnect(close_old_connections)
    try:
        download.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_file_name_given_to_the_service_is_composed_too():
    assert original_file_name(f"C/Dokumente/{NFD}.pdf") == f"{NFC}.pdf"


def test_the_public_record_import_reads_text_composed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"name,city\n{NFD},Ko\u0308ln\n", encoding="utf-8")
    assert list(_rows(path, ["name", "city"])) == [(2, {"name": NFC, "city": "Köln"})]


def test_e_mail_addresses_stay_case_insensitive():
    user = User.objects.create_user("erika.mu\u0308ller@land.example", "x" * 16)
    assert user.email == "erika.müller@land.example"
    assert User.objects.get_by_natural_key("Erika.Müller@Land.example") == user
