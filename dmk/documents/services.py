"""Writing extracted text (issue 13 item 1)."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from dmk.documents.extraction import ExtractedText, extract_text
from dmk.documents.models import FileText
from dmk.documents.registry import file_model, index_object

logger = logging.getLogger(__name__)


def file_text_store(*, file: Model) -> FileText:
    """Read the text of ``file`` (a row of a model registered with
    ``register_file_model``, whose ``file`` field holds the stored file), store it as its
    :class:`FileText` (replacing an older one) and re-index the file's owner.

    Never raises for the file's content: a broken, encrypted or unreadable file is stored
    with that status (a missing file on disk counts as ``broken``), so the job queue never
    retries it in a loop. Raises KeyError for an unregistered model.
    """
    owner_of, name_of = file_model(type(file))
    try:
        with file.file.open("rb") as handle:
            result = extract_text(handle, name=name_of(file))
    except OSError as exc:
        result = ExtractedText("broken", detail=f"{type(exc).__name__}: {exc}"[:300])
    with transaction.atomic():
        text, _created = FileText.objects.update_or_create(
            file_type=ContentType.objects.get_for_model(type(file)),
            file_id=file.pk,
            defaults={
                "status": result.status,
                "pages": result.pages,
                "paged": result.paged,
                "chars": result.chars,
                "detail": result.detail,
            },
        )
        owner = owner_of(file)
        if owner is not None:
            index_object(owner)
    return text


def file_text_enqueue(file: Model) -> None:
    """Queue the text extraction of ``file`` once the current transaction commits (house
    rule: tasks are enqueued with ``transaction.on_commit``)."""
    from dmk.documents.tasks import extract_file_text_task

    label = file._meta.label
    pk = file.pk
    transaction.on_commit(lambda: extract_file_text_task.enqueue(label, pk))


def file_text_for(file: Model) -> FileText | None:
    """The stored text of ``file``, or None if it has not been read yet."""
    return FileText.objects.filter(
        file_type=ContentType.objects.get_for_model(type(file)), file_id=file.pk
    ).first()


def load_file(label: str, pk: int) -> Model | None:
    """The file row ``label`` (``app_label.Model``) ``pk``, or None if it is gone."""
    return apps.get_model(label).objects.filter(pk=pk).first()
