"""Follow-ups (Aufträge) of resolutions: model rule, services, permissions and the portal
page ``/intern/nachverfolgung/`` (issue 6 item 6 "follow-ups (owner body or Land, due
date, status)"; DOMAIN glossary "Auftrag / Handlungsbedarf" = ``FollowUp``; DOMAIN rule 11).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dmk.core.models import ActivityLog
from dmk.resolutions.models import FollowUp, FollowUpStatus
from dmk.resolutions.services import followup_create, followup_update_status
from tests.helpers import login_with_second_factor
from tests.resolutions.conftest import DECIDED, new_followup_form

pytestmark = pytest.mark.django_db

URL = "/intern/nachverfolgung/"
TODAY = timezone.localdate()


def _followup(world, *, resolution="public", state="bayern", organization=None, **kwargs):
    data = {
        "actor": world["secretariat"],
        "resolution": world[resolution],
        "task": kwargs.pop("task", "Bericht zur Umsetzung vorlegen"),
        "due_date": kwargs.pop("due_date", TODAY + datetime.timedelta(days=30)),
        "state": world[state] if state else None,
        "organization": world[organization] if organization else None,
    }
    return followup_create(**data)


# --- the owner rule --------------------------------------------------------------------------


@pytest.mark.parametrize("owners", ["both", "neither"])
def test_database_refuses_a_followup_without_exactly_one_owner(world, owners):
    """Issue 6 item 6: the owner is a body OR a Land — exactly one (CheckConstraint)."""
    both = owners == "both"
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            resolution=world["public"],
            task="x",
            due_date=DECIDED,
            state=world["bayern"] if both else None,
            organization=world["group"] if both else None,
        )


def test_clean_names_the_owner_rule_and_the_due_date_rule_in_german(world):
    followup = FollowUp(
        resolution=world["public"],
        task="Bericht",
        due_date=DECIDED - datetime.timedelta(days=1),
        state=world["bayern"],
        organization=world["group"],
    )

    with pytest.raises(ValidationError) as caught:
        followup.full_clean()

    assert caught.value.message_dict == {
        "organization": [
            "Bitte wählen Sie genau eine zuständige Stelle: ein Gremium oder ein Land."
        ],
        "due_date": [
            "Das Fälligkeitsdatum darf nicht vor dem Datum des Beschlusses (12.03.2026) liegen."
        ],
    }


# --- services --------------------------------------------------------------------------------


def test_geschaeftsstelle_creates_an_open_followup_and_it_is_audited(world):
    followup = _followup(world, task="  Bericht zur Umsetzung vorlegen  ", due_date=DECIDED)

    assert (followup.task, followup.status, followup.due_date) == (
        "Bericht zur Umsetzung vorlegen",
        FollowUpStatus.OPEN,
        DECIDED,  # the resolution's own date is allowed
    )
    entry = ActivityLog.objects.get(action="resolutions.followup.created")
    assert entry.actor == world["secretariat"]
    assert entry.data == {
        "resolution": world["public"].pk,
        "organization": None,
        "state": "DE-BY",
        "due_date": "2026-03-12",
    }


@pytest.mark.parametrize("who", ["member_by", "staff_by", "guest"])
def test_only_the_geschaeftsstelle_creates_followups(world, who):
    with pytest.raises(PermissionDenied):
        followup_create(
            actor=world[who],
            resolution=world["public"],
            task="Bericht",
            due_date=TODAY,
            state=world["bayern"],
        )
    assert FollowUp.objects.count() == 0


def test_due_date_before_the_resolution_is_refused_and_nothing_is_stored(world):
    with pytest.raises(ValidationError) as caught:
        _followup(world, due_date=datetime.date(2026, 3, 11))

    assert caught.value.message_dict["due_date"] == [
        "Das Fälligkeitsdatum darf nicht vor dem Datum des Beschlusses (12.03.2026) liegen."
    ]
    assert FollowUp.objects.count() == 0
    assert not ActivityLog.objects.filter(action="resolutions.followup.created").exists()


@pytest.mark.parametrize("who", ["member_by", "staff_by", "secretariat"])
def test_owner_land_and_geschaeftsstelle_update_the_status(world, who):
    followup = _followup(world)

    updated = followup_update_status(
        actor=world[who],
        followup=followup,
        status=FollowUpStatus.DONE,
        note="Bericht liegt vor.",
        today=datetime.date(2026, 6, 1),
    )

    assert (updated.status, updated.progress_note, updated.done_on) == (
        "done",
        "Bericht liegt vor.",
        datetime.date(2026, 6, 1),
    )
    entry = ActivityLog.objects.get(action="resolutions.followup.updated")
    assert (entry.actor, entry.data) == (world[who], {"status_from": "open", "status_to": "done"})


@pytest.mark.parametrize("who", ["member_be", "guest", "ag_member"])
def test_others_may_not_update_a_lands_followup(world, who):
    followup = _followup(world)

    with pytest.raises(PermissionDenied):
        followup_update_status(
            actor=world[who], followup=followup, status=FollowUpStatus.DONE, note=""
        )
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


def test_members_of_the_owner_body_update_its_followup_other_lands_not(world):
    followup = _followup(world, state=None, organization="group")

    updated = followup_update_status(
        actor=world["ag_member"], followup=followup, status="in_progress", note="Entwurf steht."
    )
    assert updated.status == FollowUpStatus.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        followup_update_status(actor=world["member_by"], followup=followup, status="done", note="")


def test_leaving_done_clears_the_done_date_and_dropping_needs_a_reason(world):
    followup = _followup(world)
    followup = followup_update_status(
        actor=world["member_by"], followup=followup, status="done", note="", today=DECIDED
    )
    followup = followup_update_status(
        actor=world["member_by"], followup=followup, status="in_progress", note="Nachtrag"
    )
    assert followup.done_on is None

    with pytest.raises(ValidationError) as caught:
        followup_update_status(
            actor=world["member_by"], followup=followup, status="dropped", note=" "
        )
    assert caught.value.message_dict == {
        "note": ["Bitte begründen Sie im Sachstand, warum der Auftrag entfällt."]
    }
    followup.refresh_from_db()
    assert (followup.status, followup.progress_note) == ("in_progress", "Nachtrag")


def test_followups_of_a_draft_resolution_stay_with_those_who_may_see_it(world):
    """DOMAIN rule 11: a draft resolution is the Geschäftsstelle's; so are its follow-ups."""
    draft_followup = _followup(world, resolution="draft", task="Entwurf prüfen")
    with pytest.raises(PermissionDenied):
        followup_update_status(
            actor=world["member_by"], followup=draft_followup, status="done", note=""
        )


