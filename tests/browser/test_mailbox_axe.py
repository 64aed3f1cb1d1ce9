"""Browser test: the mailbox's inbox and a conversation page (with a refused form) have no
axe violations (issue 15 item 6; WCAG 2.1/2.2 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dmk.bodies.models import MembershipRole
from dmk.mailbox.models import TextModule
from dmk.mailbox.services import mailbox_for_body, message_receive, note_add
from tests.factories import BodyFactory, user_with_role
from tests.mailbox.mails import PDF, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _assert_no_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_inbox_and_conversation_pages_have_no_axe_violations(live_server, page, log_in_browser):
    office = user_with_role(MembershipRole.SECRETARIAT, email="gs@dmk.example")
    mailbox = mailbox_for_body(BodyFactory())
    mailbox.send_acknowledgement = False
    mailbox.save()
    TextModule.objects.create(mailbox=mailbox, title="Termin", text="Guten Tag {name},")
    first = message_receive(
        mailbox=mailbox,
        raw=mail(
            html="<p>Hallo <b>Geschäftsstelle</b></p><img src='https://t.example/x.gif'>",
            attachments=[("antrag.pdf", PDF, "application/pdf")],
        ),
    ).message
    message_receive(mailbox=mailbox, raw=mail(subject="Zweite Anfrage"))
    note_add(conversation=first.conversation, actor=office, text="Bitte bis Freitag klären.")
    log_in_browser(page, office)

    response = page.goto(f"{live_server.url}/intern/postfach/")
    assert response.status == 200
    expect(page.get_by_role("table", name="Vorgänge, neueste zuerst")).to_be_visible()
    _assert_no_violations(page)

    response = page.goto(f"{live_server.url}/intern/postfach/{first.conversation_id}/")
    assert response.status == 200
    _assert_no_violations(page)

    page.get_by_role("button", name="Antwort senden").click()
    assert page.title().startswith("Fehler:")
    _assert_no_violations(page)
