"""Meetings and agenda items in the search index (issue 13 item 2; how to register a model:
``dmk/documents/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation

from dmk.core.enums import Visibility
from dmk.documents.models import EntryKind
from dmk.documents.registry import EntryData, register
from dmk.meetings.models import AgendaItem, Meeting


def meeting_entry(meeting: Meeting) -> EntryData:
    """A meeting: public when announced publicly (``is_public``), else internal; guests
    find the meetings they are invited to (``dmk.access.policy.visible_search_entries``)."""
    with translation.override("de"):
        url = reverse("portal:meeting_detail", kwargs={"slug": meeting.slug})
        public_url = meeting.get_absolute_url() if meeting.is_public else ""
    return EntryData(
        kind=EntryKind.MEETING,
        title=meeting.name,
        url=url,
        public_url=public_url,
        date=meeting.start_date,
        visibility=Visibility.PUBLIC if meeting.is_public else Visibility.INTERNAL,
        meeting_id=meeting.pk,
        text="\n".join(filter(None, [meeting.place, meeting.venue, meeting.notes])),
    )


def agenda_item_entry(item: AgendaItem) -> EntryData:
    """An agenda item (TOP): public when marked public on a publicly announced meeting,
    else internal; guests find the items ``visible_agenda_items`` gives them."""
    meeting = item.meeting
    public = item.public and meeting.is_public
    with translation.override("de"):
        url = reverse("portal:meeting_detail", kwargs={"slug": meeting.slug})
        public_url = meeting.get_absolute_url() if public else ""
    title = f"TOP {item.number}: {item.title}" if item.number else item.title
    return EntryData(
        kind=EntryKind.AGENDA_ITEM,
        title=title,
        url=url,
        public_url=public_url,
        date=meeting.start_date,
        visibility=Visibility.PUBLIC if public else Visibility.INTERNAL,
        meeting_id=meeting.pk,
        agenda_item_id=item.pk,
        state_ids=[s.pk for s in item.lead_states.all()],
        topic_ids=[t.pk for t in item.topics.all()],
        text="\n".join(filter(None, [meeting.name, item.lead_note])),
    )


def _meeting_items(meeting: Meeting) -> Iterable[AgendaItem]:
    return meeting.agenda_items.select_related("meeting")


def register_sources() -> None:
    register(Meeting, meeting_entry, dependents=_meeting_items)
    register(AgendaItem, agenda_item_entry)
