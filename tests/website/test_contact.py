"""The contact form: stored for the Geschäftsstelle, honeypot, rate limit (issue 7 item 1)."""

from __future__ import annotations

import re

import pytest

from dmk.core.models import ActivityLog
from dmk.website.contact import RATE_LIMIT
from dmk.website.models import ContactMessage

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Erika Mustermann",
    "email": "erika@example.org",
    "subject": "Frage zur Sitzung",
    "message": "Wann wird der Beschluss veröffentlicht?",
    "website": "",
}


def test_valid_message_is_stored_and_audited(client, site):
    response = client.post("/kontakt/", VALID)
    assert response.status_code == 200
    assert "Vielen Dank für Ihre Nachricht." in response.content.decode()
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.subject, message.message, message.language) == (
        "Erika Mustermann",
        "erika@example.org",
        "Frage zur Sitzung",
        "Wann wird der Beschluss veröffentlicht?",
        "de",
    )
    assert ActivityLog.objects.filter(action="website.contact_message.create").count() == 1


def test_bad_input_shows_german_errors_and_keeps_what_was_typed(client, site):
    data = {**VALID, "email": "keine-adresse", "message": ""}
    response = client.post("/kontakt/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in html
    assert "Bitte füllen Sie dieses Feld aus." in html
    assert 'value="keine-adresse"' in html
    assert 'value="Erika Mustermann"' in html
    assert 'aria-invalid="true"' in html
    assert ContactMessage.objects.count() == 0


def test_honeypot_filled_by_a_bot_stores_nothing(client, site):
    response = client.post("/kontakt/", {**VALID, "website": "http://spam.example"})
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0


def test_more_than_five_messages_an_hour_from_one_address_get_429(client, site):
    for number in range(RATE_LIMIT):  # different texts: the same text twice is stored once
        message = {**VALID, "message": f"{VALID['message']} ({number})"}
        assert client.post("/kontakt/", message).status_code == 200
    response = client.post("/kontakt/", {**VALID, "message": "Noch eine Nachricht."})
    assert response.status_code == 429
    assert "Sie haben in kurzer Zeit zu viele Nachrichten gesendet." in response.content.decode()
    assert ContactMessage.objects.count() == RATE_LIMIT
    other = client.post("/kontakt/", VALID, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_feedback_link_presets_the_accessibility_subject(client, site):
    html = client.get("/kontakt/?betreff=barrierefreiheit").content.decode()
    assert 'value="Barriere melden: Rückmeldung zur Barrierefreiheit"' in html


def test_english_contact_page_stores_the_language(client, site):
    response = client.post("/en/kontakt/", VALID)
    assert response.status_code == 200
    assert ContactMessage.objects.get().language == "en"


def test_the_honeypot_is_hidden_from_screen_readers_and_out_of_the_tab_order(client, site):
    html = client.get("/kontakt/").content.decode()
    wrapper = re.search(r'<div class="dmk-hp"[^>]*>(.*?)</div>', html, re.S)
    assert wrapper.group(0).startswith('<div class="dmk-hp" aria-hidden="true">')
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', wrapper.group(1)).group(0)
    assert ('tabindex="-1"' in honeypot, 'autocomplete="off"' in honeypot) == (True, True)


def test_the_hidden_honeypot_still_stops_a_bot_and_lets_a_person_through(client, site):
    client.post("/kontakt/", {**VALID, "website": "http://spam.example"})
    assert ContactMessage.objects.count() == 0
    client.post("/kontakt/", VALID)
    assert ContactMessage.objects.count() == 1
