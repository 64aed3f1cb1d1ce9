"""Background jobs of the accounts app (django-tasks, backend ``queue``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from dmk.accounts.models import Invitation
from dmk.core.tokens import new_token


def invitation_link(token: str) -> str:
    """The absolute address of the invitation page for ``token`` (``settings.BASE_URL``)."""
    return settings.BASE_URL.rstrip("/") + reverse("account_invitation", args=[token])


@task(queue_name="default", backend="queue")
def send_invitation_task(invitation_id: int) -> int:
    """Make the link of invitation ``invitation_id`` and e-mail it (issue 4 item 1).

    The token is made here, right before sending, and only its hash is stored, so it never
    stands in the database or in this job's arguments. An invitation that is no longer open
    (revoked, accepted, expired, already sent) is skipped. If sending fails, the transaction
    rolls back and no link is valid. Returns the number of messages sent (0 or 1).
    """
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.state_at(now) != Invitation.State.PENDING:
            return 0
        token, token_hash = new_token()
        invitation.token_hash = token_hash
        invitation.sent_at = now
        invitation.save(update_fields=["token_hash", "sent_at"])
        with override(settings.LANGUAGE_CODE):
            until = formats.date_format(timezone.localtime(invitation.expires_at), "d.m.Y, H:i")
            name = invitation.user.get_full_name()
            greeting = _("Guten Tag %(name)s,") % {"name": name} if name else _("Guten Tag,")
            body = "\n\n".join(
                [
                    greeting,
                    _(
                        "die Geschäftsstelle der Digitalministerkonferenz hat für Sie ein Konto "
                        "auf der DMK-Plattform eingerichtet. Bitte legen Sie über diesen Link "
                        "Ihr Passwort fest:"
                    ),
                    invitation_link(token),
                    _(
                        "Der Link ist bis %(until)s Uhr gültig und kann nur einmal verwendet "
                        "werden. Bei der ersten Anmeldung richten Sie danach einen zweiten "
                        "Faktor ein (Authenticator-App oder Sicherheitsschlüssel)."
                    )
                    % {"until": until},
                    _(
                        "Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese "
                        "E-Mail bitte."
                    ),
                    _("Mit freundlichen Grüßen\nDie Geschäftsstelle der Digitalministerkonferenz"),
                ]
            )
            subject = _("Einladung zur DMK-Plattform")
        EmailMessage(subject=subject, body=body + "\n", to=[invitation.email]).send(
            fail_silently=False
        )
    return 1
