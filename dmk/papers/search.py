"""Papers with the text of their files in the search index (issue 13 items 1 and 2; how to
register a model: ``dmk/documents/registry.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation

from dmk.core.enums import Visibility
from dmk.documents.models import EntryKind
from dmk.documents.registry import (
    EntryData,
    file_texts,
    index_object,
    register,
    register_file_model,
)
from dmk.papers.models import Consultation, Paper, PaperFile, SponsorStatus


def current_files(paper: Paper) -> list[PaperFile]:
    """The current version of each file of ``paper`` (highest ``version`` per
    ``original_name``), in name order."""
    newest: dict[str, PaperFile] = {}
    for paper_file in paper.files.order_by("original_name", "-version"):
        newest.setdefault(paper_file.original_name, paper_file)
    return list(newest.values())


def paper_entry(paper: Paper) -> EntryData:
    """A paper with the extracted text of its current files; its visibility and author
    Land as on the paper (DOMAIN rule 11); the meeting of its first consultation."""
    consultation = paper.consultations.select_related("agenda_item").order_by("pk").first()
    meeting_id = None
    if consultation is not None:
        meeting_id = consultation.meeting_id or (
            consultation.agenda_item.meeting_id if consultation.agenda_item else None
        )
    states = set(
        paper.sponsors.filter(status=SponsorStatus.ACCEPTED).values_list("state_id", flat=True)
    )
    if paper.author_state_id:
        states.add(paper.author_state_id)
    with translation.override("de"):
        url = reverse("portal:paper_detail", kwargs={"slug": paper.slug})
        public_url = paper.get_absolute_url() if paper.visibility == Visibility.PUBLIC else ""
    return EntryData(
        kind=EntryKind.PAPER,
        title=paper.title,
        url=url,
        public_url=public_url,
        date=paper.date,
        visibility=paper.visibility,
        author_state_id=paper.author_state_id,
        paper_id=paper.pk,
        meeting_id=meeting_id,
        state_ids=states,
        topic_ids=[t.pk for t in paper.topics.all()],
        text="\n".join(filter(None, [paper.reference, paper.originator_note, paper.text_source])),
        files=file_texts(current_files(paper)),
    )


def _consultation_changed(
    sender: Any, instance: Consultation, raw: bool = False, **kw: Any
) -> None:
    if not raw:
        paper = Paper.objects.filter(pk=instance.paper_id).first()
        if paper is not None:
            index_object(paper)


def register_sources() -> None:
    register(Paper, paper_entry)
    register_file_model(PaperFile, owner=lambda f: f.paper, name=lambda f: f.original_name)
    post_save.connect(_consultation_changed, sender=Consultation, dispatch_uid="dmk-search-cons")
    post_delete.connect(
        _consultation_changed, sender=Consultation, dispatch_uid="dmk-search-cons-d"
    )
