"""A resolution's own PDF for its public page (issue 12 item 4)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from dmk.resolutions.models import Resolution
from dmk.resolutions.selectors import public_vote_table


def resolution_pdf(resolution: Resolution) -> bytes:
    """``resolution`` as a PDF/UA-1 document (WeasyPrint): number, title, date, session,
    status, the sanitised text and — where known — the public per-Land vote table, which
    leaves out Kabinettsvorbehalte and Protokollerklärungen (DOMAIN rule 6). The caller has
    checked that the reader may see the resolution (DOMAIN rule 11)."""
    from weasyprint import HTML

    document = render_to_string(
        "resolutions/resolution_pdf.html",
        {
            "resolution": resolution,
            "vote_rows": public_vote_table(resolution),
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=document, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
