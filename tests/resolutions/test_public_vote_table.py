"""The per-Land vote table on the public resolution page (issue 6 item 6 "per-Land vote
table"; "Imported real resolutions without a known vote table say so").

DOMAIN rule 6: cabinet reservations and Protokollerklärungen never appear on the public
page; the table shows each Land's vote only. Rule 4: a vote cast under a transfer is marked.
"""

from __future__ import annotations

import datetime
import re

import pytest

from dmk.core.enums import Visibility
from dmk.resolutions.models import Resolution
from dmk.resolutions.services import resolution_adopt, resolution_release
from dmk.voting.services import (
    ballot_close,
    ballot_open,
    protocol_declaration_add,
    vote_cast,
    vote_transfer_create,
)
from tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>')
NOT_HANDED_DOWN = "Das Abstimmungsergebnis je Land ist für diesen Beschluss nicht überliefert."


@pytest.fixture
def released(session, laender, secretariat):
    """12 yes (Bayern under cabinet reservation), Berlin no, Bremen abstains, Hessen's vote
    cast by Hamburg under a transfer (yes), three Länder silent; Rheinland-Pfalz adds a
    Protokollerklärung."""
    meeting, item = session
    ballot = ballot_open(agenda_item=item, user=secretariat)
    vote_transfer_create(
        meeting=meeting,
        from_state=laender["DE-HE"],
        to_state=laender["DE-HH"],
        from_agenda_item=item,
        user=secretariat,
    )
    yes = ["DE-BW", "DE-BY", "DE-BB", "DE-HH", "DE-MV", "DE-NI", "DE-NW", "DE-RP", "DE-SL"]
    yes += ["DE-SN", "DE-ST"]
    for code in yes:
        vote_cast(
            ballot=ballot,
            user=secretariat,
            state=laender[code],
            choice="yes",
            on_behalf=True,
            cabinet_reservation=code == "DE-BY",
        )
    vote_cast(ballot=ballot, user=secretariat, state=laender["DE-HE"], choice="yes", on_behalf=True)
    vote_cast(ballot=ballot, user=secretariat, state=laender["DE-BE"], choice="no", on_behalf=True)
    vote_cast(
        ballot=ballot, user=secretariat, state=laender["DE-HB"], choice="abstain", on_behalf=True
    )
    protocol_declaration_add(
        agenda_item=item,
        state=laender["DE-RP"],
        text="Rheinland-Pfalz bittet um Prüfung der Folgen für die Kommunen.",
        user=secretariat,
    )
    ballot_close(ballot=ballot, user=secretariat)
    resolution = resolution_adopt(
        ballot=ballot,
        title="Föderale Cloud gemeinsam betreiben",
        text_html="<p>Die DMK bittet die Länder, die Cloud gemeinsam zu betreiben.</p>",
        user=secretariat,
    )
    return resolution_release(resolution=resolution, user=secretariat)


def test_public_page_shows_every_land_with_its_vote_and_the_transfer(client, released):
    html = client.get(released.get_absolute_url()).content.decode()

    assert '<caption class="kern-body kern-body--bold" id="stimmen-je-land">' in html
    assert '<th scope="col">Land</th><th scope="col">Stimme</th>' in html
    assert ROW.findall(html) == [
        ("Baden-Württemberg", "Ja"),
        ("Bayern", "Ja"),
        ("Berlin", "Nein"),
        ("Brandenburg", "Ja"),
        ("Bremen", "Enthaltung"),
        ("Hamburg", "Ja"),
        ("Hessen", "Ja (Stimme übertragen an Hamburg)"),  # cast by Hamburg (DOMAIN rule 4)
        ("Mecklenburg-Vorpommern", "Ja"),
        ("Niedersachsen", "Ja"),
        ("Nordrhein-Westfalen", "Ja"),
        ("Rheinland-Pfalz", "Ja"),
        ("Saarland", "Ja"),
        ("Sachsen", "Ja"),
        ("Sachsen-Anhalt", "Ja"),
        ("Schleswig-Holstein", "nicht abgegeben"),
        ("Thüringen", "nicht abgegeben"),
    ]
    assert html.count('<th scope="row">') == 16


def test_public_vote_table_leaves_out_reservation_declaration_and_persons(client, released):
    """DOMAIN rule 6: neither the Kabinettsvorbehalt nor the Protokollerklärung is public;
    nor who recorded the votes."""
    html = client.get(released.get_absolute_url()).content.decode()

    assert "Kabinettsvorbehalt" not in html
    assert "Vorbehalt" not in html
    assert "Folgen für die Kommunen" not in html
    assert "Protokollerklärung" not in html
    assert "gs@dmk.example" not in html
    assert "erfasst durch" not in html


def test_imported_resolution_without_vote_table_says_so_and_shows_no_table(client, laender):
    """Issue 6 item 6: "Imported real resolutions without a known vote table say so"."""
    body = BodyFactory()
    meeting = MeetingFactory(body=body, slug="dmk-2024-1", start_date=datetime.date(2024, 5, 3))
    resolution = Resolution.objects.create(
        body=body,
        meeting=meeting,
        slug="beschluss-2024-1",
        title="Beschluss aus dem öffentlichen Bestand",
        decided_on=datetime.date(2024, 5, 3),
        visibility=Visibility.PUBLIC,
        vote_table_known=False,
    )

    html = client.get(resolution.get_absolute_url()).content.decode()

    assert NOT_HANDED_DOWN in html
    assert "Stimmen der Länder" not in html
    assert ROW.findall(html) == []


def test_platform_resolution_does_not_claim_the_table_is_missing(client, released):
    html = client.get(released.get_absolute_url()).content.decode()

    assert NOT_HANDED_DOWN not in html
    assert "Stimmen der Länder" in html


def test_draft_resolution_and_its_table_stay_hidden_from_the_public(client, session, secretariat):
    """DOMAIN rule 11: before the Geschäftsstelle releases it, the page (and table) is a 404."""
    _meeting, item = session
    ballot = ballot_open(agenda_item=item, user=secretariat)
    ballot_close(ballot=ballot, user=secretariat)
    draft = Resolution.objects.create(
        body=item.meeting.body,
        meeting=item.meeting,
        ballot=ballot,
        slug="entwurf",
        title="Entwurf",
        vote_table_known=True,
    )

    assert client.get(draft.get_absolute_url()).status_code == 404
