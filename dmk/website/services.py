"""Writes of the public website (issue 7): contact messages."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dmk.bodies.models import Body
from dmk.core.audit import log_action
from dmk.mailbox.services import conversation_from_contact_form
from dmk.website.models import ContactMessage
from dmk.website.tasks import notify_contact_message_task

DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


@transaction.atomic
def store_contact_message(
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    language: str,
    ip_address: str | None,
) -> ContactMessage:
    """Store a message from the public contact form for the Geschäftsstelle and audit it.

    The caller has validated the fields (``ContactForm``); the honeypot and the rate limit
    are checked before (``dmk.website.contact``). The same message (address, subject and
    text) sent again within :data:`DUPLICATE_WINDOW` — a double click, a reload — is not
    stored twice: the earlier row is returned. A new message is announced to the
    Geschäftsstelle's functional mailbox by ``dmk.website.tasks.notify_contact_message_task``
    once the transaction commits, and opens a conversation in the platform's mailbox
    (``/intern/postfach/``, issue 15 item 2) when the body ``settings.DMK_BODY_SHORT_NAME``
    exists. Returns the stored ContactMessage.
    """
    earlier = ContactMessage.objects.filter(
        email__iexact=email,
        subject=subject,
        message=message,
        created__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if earlier is not None:
        return earlier
    contact_message = ContactMessage.objects.create(
        name=name, email=email, subject=subject, message=message, language=language
    )
    log_action(
        "website.contact_message.create",
        actor=None,
        obj=contact_message,
        ip_address=ip_address,
        data={"subject": subject},
    )
    body = Body.objects.filter(short_name=settings.DMK_BODY_SHORT_NAME).first()
    if body is not None:
        conversation_from_contact_form(
            body=body,
            name=name,
            email_address=email,
            subject=subject,
            text=message,
            reference=str(contact_message.pk),
        )
    transaction.on_commit(lambda: notify_contact_message_task.enqueue(contact_message.pk))
    return contact_message
