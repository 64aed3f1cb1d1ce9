"""Writes of the public website (issue 7): contact messages."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dmk.core.audit import log_action
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
    once the transaction commits. Returns the stored ContactMessage.
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
    transaction.on_commit(lambda: notify_contact_message_task.enqueue(contact_message.pk))
    return contact_message
