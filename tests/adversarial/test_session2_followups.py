"""Attacks on the follow-ups (Aufträge) ``/intern/nachverfolgung/`` (issue 6 item 6; DOMAIN
rule 11): another Land sets the status, guests and password-only sessions, GET instead of
POST, missing CSRF token, made-up ids, garbage filters and input, script in the text."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from dmk.resolutions.models import FollowUp, FollowUpStatus
from dmk.resolutions.services import followup_create
from tests.helpers import login_with_second_factor
from tests.resolutions.conftest import new_followup_form, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = "/intern/nachverfolgung/"


@pytest.fixture
def bayern_followup(world):  # noqa: F811
    return followup_create(
        actor=world["secretariat"],
        resolution=world["public"],
        task="Bericht zur Umsetzung vorlegen",
        due_date=datetime.date(2026, 12, 31),
        state=world["bayern"],
    )


def _as(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    login_with_second_factor(client, user)
    return client


def _status(followup: FollowUp, status: str = "done", note: str = "erledigt") -> dict:
    return {f"auftrag-{followup.pk}-status": status, f"auftrag-{followup.pk}-note": note}


def _unchanged(followup: FollowUp) -> bool:
    fresh = FollowUp.objects.get(pk=followup.pk)
    return (fresh.status, fresh.progress_note) == (FollowUpStatus.OPEN, "")


@pytest.mark.parametrize("who", ["member_be", "guest", "ag_member"])
def test_only_the_owner_land_sets_the_status(world, bayern_followup, who):  # noqa: F811
    response = _as(world[who]).post(f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup))

    assert response.status_code in (403, 404)
    assert _unchanged(bayern_followup)


def test_the_owner_land_without_second_factor_sets_nothing(world, bayern_followup):  # noqa: F811
    client = Client()
    client.force_login(world["member_by"])

    response = client.post(f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup))

    assert response.status_code in (302, 403)
    assert _unchanged(bayern_followup)


def test_get_on_the_status_url_is_405(world, bayern_followup):  # noqa: F811
    assert _as(world["member_by"]).get(f"{URL}{bayern_followup.pk}/status/").status_code == 405


def test_the_status_needs_the_csrf_token(world, bayern_followup):  # noqa: F811
    client = _as(world["member_by"], csrf=True)

    assert (
        client.post(f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup)).status_code
        == 403
    )
    assert _unchanged(bayern_followup)


def test_made_up_and_huge_ids_are_404(world):  # noqa: F811
    client = _as(world["secretariat"])

    assert client.post(f"{URL}987654/status/", {}).status_code == 404
    assert client.post(f"{URL}{10**30}/status/", {}).status_code == 404


@pytest.mark.parametrize(
    ("status", "note"),
    [
        ("erfunden", ""),
        ("", "x"),
        ("done", "N" * 2001),
        ("done", "Null\x00Byte"),
        ("dropped", "   "),
    ],
)
def test_garbage_status_input_is_a_400_and_nothing_changes(world, bayern_followup, status, note):  # noqa: F811
    response = _as(world["member_by"]).post(
        f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup, status, note)
    )

    assert response.status_code == 400
    assert _unchanged(bayern_followup)


def test_script_in_task_and_note_is_escaped(world, bayern_followup):  # noqa: F811
    script = "<script>alert(1)</script>"
    _as(world["member_by"]).post(
        f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup, "in_progress", script)
    )
    gs = _as(world["secretariat"])
    gs.post(URL, new_followup_form(world, task=script))

    page = gs.get(URL).text

    assert script not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


@pytest.mark.parametrize(
    "query",
    [
        {"land": "²"},
        {"land": "9" * 40},
        {"land": "-1"},
        {"land": "-" + "9" * 40},
        {"land": "9_" * 20 + "9"},
        {"status": "<script>"},
        {"ueberfaellig": "\x00"},
        {"land": "\x00"},
    ],
)
def test_garbage_filters_are_never_a_500(world, bayern_followup, query):  # noqa: F811
    response = _as(world["member_by"]).get(URL, query)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"due_date": "2026-02-30"},
        {"due_date": "10000-01-01"},
        {"due_date": "-1"},
        {"task": "T" * 2001},
        {"task": "Null\x00Byte"},
        {"resolution": "987654"},
        {"resolution": "9" * 40},
        {"organization": "9" * 40},
        {"organization": "-" + "9" * 40},
        {"resolution": "9_" * 20 + "9"},
    ],
)
def test_garbage_new_followups_are_a_400_and_nothing_is_stored(world, fields):  # noqa: F811
    response = _as(world["secretariat"]).post(URL, new_followup_form(world, **fields))

    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_a_land_cannot_create_a_followup_for_itself(world):  # noqa: F811
    response = _as(world["member_by"]).post(
        URL, new_followup_form(world, organization="", state=world["bayern"].pk)
    )

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_a_double_submitted_status_ends_done_and_each_post_is_audited(world, bayern_followup):  # noqa: F811
    from dmk.core.models import ActivityLog

    client = _as(world["member_by"])
    for _click in range(2):
        assert (
            client.post(f"{URL}{bayern_followup.pk}/status/", _status(bayern_followup)).status_code
            == 302
        )

    fresh = FollowUp.objects.get(pk=bayern_followup.pk)
    assert fresh.status == FollowUpStatus.DONE
    assert ActivityLog.objects.filter(action="resolutions.followup.updated").count() == 2


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/x"])
def test_no_open_redirect_after_the_status_form(world, bayern_followup, next_url):  # noqa: F811
    response = _as(world["member_by"]).post(
        f"{URL}{bayern_followup.pk}/status/?next={next_url}", _status(bayern_followup)
    )

    assert response.status_code == 302
    assert response["Location"].startswith(URL)


def _back_office_form(world, **fields) -> dict:  # noqa: F811
    return {
        **new_followup_form(world, organization="", state=world["bayern"].pk),
        "status": "open",
        "progress_note": "",
        "done_on": "",
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "dropped"}, "Bitte begründen Sie im Sachstand, warum der Auftrag entfällt."),
        ({"status": "done"}, "Bitte geben Sie an, wann der Auftrag erledigt wurde."),
        ({"status": "done", "done_on": "1900-01-01"}, "Das Erledigungsdatum darf nicht vor"),
        ({"status": "open", "done_on": "2026-05-05"}, "Ein Erledigungsdatum haben nur erledigte"),
    ],
)
def test_the_back_office_keeps_the_status_rules_of_the_portal(
    world,  # noqa: F811
    bayern_followup,
    fields,
    message,
):
    """The back-office form saves without ``followup_update_status``: the same rules hold
    ("entfallen" needs a reason, "erledigt" a plausible done date)."""
    response = _as(world["secretariat"]).post(
        f"/verwaltung/auftraege/edit/{bayern_followup.pk}/", _back_office_form(world, **fields)
    )

    assert response.status_code == 200  # the form again
    assert message in response.text
    assert _unchanged(bayern_followup)


def test_back_office_writes_are_audited(world, bayern_followup):  # noqa: F811
    from dmk.core.models import ActivityLog

    gs = _as(world["secretariat"])
    gs.post(
        f"/verwaltung/auftraege/edit/{bayern_followup.pk}/",
        _back_office_form(world, status="done", done_on="2026-05-05", progress_note="fertig"),
    )
    gs.post("/verwaltung/auftraege/new/", _back_office_form(world, task="Neuer Auftrag"))

    entries = ActivityLog.objects.filter(action__startswith="resolutions.followup.").order_by("pk")
    assert [(e.action, e.data.get("status_from")) for e in entries] == [
        ("resolutions.followup.created", None),  # the fixture, through the service
        ("resolutions.followup.updated", "open"),
        ("resolutions.followup.created", None),
    ]
    assert FollowUp.objects.get(pk=bayern_followup.pk).status == FollowUpStatus.DONE


def test_another_land_is_shown_no_status_form_for_a_foreign_followup(world, bayern_followup):  # noqa: F811
    page = _as(world["member_be"]).get(URL)

    assert page.status_code == 200
    assert "Bericht zur Umsetzung vorlegen" in page.text  # visible …
    assert f'name="auftrag-{bayern_followup.pk}-status"' not in page.text  # … but not editable
    own = _as(world["member_by"]).get(URL).text
    assert f'name="auftrag-{bayern_followup.pk}-status"' in own
