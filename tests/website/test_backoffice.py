"""The Geschäftsstelle reads contact messages in the back office (issue 7 item 1)."""

from __future__ import annotations

import pytest

from dmk.website.models import ContactMessage
from tests.factories import UserFactory
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_superuser_lists_and_inspects_contact_messages(client):
    message = ContactMessage.objects.create(
        name="Erika Mustermann", email="erika@example.org", subject="Frage", message="Text"
    )
    login_with_second_factor(client, UserFactory(is_superuser=True))
    listing = client.get("/verwaltung/kontaktanfragen/")
    assert listing.status_code == 200
    assert "Erika Mustermann" in listing.content.decode()
    inspect = client.get(f"/verwaltung/kontaktanfragen/inspect/{message.pk}/")
    assert inspect.status_code == 200
    assert "erika@example.org" in inspect.content.decode()


def test_there_is_no_edit_or_delete_view_for_contact_messages(client):
    message = ContactMessage.objects.create(
        name="Erika Mustermann", email="erika@example.org", subject="Frage", message="Text"
    )
    login_with_second_factor(client, UserFactory(is_superuser=True))
    assert client.get(f"/verwaltung/kontaktanfragen/edit/{message.pk}/").status_code == 404
    assert client.get(f"/verwaltung/kontaktanfragen/delete/{message.pk}/").status_code == 404
