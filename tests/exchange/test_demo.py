"""The demo's data exchange (issue 14 item 7): ``load_demo_exchange`` after ``load_demo``
gives the conference's and the working group's workspaces with files (one in two versions)
and an open joint statement that exactly two Länder have joined; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dmk.exchange.models import FileVersion, JointStatement, StatementState, StoredFile, Workspace
from dmk.exchange.statements import joined_states


@pytest.fixture
def demo(public_record):
    call_command("load_demo", stdout=StringIO())


def test_the_demo_exchange_has_workspaces_files_and_an_open_statement(demo):
    out = StringIO()
    call_command("load_demo_exchange", stdout=out)
    assert "Datenaustausch (angelegt): /intern/austausch/" in out.getvalue()
    body_ws = Workspace.objects.get(kind="body")
    group_ws = Workspace.objects.get(
        kind="organization", organization__name="AG Digitale Souveränität"
    )
    assert sorted(body_ws.files.values_list("name", "current_version")) == [
        ("Umfrage Registermodernisierung – Stand der Länder (Demo).xlsx", 2),
        ("Zeitplan der Vorsitzperiode 2026 (Demo).pdf", 1),
    ]
    assert group_ws.files.count() == 1
    statement = JointStatement.objects.get()
    assert statement.state == StatementState.OPEN
    assert [p.state.code for p in joined_states(statement)] == ["DE-BY", "DE-NW"]


def test_loading_the_demo_exchange_twice_changes_nothing(demo):
    call_command("load_demo_exchange", stdout=StringIO())
    counts = (
        StoredFile.objects.count(),
        FileVersion.objects.count(),
        JointStatement.objects.count(),
    )
    out = StringIO()
    call_command("load_demo_exchange", stdout=out)
    assert "bereits vorhanden" in out.getvalue()
    assert (
        StoredFile.objects.count(),
        FileVersion.objects.count(),
        JointStatement.objects.count(),
    ) == counts


def test_the_demo_exchange_without_the_demo_organisation_stops_with_a_clear_message(public_record):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_exchange", stdout=StringIO())