# --- the portal page -------------------------------------------------------------------------


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr id="auftrag-\d+">\s*<th scope="row">([^<]+)</th>', html)


def test_page_lists_visible_followups_marks_overdue_in_text_and_hides_drafts(client, world):
    _followup(world, task="Überfälliger Bericht", due_date=TODAY - datetime.timedelta(days=1))
    _followup(world, task="Späterer Bericht", state="berlin")
    _followup(world, resolution="draft", task="Entwurf prüfen")
    login_with_second_factor(client, world["member_be"])

    html = client.get(URL).content.decode()

    assert _rows(html) == ["Überfälliger Bericht", "Späterer Bericht"]
    assert html.count('<strong class="dmk-overdue">überfällig</strong>') == 1
    assert "<caption" in html and '<th scope="col">fällig am</th>' in html
    # Berlin may report on its own follow-up only; the Geschäftsstelle's form is not shown.
    assert html.count('action="/intern/nachverfolgung/') == 1
    assert "Neuen Auftrag anlegen" not in html


def test_geschaeftsstelle_sees_draft_followups_too(client, world):
    _followup(world, resolution="draft", task="Entwurf prüfen")
    login_with_second_factor(client, world["secretariat"])

    html = client.get(URL).content.decode()

    assert _rows(html) == ["Entwurf prüfen"]
    assert "Neuen Auftrag anlegen" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("land=DE-BE", ["Berliner Bericht"]),
        ("status=done", ["Erledigter Bericht"]),
        ("ueberfaellig=on", ["Überfälliger Bericht"]),
        ("land=DE-XX", ["Überfälliger Bericht", "Erledigter Bericht", "Berliner Bericht"]),
    ],
)
def test_filters_by_land_status_and_overdue(client, world, query, expected):
    past = TODAY - datetime.timedelta(days=3)
    _followup(world, task="Überfälliger Bericht", due_date=past)
    done = _followup(world, task="Erledigter Bericht", due_date=past + datetime.timedelta(days=1))
    followup_update_status(actor=world["member_by"], followup=done, status="done", note="")
    _followup(world, task="Berliner Bericht", state="berlin")
    login_with_second_factor(client, world["member_by"])

    html = client.get(f"{URL}?{query}").content.decode()

    assert _rows(html) == expected
    if query == "land=DE-XX":
        assert "Diese Auswahl gibt es nicht; der Filter wird nicht angewandt." in html


