"""The demo holds a finished and an open written procedure (Umlaufverfahren, DOMAIN rule 8;
issue 6 "Done when": a written procedure runs to its result)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dmk.accounts.models import User
from dmk.bodies.models import State
from dmk.demo.meeting import WRITTEN_CLOSED_TITLE, WRITTEN_OPEN_TITLE, load_demo_meeting
from dmk.demo.organisation import load_demo
from dmk.papers.models import Paper
from dmk.voting.models import WrittenProcedure, WrittenVote
from tests.helpers import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(public_record, django_capture_on_commit_callbacks):
    """The record, the demo organisation and the demo session loaded for today (the written
    procedure services check deadlines against the real current day)."""
    load_demo()
    with django_capture_on_commit_callbacks(execute=False):
        return load_demo_meeting(today=timezone.localdate())


def _counts(procedure: WrittenProcedure) -> dict[str, int]:
    votes = list(procedure.votes.values_list("choice", flat=True))
    return {c: votes.count(c) for c in ("yes", "no", "abstain")}


def test_the_demo_has_one_adopted_and_one_open_written_procedure_and_a_reload_adds_nothing(
    demo, django_capture_on_commit_callbacks
):
    """DOMAIN rule 8: the finished procedure was adopted with 13 yes, 1 abstention and
    2 Länder silent (silence is not yes: 13 of 16, 11 needed, rule 2); its Bayern and NRW
    answers were cast by their demo members, the others recorded by the Geschäftsstelle
    (rule 1). The open one runs ten days from today with 5 answers and none of Bayern."""
    today = timezone.localdate()
    closed = WrittenProcedure.objects.get(paper__title=WRITTEN_CLOSED_TITLE)
    running = WrittenProcedure.objects.get(paper__title=WRITTEN_OPEN_TITLE)
    secretariat = User.objects.get(email="geschaeftsstelle@dmk.example")

    assert [p.pk for p in demo.written_procedures] == [closed.pk, running.pk]
    assert (closed.state, closed.adopted, closed.yes, closed.no, closed.abstain, closed.absent) == (
        "closed",
        True,
        13,
        0,
        1,
        2,
    )
    assert (closed.members, closed.threshold) == (16, 11)
    assert sorted(
        set(State.objects.values_list("code", flat=True))
        - set(closed.votes.values_list("state__code", flat=True))
    ) == ["DE-MV", "DE-SL"]
    cast_by = {
        v.state.code: (v.cast_by.email if v.cast_by else None, v.recorded_by_id)
        for v in closed.votes.select_related("state", "cast_by")
    }
    assert cast_by["DE-BY"] == ("mitglied.by@dmk.example", None)
    assert cast_by["DE-NW"] == ("mitglied.nw@dmk.example", None)
    assert cast_by["DE-HH"] == (None, secretariat.pk)
    assert (running.state, running.deadline, _counts(running)) == (
        "open",
        today + datetime.timedelta(days=10),
        {"yes": 4, "no": 0, "abstain": 1},
    )
    assert not running.votes.filter(state__code="DE-BY").exists()
    assert all(p.title.startswith("Beispiel (Demo): ") for p in demo.written_procedures)

    counts = (Paper.objects.count(), WrittenProcedure.objects.count(), WrittenVote.objects.count())
    assert counts[1:] == (2, 14 + 5)
    with django_capture_on_commit_callbacks(execute=False):
        again = load_demo_meeting(today=today)
    assert (
        Paper.objects.count(),
        WrittenProcedure.objects.count(),
        WrittenVote.objects.count(),
    ) == counts
    assert [p.pk for p in again.written_procedures] == [closed.pk, running.pk]


def test_bayern_downloads_the_proof_and_votes_in_the_open_procedure_through_the_portal(
    demo, client
):
    """Issue 6 "Done when" / item 7: the proof PDF of the finished procedure lists all 16
    Länder with the outcome; the demo member of Bayern answers the open one in the portal
    (DOMAIN rules 1, 8) and the count goes from 5 to 6 answers."""
    closed = WrittenProcedure.objects.get(paper__title=WRITTEN_CLOSED_TITLE)
    running = WrittenProcedure.objects.get(paper__title=WRITTEN_OPEN_TITLE)
    bavaria = State.objects.get(code="DE-BY")
    login_with_second_factor(client, User.objects.get(email="mitglied.by@dmk.example"))

    response = client.get(f"/intern/umlaufverfahren/{closed.pk}/nachweis.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for state in State.objects.all():
        assert state.name_de in text
    # issue 11, Build 3: the one outcome wording names the abstaining and silent Länder
    assert (
        "Einstimmig angenommen (13 Ja, 0 Nein, 1 Enthaltung: Sachsen-Anhalt; nicht abgestimmt: "
        "Mecklenburg-Vorpommern, Saarland)."
    ) in " ".join(text.split())
    assert text.count("keine Antwort") == 2

    url = reverse("portal:written_detail", args=[running.pk])
    assert "5 / 16" in client.get(url).content.decode()
    response = client.post(url, {"state": bavaria.pk, "choice": "yes"})
    assert response.status_code == 302
    vote = running.votes.get(state=bavaria)
    assert (vote.choice, vote.cast_by.email, vote.recorded_by) == (
        "yes",
        "mitglied.by@dmk.example",
        None,
    )
    assert "6 / 16" in client.get(url).content.decode()
