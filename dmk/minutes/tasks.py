"""Background jobs of the minutes app (django-tasks, backend ``queue``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from dmk.bodies.models import Membership, MembershipRole
from dmk.meetings.tasks import send_with_retries
from dmk.minutes.models import Minutes

logger = logging.getLogger(__name__)


def circulation_recipients() -> list[str]:
    """Addresses of the current members, permanent deputies and Land staff of every Land,
    sorted, each once (issue 12 item 2: "the Länder get an e-mail")."""
    return sorted(
        {
            email
            for email in Membership.objects.current()
            .filter(
                role__in=[
                    MembershipRole.MEMBER,
                    MembershipRole.PERMANENT_DEPUTY,
                    MembershipRole.STATE_STAFF,
                ],
                on_behalf_of__isnull=False,
            )
            .values_list("person__email", flat=True)
            if email
        }
    )


def circulation_notice(minutes: Minutes) -> tuple[str, str]:
    """Subject and plain-text body (German, formal) of the notice that minutes are open for
    comment; the deadline is a Europe/Berlin date."""
    meeting = minutes.meeting
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.BASE_URL.rstrip("/") + reverse(
            "portal:minutes_detail", kwargs={"slug": meeting.slug}
        )
    deadline = minutes.comment_deadline.strftime("%d.%m.%Y") if minutes.comment_deadline else ""
    subject = f"Protokollentwurf zur Stellungnahme: {meeting.name}"
    body = (
        "Sehr geehrte Damen und Herren,\n\n"
        f"der Entwurf des Ergebnisprotokolls der Sitzung „{meeting.name}“ steht zur "
        f"Stellungnahme bereit. Bitte nehmen Sie bis zum {deadline} (24 Uhr) im internen "
        "Bereich der DMK-Plattform Stellung – zu einzelnen Tagesordnungspunkten oder mit "
        f"„keine Einwände“:\n{link}\n\n"
        "Mit freundlichen Grüßen\nDie Geschäftsstelle der Digitalministerkonferenz\n"
    )
    return subject, body


@task(queue_name="default", backend="queue")
def notify_minutes_circulated_task(minutes_id: int) -> int:
    """E-mail every Land's members, deputies and staff (one message each, retried like
    invitations) that minutes ``minutes_id`` are open for comment. Returns the count sent."""
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    subject, body = circulation_notice(minutes)
    sent = 0
    for address in circulation_recipients():
        send_with_retries(EmailMessage(subject=subject, body=body, to=[address]))
        sent += 1
    return sent


@task(queue_name="default", backend="queue")
def build_meeting_pack_task(pack_id: int) -> str:
    """Build the Sitzungsmappe ``pack_id`` (issue 12 item 5); retried up to
    ``dmk.minutes.pack.MAX_ATTEMPTS`` times; returns the final status."""
    from dmk.minutes.pack import pack_build_with_retries

    return pack_build_with_retries(pack_id=pack_id)
