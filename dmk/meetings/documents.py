"""The invitation with its agenda as a tagged PDF (issue 12 item 4), attached to the
invitation e-mail next to the .ics."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from dmk.meetings.models import Meeting


def invitation_pdf(meeting: Meeting) -> bytes:
    """``meeting``'s invitation as PDF/UA-1 (WeasyPrint): date (Europe/Berlin), place or
    video conference, chair and the whole agenda in order with each TOP's lead Länder. The
    invitation goes to members, deputies and the Geschäftsstelle (internal), so every item
    is listed; the video link itself stays in the e-mail text."""
    from weasyprint import HTML

    items = meeting.agenda_items.prefetch_related("lead_states").order_by("order")
    document = render_to_string(
        "meetings/invitation_pdf.html",
        {
            "meeting": meeting,
            "items": items,
            "chairs": meeting.chairs.order_by("name_de"),
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=document, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
