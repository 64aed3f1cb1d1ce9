"""Incoming mail from a real Dovecot (issue 15 items 1 and 2, "tests that must exist")."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dmk.mailbox import fetching
from dmk.mailbox.fetching import FILED_FLAG, fetch_new_mail
from dmk.mailbox.models import Attachment, Conversation, Message, MessageKind, SendStatus
from tests.mailbox.mails import PDF, mail

pytestmark = pytest.mark.django_db


def _fetch(dovecot, mailbox, django_capture_on_commit_callbacks, **config):
    with django_capture_on_commit_callbacks(execute=True):
        return fetch_new_mail(mailbox=mailbox, config=dovecot.config(**config))


def test_a_new_mail_opens_a_conversation_with_a_ticket_number_and_is_flagged_on_the_server(
    dovecot, mailbox, mailoutbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(
        mail(
            attachments=[("tagesordnung.pdf", PDF, "application/pdf")],
            message_id="<a1@example.org>",
        )
    )

    result = _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert (result.seen, result.stored, result.duplicates, result.failed) == (1, 1, 0, 0)
    conversation = Conversation.objects.get()
    assert conversation.subject == "Frage zur nächsten Sitzung"
    assert conversation.contact_email == "erika@example.org"
    assert conversation.contact_name == "Erika Bürger"
    assert conversation.state == "new"
    assert conversation.ticket.startswith("[DMK#") and conversation.number.endswith("-0001")
    incoming = conversation.messages.get(kind=MessageKind.INCOMING)
    assert incoming.message_id == "<a1@example.org>"
    assert "wann findet die nächste Sitzung statt?" in incoming.text
    assert bytes(incoming.raw).startswith(b"Subject:") or b"Message-ID: <a1@example.org>" in bytes(
        incoming.raw
    )
    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.refused) == ("tagesordnung.pdf", "")
    assert attachment.file.startswith("postfach/")
    assert [set(flags) for flags in dovecot.flags().values()] == [{FILED_FLAG, b"\\Seen"}]
    # the acknowledgement with the ticket number went out (and is recorded as sent)
    assert len(mailoutbox) == 1
    assert conversation.ticket in mailoutbox[0].subject
    assert mailoutbox[0].extra_headers["Auto-Submitted"] == "auto-replied"
    assert conversation.messages.get(kind=MessageKind.OUTGOING).send_status == SendStatus.SENT


def test_an_attachment_that_fails_the_paper_checks_is_listed_as_refused(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mail(attachments=[("tool.exe", b"MZ\x90\x00", "application/octet-stream")]))

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    attachment = Attachment.objects.get()
    assert attachment.file == ""
    assert "Dateityp ist nicht erlaubt" in attachment.refused


def test_a_reply_with_in_reply_to_joins_the_conversation(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mail(message_id="<first@example.org>"))
    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)
    dovecot.deliver(
        mail(
            subject="Re: etwas ganz anderes",
            message_id="<second@example.org>",
            in_reply_to="<first@example.org>",
        )
    )

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    conversation = Conversation.objects.get()
    assert list(
        conversation.messages.filter(kind=MessageKind.INCOMING).values_list("message_id", flat=True)
    ) == ["<first@example.org>", "<second@example.org>"]


def test_a_reply_with_only_the_ticket_number_joins_the_conversation(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mail(message_id="<first@example.org>"))
    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)
    conversation = Conversation.objects.get()
    dovecot.deliver(
        mail(subject=f"AW: Ihre Anfrage {conversation.ticket}", message_id="<other@example.net>")
    )

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert Conversation.objects.count() == 1
    assert conversation.messages.filter(kind=MessageKind.INCOMING).count() == 2


def test_a_mail_with_another_bodys_ticket_prefix_opens_a_new_conversation(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mail())
    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)
    number = Conversation.objects.get().number
    dovecot.deliver(mail(subject=f"Frage [GMK#{number}]"))

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert Conversation.objects.count() == 2


def test_the_same_mail_fetched_twice_is_stored_once(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    raw = mail(message_id="<twice@example.org>")
    dovecot.deliver(raw, raw)  # the same mail lies twice on the server

    result = _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert (result.seen, result.stored, result.duplicates) == (2, 1, 1)
    assert Message.objects.filter(kind=MessageKind.INCOMING).count() == 1
    assert all(FILED_FLAG in flags for flags in dovecot.flags().values())


def test_a_crash_after_storing_and_before_flagging_does_not_duplicate(
    dovecot, mailbox, django_capture_on_commit_callbacks, monkeypatch
):
    dovecot.deliver(mail(message_id="<crash@example.org>"))

    def crash(*args, **kwargs):
        raise ConnectionResetError("connection lost while flagging")

    with monkeypatch.context() as patch:
        patch.setattr(fetching, "mark_filed", crash)
        with pytest.raises(ConnectionResetError):
            _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)
    assert Message.objects.filter(kind=MessageKind.INCOMING).count() == 1
    assert [FILED_FLAG in flags for flags in dovecot.flags().values()] == [False]

    result = _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert (result.seen, result.stored, result.duplicates) == (1, 0, 1)
    assert Message.objects.filter(kind=MessageKind.INCOMING).count() == 1
    assert [FILED_FLAG in flags for flags in dovecot.flags().values()] == [True]
    assert (_fetch(dovecot, mailbox, django_capture_on_commit_callbacks).seen) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"Return-Path": "<>"},
        {"List-Id": "<verteiler.example.org>"},
    ],
    ids=["auto-submitted", "precedence", "x-autoreply", "null-return-path", "list"],
)
def test_an_auto_reply_bounce_or_list_mail_gets_no_answer(
    dovecot, mailbox, mailoutbox, django_capture_on_commit_callbacks, headers
):
    dovecot.deliver(mail(subject="Abwesenheitsnotiz", headers=headers))

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    message = Message.objects.get(kind=MessageKind.INCOMING)
    assert message.is_automatic
    assert mailoutbox == []
    assert not Message.objects.filter(kind=MessageKind.OUTGOING).exists()


def test_an_oversized_mail_is_stored_as_a_notice_and_refused_politely(
    dovecot, mailbox, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.DMK_MAILBOX_MAX_BYTES = 50_000
    dovecot.deliver(
        mail(
            message_id="<big@example.org>",
            attachments=[("gross.pdf", PDF + b"0" * 80_000, "application/pdf")],
        )
    )

    result = _fetch(dovecot, mailbox, django_capture_on_commit_callbacks)

    assert result.stored == 1
    message = Message.objects.get(kind=MessageKind.INCOMING)
    assert message.size > 80_000
    assert len(bytes(message.raw)) < 5_000  # only the header was fetched
    assert "überschreitet die Grenze" in message.notice
    assert not Attachment.objects.exists()
    assert len(mailoutbox) == 1
    reply = mailoutbox[0]
    assert reply.to == ["erika@example.org"]
    assert reply.subject.startswith("Ihre Nachricht ist zu groß")
    assert "Leider ist sie größer als 0,1 MB" in reply.body  # 50,000 bytes, rounded
    assert "erneut mit kleineren Anhängen" in reply.body
    assert reply.extra_headers["In-Reply-To"] == "<big@example.org>"
    assert all(FILED_FLAG in flags for flags in dovecot.flags().values())


def test_the_done_folder_receives_filed_mail(dovecot, mailbox, django_capture_on_commit_callbacks):
    dovecot.deliver(mail())

    _fetch(dovecot, mailbox, django_capture_on_commit_callbacks, done_folder="Abgelegt")

    assert dovecot.flags() == {}
    client = dovecot.client()
    try:
        client.select_folder("Abgelegt", readonly=True)
        assert len(client.search(["ALL"])) == 1
    finally:
        client.logout()


_header_names = st.sampled_from(
    [
        "Content-Type",
        "Content-Transfer-Encoding",
        "Subject",
        "From",
        "Message-ID",
        "References",
        "In-Reply-To",
        "Date",
        "MIME-Version",
        "Content-Disposition",
    ]
)
_junk = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    max_size=80,
)


@st.composite
def malformed_mails(draw) -> bytes:
    """Mails with random header values and random multipart structure (broken boundaries,
    wrong encodings, garbage parts)."""
    boundary = draw(st.sampled_from(["b1", "", '"', 'b1"; x=', "x" * 80]))
    lines = [
        f"{name}: {value}"
        for name, value in draw(st.lists(st.tuples(_header_names, _junk), max_size=8))
    ]
    subtype = draw(st.sampled_from(["mixed", "alternative", "x"]))
    lines.append(f'Content-Type: multipart/{subtype}; boundary="{boundary}"')
    body = []
    for _ in range(draw(st.integers(0, 4))):
        body.append(f"--{draw(st.sampled_from([boundary, 'b2', '']))}")
        body.append(f"Content-Type: {draw(_junk)}")
        encoding = draw(st.sampled_from(["base64", "quoted-printable", "8bit", "x-uue", ""]))
        body.append(f"Content-Transfer-Encoding: {encoding}")
        body.append("")
        body.append(draw(_junk))
    if draw(st.booleans()):
        body.append(f"--{boundary}--")
    text = "\r\n".join(lines) + "\r\n\r\n" + "\r\n".join(body) + "\r\n"
    return text.encode("utf-8", errors="surrogateescape") + draw(st.binary(max_size=40)).replace(
        b"\x00", b""
    )


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=malformed_mails())
def test_a_malformed_mime_message_is_stored_raw_and_never_loops(
    dovecot_server, mailbox, django_capture_on_commit_callbacks, raw
):
    dovecot_server.clear()
    Message.objects.all().delete()
    dovecot_server.deliver(raw)

    first = _fetch(dovecot_server, mailbox, django_capture_on_commit_callbacks)
    second = _fetch(dovecot_server, mailbox, django_capture_on_commit_callbacks)

    assert (first.seen, first.stored, first.failed) == (1, 1, 0)
    assert second.seen == 0  # filed and flagged: never fetched again
    stored = Message.objects.get(kind=MessageKind.INCOMING)
    # exactly the bytes the server holds (a server may normalise bare CR or LF on APPEND)
    assert bytes(stored.raw) == dovecot_server.raw_message()
    assert stored.size == len(bytes(stored.raw))
