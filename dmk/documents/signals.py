"""Keep the index in step with the registered objects (issue 13 item 2): a save or delete
of a registered object re-writes or removes its row at once."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

_connected: set[type[Model]] = set()


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the re-index command writes the rows afterwards
        return
    from dmk.documents.registry import index_dependents, index_object

    # The row is written in a savepoint (index_object is atomic): if building it fails, the
    # object's own save still stands; the error is logged and search_reindex repairs it.
    try:
        index_object(instance)
        index_dependents(instance)
    except Exception:
        logger.exception("search index: %s %s not indexed", sender._meta.label, instance.pk)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    from dmk.documents.registry import remove_object

    remove_object(instance)


def _m2m(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    from dmk.documents.registry import index_object, is_registered

    if action in {"post_add", "post_remove", "post_clear"} and is_registered(type(instance)):
        try:
            index_object(instance)
        except Exception:
            logger.exception("search index: %s not indexed", instance.pk)


def connect_source(model: type[Model]) -> None:
    """Connect the receivers for ``model`` and its many-to-many fields (topics, Länder)."""
    if model in _connected:
        return
    _connected.add(model)
    uid = f"dmk-search-{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)
    for m2m in model._meta.many_to_many:
        m2m_changed.connect(
            _m2m, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-{m2m.name}", weak=False
        )
