"""Reads of papers, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from dmk.access.policy import guest_visible, principal_for, visible
from dmk.meetings.models import Meeting
from dmk.papers.models import Consultation, Paper, PaperSponsor


def paper_list(*, user: Any) -> QuerySet[Paper]:
    """Papers ``user`` may see (DOMAIN rule 11; guests: those of their meetings/items),
    newest first."""
    base = Paper.objects.select_related("body", "author_state")
    if principal_for(user).is_internal:
        return visible(user, base)
    return visible(user, base) | guest_visible(user, base)


def paper_for_user(*, user: Any, slug: str) -> Paper | None:
    """The paper ``slug`` if ``user`` may see it (DOMAIN rule 11), with its files (newest
    version first), co-sponsors and consultations prefetched; else None."""
    return (
        paper_list(user=user)
        .prefetch_related(
            "files",
            Prefetch("sponsors", queryset=PaperSponsor.objects.select_related("state")),
            Prefetch("consultations", queryset=Consultation.objects.select_related("meeting")),
        )
        .filter(slug=slug)
        .first()
    )


def meeting_consultations(*, user: Any, meeting: Meeting) -> list[Consultation]:
    """The consultations of ``meeting`` whose paper ``user`` may see (DOMAIN rule 11), in
    agenda order, Tischvorlagen marked."""
    papers = paper_list(user=user)
    return list(
        Consultation.objects.filter(meeting=meeting, paper__in=papers)
        .select_related("paper", "paper__author_state", "agenda_item")
        .order_by(F("agenda_item__order").asc(nulls_last=True), "paper__title")
    )


def own_papers(*, user: Any) -> QuerySet[Paper]:
    """Papers of the Länder ``user`` acts for, each in the body the user acts for it in (all
    papers of its own body for the Geschäftsstelle; issue 11 item 1)."""
    principal = principal_for(user)
    qs = paper_list(user=user)
    if principal.every_body:
        return qs
    condition = Q(body_id__in=principal.secretariat_body_ids)
    for body_id, state_id in principal.body_states:
        condition |= Q(body_id=body_id, author_state_id=state_id)
    return qs.filter(condition)
