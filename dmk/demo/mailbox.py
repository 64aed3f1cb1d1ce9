"""Demo data of the functional mailbox (issue 15): text modules and three conversations —
a contact-form message, a Land's mail answered by the Geschäftsstelle and an out-of-office
reply that got no automatic answer. Idempotent: each mail has a fixed Message-ID.

Run after ``load_demo`` (the Geschäftsstelle of Hamburg) and ``load_demo_meeting``.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dmk.bodies.models import Body, Membership, MembershipRole, State
from dmk.mailbox.models import Conversation, Mailbox, TextModule
from dmk.mailbox.services import (
    conversation_from_contact_form,
    conversation_update,
    mailbox_for_body,
    message_receive,
    note_add,
    reply_send,
)
from dmk.meetings.models import Meeting

TEXT_MODULES = {
    "Eingang bestätigt, Antwort folgt": (
        "Guten Tag {name},\n\nvielen Dank für Ihre Nachricht zu „{betreff}“. Wir prüfen Ihr "
        "Anliegen und melden uns bis Ende der kommenden Woche.\n\nMit freundlichen Grüßen\n"
        "{bearbeitung}"
    ),
    "Termin der nächsten Sitzung": (
        "Guten Tag {name},\n\ndie nächste Sitzung der Digitalministerkonferenz und ihre "
        "Tagesordnung finden Sie im internen Bereich unter „Sitzungen“. Vorlagen reichen Sie "
        "dort bis zur Vorlagenfrist ein.\n\nMit freundlichen Grüßen\n{bearbeitung}"
    ),
}


@dataclass(frozen=True)
class DemoMailboxResult:
    mailbox: Mailbox
    conversations: list[Conversation]


def _raw(*, sender: str, subject: str, text: str, message_id: str, headers: dict | None = None):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = settings.DMK_FUNCTIONAL_MAILBOX
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    return msg.as_bytes()


@transaction.atomic
def load_demo_mailbox() -> DemoMailboxResult:
    """Load the demo mailbox of the body ``settings.DMK_BODY_SHORT_NAME``; returns it and
    its demo conversations. Raises ``Body.DoesNotExist`` before ``load_public_record``."""
    body = Body.objects.get(short_name=settings.DMK_BODY_SHORT_NAME)
    mailbox = mailbox_for_body(body)
    if not mailbox.signature:
        mailbox.signature = (
            f"Geschäftsstelle der Digitalministerkonferenz\nVorsitzland Hamburg\n{mailbox.address}"
        )
        mailbox.save(update_fields=["signature"])
    for title, text in TEXT_MODULES.items():
        TextModule.objects.get_or_create(mailbox=mailbox, title=title, defaults={"text": text})
    office = (
        Membership.objects.current()
        .filter(
            role=MembershipRole.SECRETARIAT, organization__body=body, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    actor = office.person.user if office else None

    contact = conversation_from_contact_form(
        body=body,
        name="Lena Hafenrand",
        email_address="lena.hafenrand@example.org",
        subject="Barrierefreiheit der Beschlussdokumente",
        text=(
            "Guten Tag,\n\nsind die Beschlüsse der DMK auch als barrierefreie PDF-Dateien "
            "erhältlich? Mein Screenreader liest einige Tabellen nicht vor.\n\nViele Grüße\n"
            "Lena Hafenrand"
        ),
        reference="demo-1",
    )

    land_mail = message_receive(
        mailbox=mailbox,
        raw=_raw(
            sender="Referat Digitalpolitik Bayern <referent.by@dmk.example>",
            subject="Nachmeldung eines TOP zur nächsten Sitzung",
            text=(
                "Sehr geehrte Damen und Herren,\n\nder Freistaat Bayern möchte zur nächsten "
                "Sitzung einen Bericht zur Registermodernisierung einbringen. Reicht es, die "
                "Vorlage bis zur Vorlagenfrist hochzuladen?\n\nMit freundlichen Grüßen\n"
                "Maximilian Isarwinkler"
            ),
            message_id="<demo-land-by-1@stmd.bayern.example>",
        ),
    )
    land_conversation = land_mail.message.conversation
    if land_mail.created:
        meeting = (
            Meeting.objects.filter(body=body, start_date__gte=timezone.localdate())
            .order_by("start_date")
            .first()
        )
        conversation_update(
            conversation=land_conversation,
            actor=actor,
            state="waiting",
            assignee=actor,
            meeting=meeting,
            paper=None,
            land=State.objects.filter(code="DE-BY").first(),
            tags=["Tagesordnung", "Vorlagen"],
        )
        note_add(
            conversation=land_conversation,
            actor=actor,
            text="Mit dem Vorsitz abgestimmt: Nachmeldung ist bis zur Vorlagenfrist möglich.",
        )
        reply_send(
            conversation=land_conversation,
            actor=actor,
            text=(
                "Guten Tag Herr Isarwinkler,\n\nja, bitte laden Sie die Vorlage bis zur "
                "Vorlagenfrist im internen Bereich hoch; wir nehmen den TOP dann in die "
                "Tagesordnung auf.\n\nMit freundlichen Grüßen"
            ),
        )

    auto = message_receive(
        mailbox=mailbox,
        raw=_raw(
            sender="Poststelle Ministerium <poststelle@ministerium.example>",
            subject="Abwesenheitsnotiz: Einladung zur Sitzung",
            text=(
                "Ich bin bis zum 6. Januar nicht im Büro. Ihre Nachricht wird nicht weitergeleitet."
            ),
            message_id="<demo-auto-1@ministerium.example>",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    return DemoMailboxResult(
        mailbox=mailbox,
        conversations=[contact, land_conversation, auto.message.conversation],
    )
