"""DOMAIN rule 6: a Kabinettsvorbehalt and a Protokollerklärung appear in the per-Land vote
table, never in the public resolution text unless published as such."""

from __future__ import annotations

import re

import pytest

from dmk.resolutions.services import resolution_adopt, resolution_release
from dmk.voting.services import ballot_close, ballot_open, protocol_declaration_add, vote_cast
from tests.helpers import login_with_second_factor
from tests.voting.scenario import make_session

pytestmark = pytest.mark.django_db

DECLARATION = "Rheinland-Pfalz bittet um Prüfung der Folgen für die Kommunen."


@pytest.fixture
def released(public_record):
    session = make_session()
    item = session.items[0]
    ballot = ballot_open(agenda_item=item, user=session.secretariat)
    for state in session.states[:12]:
        vote_cast(
            ballot=ballot,
            user=session.member(state.code),
            state=state,
            choice="yes",
            cabinet_reservation=state.code == "DE-BY",
        )
    protocol_declaration_add(
        agenda_item=item,
        state=session.state("DE-RP"),
        text=DECLARATION,
        user=session.member("DE-RP"),
    )
    ballot_close(ballot=ballot, user=session.secretariat)
    resolution = resolution_adopt(
        ballot=ballot,
        title="Digitale Verwaltung gemeinsam gestalten",
        text_html="<p>Die DMK bittet die Länder, gemeinsame Standards zu nutzen.</p>",
        user=session.secretariat,
    )
    resolution_release(resolution=resolution, user=session.secretariat)
    return session, ballot, resolution


def test_reservation_and_declaration_stay_out_of_the_public_resolution(client, released):
    _session, _ballot, resolution = released

    html = client.get(resolution.get_absolute_url()).content.decode()

    assert "Digitale Verwaltung gemeinsam gestalten" in html
    assert "gemeinsame Standards zu nutzen" in html
    assert DECLARATION not in html
    assert "Kabinettsvorbehalt" not in html


def test_reservation_shows_in_the_per_land_vote_table_of_the_portal(client, released):
    session, ballot, _resolution = released
    login_with_second_factor(client, session.member("DE-NW"))

    html = client.get(f"/intern/abstimmung/{ballot.pk}/stand/").content.decode()

    cells = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>', html)
    reservations = {land: reservation for land, _choice, reservation in cells}
    assert reservations["Bayern"] == "ja"
    assert reservations["Berlin"] == "–"
    assert len(cells) == 16


def test_public_vote_table_shows_the_vote_of_bayern_but_not_its_reservation(client, released):
    """The public resolution page now carries the per-Land vote table (issue 6 item 6); rule
    6 still keeps the Kabinettsvorbehalt and the Protokollerklärung off the public page."""
    _session, _ballot, resolution = released

    html = client.get(resolution.get_absolute_url()).content.decode()

    cells = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', html))
    assert len(cells) == 16
    assert cells["Bayern"] == "Ja"
    assert cells["Rheinland-Pfalz"] == "Ja"
    assert cells["Schleswig-Holstein"] == "nicht abgegeben"
    assert "Kabinettsvorbehalt" not in html
    assert DECLARATION not in html
