"""Reads of papers, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet

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
    """Papers of the Länder ``user`` acts for (all of them for the Geschäftsstelle)."""
    principal = principal_for(user)
    qs = paper_list(user=user)
    if principal.is_secretariat:
        return qs
    return qs.filter(author_state_id__in=principal.state_ids)
