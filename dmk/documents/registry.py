"""Which objects are searchable and how their index row is built (issue 13 item 2).

How to make a new model searchable (minutes, mailbox messages, exchange files, …):

1. Write a *builder* ``def entry_for_x(obj) -> EntryData | None`` in the model's app (e.g.
   ``dmk/minutes/search.py``): title, portal URL, date, who may see it (``visibility`` and
   ``author_state_id`` as DOMAIN rule 11 has them, ``paper_id``/``meeting_id``/
   ``agenda_item_id`` for guests), facet values and the text. Return None to keep the
   object out of the index (e.g. an unpublished page).
2. In the app's ``AppConfig.ready()`` call ``register(Model, entry_for_x)``; pass
   ``dependents=`` when saving the model changes other entries (a resolution's follow-ups).
3. If the model stores files, call ``register_file_model(FileModel, owner=lambda f: f.x,
   name=lambda f: f.original_name)`` and enqueue
   ``dmk.documents.tasks.extract_file_text_task`` on commit when a file row is created (or
   call :func:`dmk.documents.services.file_text_enqueue`); the builder reads the texts with
   :func:`file_texts` and passes them as ``EntryData.files``.
4. If the visibility of the new kind needs more than ``visibility``/``author_state`` and the
   guest links, extend ``dmk.access.policy.visible_search_entries`` — never filter in views.
5. Run ``manage.py search_reindex`` once after deploying.

Saving or deleting a registered object updates its row at once (signals below), like
Wagtail's own index ("search never stale").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from dmk.documents import text as wordrules
from dmk.documents.models import FileText, SearchEntry

#: The ``terms`` of one row are cut at this many characters (PostgreSQL's tsvector holds at
#: most 1 MB; repeated words are dropped first).
MAX_TERMS_CHARS = 800_000
#: Title words are repeated this often in ``terms``: a hit in the title ranks higher.
TITLE_WEIGHT = 3


@dataclass
class FilePart:
    """The text of one file of an entry: ``name`` (shown in the snippet), ``pages`` (one
    string per page) and ``paged`` (True when page numbers are real, PDF)."""

    name: str
    pages: list[str]
    paged: bool


@dataclass
class EntryData:
    """What a builder says about one object; see the module docstring."""

    kind: str
    title: str
    url: str
    visibility: str
    public_url: str = ""
    date: datetime.date | None = None
    language: str = ""
    author_state_id: int | None = None
    paper_id: int | None = None
    meeting_id: int | None = None
    agenda_item_id: int | None = None
    state_ids: Iterable[int] = ()
    topic_ids: Iterable[int] = ()
    text: str = ""
    files: list[FilePart] = field(default_factory=list)


Builder = Callable[[Any], EntryData | None]
_SOURCES: dict[type[Model], tuple[Builder, Callable[[Any], Iterable[Model]] | None]] = {}
_FILE_MODELS: dict[type[Model], tuple[Callable[[Any], Model | None], Callable[[Any], str]]] = {}


def register(
    model: type[Model],
    builder: Builder,
    *,
    dependents: Callable[[Any], Iterable[Model]] | None = None,
) -> None:
    """Make ``model`` searchable: ``builder(obj)`` gives its row (or None), ``dependents(obj)``
    the other registered objects whose rows change with it."""
    _SOURCES[model] = (builder, dependents)
    from dmk.documents import signals

    signals.connect_source(model)


def register_file_model(
    model: type[Model], *, owner: Callable[[Any], Model | None], name: Callable[[Any], str]
) -> None:
    """Declare ``model`` a stored file: ``owner(file)`` is the registered object whose row
    carries its text, ``name(file)`` its original file name (its extension picks the
    reader)."""
    _FILE_MODELS[model] = (owner, name)


def sources() -> dict[type[Model], Builder]:
    """The registered models and their builders."""
    return {model: builder for model, (builder, _deps) in _SOURCES.items()}


def file_models() -> list[type[Model]]:
    """The registered file models."""
    return list(_FILE_MODELS)


def file_model(model: type[Model]) -> tuple[Callable[[Any], Model | None], Callable[[Any], str]]:
    """``(owner, name)`` of a registered file model; KeyError for any other."""
    return _FILE_MODELS[model]


def file_texts(files: Iterable[Model]) -> list[FilePart]:
    """The extracted texts of ``files`` (rows of one registered file model) as
    :class:`FilePart` s, in the given order; files not read yet are left out. One query."""
    files = list(files)
    if not files:
        return []
    _owner, name_of = _FILE_MODELS[type(files[0])]
    content_type = ContentType.objects.get_for_model(type(files[0]))
    texts = {
        t.file_id: t
        for t in FileText.objects.filter(file_type=content_type, file_id__in=[f.pk for f in files])
    }
    return [
        FilePart(name=name_of(f), pages=list(texts[f.pk].pages), paged=texts[f.pk].paged)
        for f in files
        if f.pk in texts
    ]


def build_terms(data: EntryData) -> str:
    """The ``terms`` of a row: the title's terms :data:`TITLE_WEIGHT` times, then those of
    the text and of every file page; cut at :data:`MAX_TERMS_CHARS` (repeats dropped first)."""
    title = wordrules.terms(data.title)
    parts = title * TITLE_WEIGHT + wordrules.terms(data.text)
    for part in data.files:
        parts += wordrules.terms(part.name)
        for page in part.pages:
            parts += wordrules.terms(page)
    joined = " ".join(parts)
    if len(joined) > MAX_TERMS_CHARS:
        joined = " ".join(dict.fromkeys(parts))[:MAX_TERMS_CHARS].rsplit(" ", 1)[0]
    return f"{joined} {wordrules.END_TERM}"


def _pages_json(data: EntryData) -> list[dict[str, Any]]:
    return [
        {"name": part.name, "page": number if part.paged else None, "text": page}
        for part in data.files
        for number, page in enumerate(part.pages, start=1)
        if page.strip()
    ]


@transaction.atomic
def index_object(obj: Model) -> SearchEntry | None:
    """Write (or remove) the row of ``obj``, a registered object, from its builder; returns
    the row or None when the builder keeps ``obj`` out. Wagtail's backend indexes the row
    on save. Raises KeyError for an unregistered model."""
    registered = _registered_class(type(obj))
    builder, _deps = _SOURCES[registered]
    content_type = ContentType.objects.get_for_model(registered)
    data = builder(obj)
    existing = SearchEntry.objects.filter(source_type=content_type, source_id=obj.pk).first()
    if data is None:
        if existing is not None:
            existing.delete()
        return None
    entry = existing or SearchEntry(source_type=content_type, source_id=obj.pk)
    entry.kind = data.kind
    entry.title = data.title[:500]
    entry.url = data.url[:500]
    entry.public_url = data.public_url[:500]
    entry.date = data.date
    entry.year = data.date.year if data.date else None
    entry.language = data.language
    entry.visibility = data.visibility
    entry.author_state_id = data.author_state_id
    entry.paper_id = data.paper_id
    entry.meeting_id = data.meeting_id
    entry.agenda_item_id = data.agenda_item_id
    entry.body_text = data.text
    entry.pages = _pages_json(data)
    entry.terms = build_terms(data)
    entry.save()
    entry.states.set(list(data.state_ids))
    entry.topics.set(list(data.topic_ids))
    return entry


def index_dependents(obj: Model) -> None:
    """Re-write the rows of the objects registered as depending on ``obj``."""
    _builder, dependents = _SOURCES[_registered_class(type(obj))]
    if dependents is not None:
        for other in dependents(obj):
            index_object(other)


def remove_object(obj: Model) -> None:
    """Delete the row of ``obj`` (after the object itself was deleted)."""
    content_type = ContentType.objects.get_for_model(_registered_class(type(obj)))
    for entry in SearchEntry.objects.filter(source_type=content_type, source_id=obj.pk):
        entry.delete()


def _registered_class(model: type[Model]) -> type[Model]:
    for klass in model.__mro__:
        if klass in _SOURCES:
            return klass
    raise KeyError(model)


def is_registered(model: type[Model]) -> bool:
    """Whether ``model`` (or a parent class, e.g. ``Page``) is registered."""
    try:
        _registered_class(model)
    except KeyError:
        return False
    return True