@pytest.mark.parametrize("who", ["guest"])
def test_guests_get_no_followups(client, world, who):
    _followup(world)
    login_with_second_factor(client, world[who])

    assert client.get(URL).status_code == 403


def test_status_form_saves_and_returns_to_the_filtered_list(client, world):
    followup = _followup(world)
    login_with_second_factor(client, world["member_by"])

    response = client.post(
        f"{URL}{followup.pk}/status/?land=DE-BY",
        {f"auftrag-{followup.pk}-status": "in_progress", f"auftrag-{followup.pk}-note": "Läuft"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?land=DE-BY#auftrag-{followup.pk}"
    followup.refresh_from_db()
    assert (followup.status, followup.progress_note) == ("in_progress", "Läuft")


def test_status_form_error_is_shown_in_german_with_the_typed_values(client, world):
    followup = _followup(world)
    login_with_second_factor(client, world["member_by"])

    response = client.post(
        f"{URL}{followup.pk}/status/",
        {f"auftrag-{followup.pk}-status": "dropped", f"auftrag-{followup.pk}-note": ""},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Fehler:" in html
    assert "Bitte begründen Sie im Sachstand, warum der Auftrag entfällt." in html
    assert '<option value="dropped" selected>entfallen</option>' in html
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN


def test_other_land_cannot_post_a_status_and_an_invisible_one_is_a_404(client, world):
    followup = _followup(world)
    draft_followup = _followup(world, resolution="draft", state="berlin")
    login_with_second_factor(client, world["member_be"])
    data = {f"auftrag-{followup.pk}-status": "done", f"auftrag-{followup.pk}-note": ""}

    assert client.post(f"{URL}{followup.pk}/status/", data).status_code == 403
    assert client.post(f"{URL}{draft_followup.pk}/status/", data).status_code == 404


def test_geschaeftsstelle_adds_a_followup_on_the_page(client, world):
    login_with_second_factor(client, world["secretariat"])

    response = client.post(URL, new_followup_form(world, state="", due_date="2026-12-31"))

    followup = FollowUp.objects.get()
    assert response.status_code == 302
    assert (followup.task, followup.organization, followup.state, followup.due_date) == (
        "Leitfaden erarbeiten",
        world["group"],
        None,
        datetime.date(2026, 12, 31),
    )


def test_add_form_reshows_typed_values_with_german_errors(client, world):
    login_with_second_factor(client, world["secretariat"])

    response = client.post(
        URL, new_followup_form(world, state=world["bayern"].pk, due_date="2026-03-01")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte wählen Sie genau eine zuständige Stelle: ein Gremium oder ein Land." in html
    assert "Leitfaden erarbeiten</textarea>" in html
    assert FollowUp.objects.count() == 0


def test_members_cannot_post_a_new_followup(client, world):
    login_with_second_factor(client, world["member_by"])

    response = client.post(URL, {"resolution": world["public"].pk, "task": "x"})

    assert response.status_code == 403
    assert FollowUp.objects.count() == 0


#: session, user, principal's memberships, the user's working bodies, the Länder of the filter
#: form, the follow-up list (one query with resolution, body and Land), and the message
#: storage / organisation choices — the same for any number of rows.
QUERIES = 8


@pytest.mark.parametrize("count", [1, 3])
def test_list_needs_the_same_number_of_queries_for_1_and_3_rows(client, world, count):
    """STYLE: a query-count test per list view; the count does not grow with the rows."""
    for n in range(count):
        _followup(world, task=f"Bericht {n}")
    login_with_second_factor(client, world["member_by"])
    client.get(URL)  # warm the session

    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200

    assert len(queries) == QUERIES
