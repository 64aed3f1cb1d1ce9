"""Resolutions and follow-ups in the search index (issue 13 item 2; how to register a
model: ``dmk/documents/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from dmk.core.enums import Visibility
from dmk.documents.models import EntryKind
from dmk.documents.registry import EntryData, register
from dmk.resolutions.models import FollowUp, Resolution


def resolution_entry(resolution: Resolution) -> EntryData:
    """A resolution with its text; visibility as on the resolution (DOMAIN rule 11)."""
    with translation.override("de"):
        url = reverse("website:resolution_detail", kwargs={"slug": resolution.slug})
    public = resolution.visibility == Visibility.PUBLIC
    title = f"{resolution.number} {resolution.title}".strip()
    return EntryData(
        kind=EntryKind.RESOLUTION,
        title=title,
        url=url,
        public_url=url if public else "",
        date=resolution.decided_on,
        visibility=resolution.visibility,
        paper_id=resolution.paper_id,
        meeting_id=resolution.meeting_id,
        agenda_item_id=resolution.agenda_item_id,
        state_ids=[s.pk for s in resolution.initiating_states.all()],
        topic_ids=[t.pk for t in resolution.topics.all()],
        text="\n".join(
            filter(
                None,
                [strip_tags(resolution.text_html), resolution.initiating_note, resolution.notes],
            )
        ),
    )


def followup_entry(followup: FollowUp) -> EntryData:
    """A follow-up (Auftrag): never public, never for guests; internal when its resolution
    is public or internal, else as restricted as its resolution (``visible_followups``)."""
    resolution = followup.resolution
    visibility = (
        Visibility.INTERNAL
        if resolution.visibility in (Visibility.PUBLIC, Visibility.INTERNAL)
        else resolution.visibility
    )
    with translation.override("de"):
        url = reverse("portal:followup_index")
    first_line = followup.task.strip().splitlines()[0] if followup.task.strip() else ""
    return EntryData(
        kind=EntryKind.FOLLOWUP,
        title=f"{first_line[:200]} ({resolution.title[:200]})",
        url=url,
        date=followup.due_date,
        visibility=visibility,
        meeting_id=resolution.meeting_id,
        state_ids=[followup.state_id] if followup.state_id else [],
        topic_ids=[t.pk for t in resolution.topics.all()],
        text="\n".join(filter(None, [followup.task, followup.progress_note])),
    )


def _followups(resolution: Resolution) -> Iterable[FollowUp]:
    return resolution.follow_ups.select_related("resolution")


def register_sources() -> None:
    register(Resolution, resolution_entry, dependents=_followups)
    register(FollowUp, followup_entry)
