"""Replies over SMTP against a real aiosmtpd server (issue 15 item 3, "tests that must
exist"): threading headers and ticket number; SMTP down then up delivers exactly once."""

from __future__ import annotations

import email
import email.policy
import io

import pytest
from aiosmtpd.controller import Controller

from dmk.mailbox.models import MessageKind, SendStatus, TextModule
from dmk.mailbox.services import message_receive, reply_send, text_module_render
from dmk.mailbox.tasks import send_pending_messages
from dmk.papers.files import check_upload
from tests.factories import user_with_role
from tests.mailbox.dovecot import free_port
from tests.mailbox.mails import PDF, mail

pytestmark = pytest.mark.django_db


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """An aiosmtpd server on a free port; ``start()``/``stop()`` to take it up and down."""
    port = free_port()
    handler = _Inbox()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DMK_MAIL_RETRY_DELAY = 0

    class Server:
        inbox = handler
        controller: Controller | None = None

        def start(self) -> None:
            self.controller = Controller(handler, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self) -> None:
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def conversation(mailbox, django_capture_on_commit_callbacks):
    mailbox.send_acknowledgement = False
    mailbox.save()
    received = message_receive(
        mailbox=mailbox,
        raw=mail(
            message_id="<q1@example.org>",
            references="<earlier@example.org>",
            attachments=[("antrag.pdf", PDF, "application/pdf")],
        ),
    )
    return received.message.conversation


def test_a_reply_carries_in_reply_to_references_the_ticket_number_and_the_signature(
    smtp, conversation, django_capture_on_commit_callbacks
):
    smtp.start()
    staff = user_with_role("secretariat", email="gs@dmk.example")
    kept = conversation.messages.get().attachments.get()
    upload = check_upload("stellungnahme.pdf", io.BytesIO(PDF))

    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(
            conversation=conversation,
            actor=staff,
            text="Guten Tag,\ndie nächste Sitzung ist im März.",
            files=[("stellungnahme.pdf", upload)],
            attachment_ids=[kept.pk],
        )

    [sent] = smtp.inbox.messages
    assert sent["In-Reply-To"] == "<q1@example.org>"
    assert sent["References"].split() == ["<earlier@example.org>", "<q1@example.org>"]
    assert sent["Message-ID"] == reply.message_id
    assert sent["Subject"].strip() == f"Re: Frage zur nächsten Sitzung {conversation.ticket}"
    assert sent["From"].addresses[0].addr_spec == "geschaeftsstelle@dmk.example"
    assert sent["To"].addresses[0].addr_spec == "erika@example.org"
    assert sent["Auto-Submitted"] is None
    text = sent.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "die nächste Sitzung ist im März." in text
    assert text.rstrip().endswith("-- \nGeschäftsstelle der Digitalministerkonferenz")
    assert sorted(p.get_filename() for p in sent.iter_attachments()) == [
        "antrag.pdf",
        "stellungnahme.pdf",
    ]
    reply.refresh_from_db()
    assert reply.send_status == SendStatus.SENT
    conversation.refresh_from_db()
    assert conversation.state == "in_progress"


def test_smtp_down_loses_nothing_shows_the_error_and_delivers_exactly_once_when_back(
    smtp, conversation, django_capture_on_commit_callbacks
):
    staff = user_with_role("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_send(conversation=conversation, actor=staff, text="Antwort")

    reply.refresh_from_db()
    assert reply.send_status == SendStatus.FAILED
    assert reply.send_attempts == 3
    assert "Connection refused" in reply.send_error or "Errno" in reply.send_error
    assert smtp.inbox.messages == []

    smtp.start()
    assert send_pending_messages() == 1
    assert send_pending_messages() == 0
    assert send_pending_messages() == 0

    reply.refresh_from_db()
    assert (reply.send_status, reply.send_error) == (SendStatus.SENT, "")
    assert [m["Message-ID"] for m in smtp.inbox.messages] == [reply.message_id]


def test_a_message_another_worker_is_sending_is_not_sent_again(
    smtp, conversation, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from dmk.mailbox.models import Message
    from dmk.mailbox.tasks import CLAIM_FOR, deliver

    smtp.start()
    reply = reply_send(conversation=conversation, actor=None, text="Antwort")  # not committed
    Message.objects.filter(pk=reply.pk).update(send_claimed_until=timezone.now() + CLAIM_FOR)

    assert deliver(reply.pk) == ""
    assert smtp.inbox.messages == []

    Message.objects.filter(pk=reply.pk).update(send_claimed_until=None)
    assert deliver(reply.pk) == SendStatus.SENT
    assert deliver(reply.pk) == ""
    assert len(smtp.inbox.messages) == 1


def test_a_reply_to_a_conversation_of_the_contact_form_has_no_in_reply_to(
    smtp, mailbox, django_capture_on_commit_callbacks
):
    from dmk.mailbox.services import conversation_from_contact_form

    smtp.start()
    conversation = conversation_from_contact_form(
        body=mailbox.body,
        name="Max Muster",
        email_address="max@example.org",
        subject="Barriere melden",
        text="Der Kontrast ist zu gering.",
        reference="7",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(conversation=conversation, actor=None, text="Danke für den Hinweis.")

    [sent] = smtp.inbox.messages
    assert sent["In-Reply-To"] == "<kontakt-7@dmk.example>"
    assert conversation.ticket in sent["Subject"]


def test_a_text_module_fills_its_placeholders_and_leaves_other_braces_alone(conversation):
    staff = user_with_role("secretariat", first_name="Jana", last_name="Beispiel")
    module = TextModule.objects.create(
        mailbox=conversation.mailbox,
        title="Sitzungstermin",
        text=(
            "Guten Tag {name},\nzu {vorgang} ({betreff}): {unbekannt} {0} {name.__class__}\n"
            "{bearbeitung}"
        ),
    )

    text = text_module_render(module=module, conversation=conversation, actor=staff)

    assert text == (
        f"Guten Tag Erika Bürger,\nzu {conversation.ticket} (Frage zur nächsten Sitzung): "
        "{unbekannt} {0} {name.__class__}\nJana Beispiel"
    )


def test_an_empty_reply_is_refused_and_nothing_is_queued(conversation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reply_send(conversation=conversation, actor=None, text="   ")
    assert not conversation.messages.filter(kind=MessageKind.OUTGOING).exists()
