"""Back-office viewset for follow-ups (issue 6 item 6): list with status and overdue
filters and search; the owner rule and the due-date rule as German form errors."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dmk.resolutions.models import FollowUp
from tests.helpers import login_with_second_factor, secretariat_user
from tests.resolutions.conftest import new_followup_form

pytestmark = pytest.mark.django_db

LIST = "/verwaltung/auftraege/"


@pytest.fixture
def office(client, world):
    login_with_second_factor(client, secretariat_user(email="buero@dmk.example"))
    return client


def _make(world, task, *, due, status="open"):
    return FollowUp.objects.create(
        resolution=world["public"], task=task, state=world["bayern"], due_date=due, status=status
    )


def _form(world, **fields) -> dict:
    """The back office's add form: the portal form's fields plus status, note and done date."""
    return {
        **new_followup_form(world, **fields),
        "status": "open",
        "progress_note": "",
        "done_on": "",
    }


def test_list_filters_overdue_and_status_and_searches(office, world):
    today = timezone.localdate()
    _make(world, "Überfälliger Bericht", due=today - datetime.timedelta(days=2))
    _make(world, "Erledigter Bericht", due=today - datetime.timedelta(days=2), status="done")
    _make(world, "Späterer Bericht", due=today + datetime.timedelta(days=9))

    def tasks(params):
        response = office.get(LIST, params)
        assert response.status_code == 200
        return [f.task for f in response.context["object_list"]]

    assert tasks({"overdue": "true"}) == ["Überfälliger Bericht"]
    assert tasks({"status": "done"}) == ["Erledigter Bericht"]
    assert tasks({"q": "Späterer"}) == ["Späterer Bericht"]


def test_back_office_refuses_two_owners_and_an_early_due_date_in_german(office, world):
    response = office.post(
        f"{LIST}new/", _form(world, state=world["bayern"].pk, due_date="2026-03-01")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.count("Bitte wählen Sie genau eine zuständige Stelle: ein Gremium oder ein Land.") == 1
    )
    assert "Das Fälligkeitsdatum darf nicht vor dem Datum des Beschlusses (12.03.2026)" in html
    assert FollowUp.objects.count() == 0


def test_back_office_saves_a_valid_followup(office, world):
    response = office.post(f"{LIST}new/", _form(world))

    assert response.status_code == 302
    assert FollowUp.objects.get().organization == world["group"]
