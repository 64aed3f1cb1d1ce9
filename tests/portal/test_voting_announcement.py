"""What the live region of the voting page says (issue 18 item 7): one text per state of the
ballot, not per vote; after closing one sentence per Land."""

from __future__ import annotations

import re

import pytest

from dmk.voting.services import ballot_close, ballot_open, vote_cast
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db


def _announced(client, ballot) -> str:
    html = client.get(f"/intern/abstimmung/{ballot.pk}/stand/").content.decode()
    return re.search(r'data-dmk-announce="([^"]*)"', html).group(1)


def test_the_announcement_changes_with_opening_and_closing_but_not_with_votes(
    client, public_record
):
    session = make_session()
    ballot = ballot_open(agenda_item=session.items[0], user=session.secretariat)
    login_with_second_factor(client, session.member("DE-BY"))
    opened = "Die Abstimmung zu TOP 1 ist eröffnet."
    assert _announced(client, ballot) == opened

    vote_cast(
        ballot=ballot,
        user=session.member("DE-HE"),
        state=session.state("DE-HE"),
        choice="no",
        cabinet_reservation=True,
    )
    vote_cast(
        ballot=ballot, user=session.member("DE-BY"), state=session.state("DE-BY"), choice="yes"
    )
    assert _announced(client, ballot) == opened

    ballot_close(ballot=ballot, user=session.secretariat)
    ballot.refresh_from_db()
    text = _announced(client, ballot)
    # the one outcome wording, naming who voted no and who did not vote (issue 11, Build 3)
    outcome = (
        "Abgelehnt (1 Ja, 1 Nein: Hessen, 0 Enthaltungen; nicht abgestimmt: Baden-Württemberg, "
        "Berlin, Brandenburg, Bremen, Hamburg, Mecklenburg-Vorpommern, Niedersachsen, "
        "Nordrhein-Westfalen, Rheinland-Pfalz, Saarland, Sachsen, Sachsen-Anhalt, "
        "Schleswig-Holstein, Thüringen); erforderlich: mindestens 11 Ja-Stimmen."
    )
    assert text.startswith(f"Die Abstimmung zu TOP 1 ist geschlossen. {outcome} ")
    sentences = text.split(outcome + " ")[1]
    assert sentences.startswith(
        "Baden-Württemberg hat nicht abgestimmt. Bayern hat mit Ja gestimmt. "
    )
    assert "Hessen hat mit Nein gestimmt (unter Kabinettsvorbehalt)." in sentences
    assert sentences.count(" hat ") == 16
