"""16 Länder cast at once: exactly one vote per Land (DOMAIN rule 1; row locks, constraint)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dmk.voting.models import Vote
from dmk.voting.services import ballot_open, vote_cast
from tests.voting.scenario import make_session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) need PostgreSQL; SQLite serialises all writers",
    ),
]


def test_sixteen_laender_casting_at_once_from_threads_leave_exactly_sixteen_votes(public_record):
    session = make_session()
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    barrier = threading.Barrier(32)
    errors: list[BaseException] = []

    def cast(state, choice: str) -> None:
        try:
            barrier.wait()
            vote_cast(ballot=ballot, user=session.member(state.code), state=state, choice=choice)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # Every Land casts twice at the same moment (yes and no): still one row per Land.
    threads = [
        threading.Thread(target=cast, args=(state, choice))
        for state in session.states
        for choice in ("yes", "no")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Vote.objects.filter(ballot=ballot).count() == 16
    assert Vote.objects.filter(ballot=ballot).values("state").distinct().count() == 16
