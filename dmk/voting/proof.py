"""The proof of a written procedure as a tagged PDF (issue 6 item 7; DOMAIN rule 8)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from dmk.bodies.models import State
from dmk.voting.models import WrittenProcedure
from dmk.voting.wording import written_procedure_outcome_sentence


def written_procedure_rows(procedure: WrittenProcedure) -> list[dict[str, object]]:
    """One row per Land (all Länder, by name): ``state`` and ``vote`` (a WrittenVote or None,
    with ``cast_by``, ``recorded_by`` and ``corrected_by`` loaded)."""
    votes = {
        v.state_id: v
        for v in procedure.votes.select_related("cast_by", "recorded_by", "corrected_by", "state")
    }
    return [{"state": s, "vote": votes.get(s.pk)} for s in State.objects.order_by("name_de")]


def written_procedure_proof_pdf(procedure: WrittenProcedure, *, show_choices: bool = True) -> bytes:
    """A PDF/UA-1 proof listing each Land's answer, who cast it and when (Europe/Berlin);
    Länder without an answer are listed as "keine Antwort" (not yes, DOMAIN rule 8). The
    outcome is stated by :func:`dmk.voting.wording.written_procedure_outcome_sentence`, which
    names the Länder that abstained or did not answer (issue 11, Build 3).

    With ``show_choices=False`` (decided by :func:`dmk.access.policy.can_see_written_choices`,
    as on the portal page) a Land that answered is listed
    as "hat geantwortet", with "(berichtigt)" after a correction, without its choice,
    Kabinettsvorbehalt or the correction's reason."""
    from weasyprint import HTML

    html = render_to_string(
        "portal/written_proof.html",
        {
            "procedure": procedure,
            "rows": written_procedure_rows(procedure),
            "outcome": procedure.stored_outcome,
            "sentence": written_procedure_outcome_sentence(procedure),
            "generated_at": timezone.localtime(),
            "show_choices": show_choices,
        },
    )
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
