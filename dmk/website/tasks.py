"""Background jobs of the public website (django-tasks, backend ``queue``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from dmk.website.models import ContactMessage


def backoffice_link(message: ContactMessage) -> str:
    """The absolute address of ``message`` in the back office
    (``/verwaltung/kontaktanfragen/inspect/<pk>/``, ``settings.BASE_URL``)."""
    path = reverse("kontaktanfragen:inspect", args=[message.pk])
    return settings.BASE_URL.rstrip("/") + path


@task(queue_name="default", backend="queue")
def notify_contact_message_task(message_id: int) -> int:
    """Tell the Geschäftsstelle's functional mailbox (``settings.DMK_FUNCTIONAL_MAILBOX``)
    that contact message ``message_id`` came in: its subject (on one line) and the link to
    the back-office entry. The sender's text stays in the back office — it is never in the
    mail, let alone in the subject line. Returns the number of messages sent (0 when the
    message is gone, else 1)."""
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    one_line = " ".join(message.subject.split())
    with override(settings.LANGUAGE_CODE):
        received = formats.date_format(timezone.localtime(message.created), "d.m.Y, H:i")
        subject = _("Neue Kontaktanfrage: %(subject)s") % {"subject": one_line}
        body = "\n\n".join(
            [
                _(
                    "Über das Kontaktformular der Website ist am %(received)s Uhr eine Anfrage "
                    "eingegangen."
                )
                % {"received": received},
                _("Betreff: %(subject)s") % {"subject": one_line},
                _("Die Nachricht lesen Sie in der Verwaltung:"),
                backoffice_link(message),
            ]
        )
    EmailMessage(subject=subject, body=body + "\n", to=[settings.DMK_FUNCTIONAL_MAILBOX]).send(
        fail_silently=False
    )
    return 1
