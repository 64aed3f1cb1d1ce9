"""Records :class:`dmk.api.models.Withdrawal` rows when a public object stops being public
(OParl 1.1 §2.8, issue 16 item 2): signal receivers, like the website's cache purge
(``dmk.website.apps``), because the change can come from any writer — services, the back
office, a loader.

Before an update or a delete the receiver asks the permission module whether the row was
public (one query); after it, whether it still is (one query). Newly created rows cost
nothing. Whether an object is public is decided only in ``dmk.access.policy``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from dmk.access import policy
from dmk.api.models import Withdrawal, WithdrawalKind
from dmk.bodies.models import Membership, Person
from dmk.meetings.models import AgendaItem, Meeting
from dmk.papers.models import Paper
from dmk.resolutions.models import Resolution

Predicate = Callable[[QuerySet[Any]], QuerySet[Any]]

ROOTS: dict[str, tuple[type[Model], Predicate]] = {
    WithdrawalKind.PAPER: (Paper, policy.public_papers),
    WithdrawalKind.RESOLUTION: (Resolution, policy.public_resolutions),
    WithdrawalKind.MEETING: (Meeting, policy.public_meetings),
    WithdrawalKind.AGENDA_ITEM: (AgendaItem, policy.public_agenda_items),
    WithdrawalKind.MEMBERSHIP: (Membership, policy.public_memberships),
    WithdrawalKind.PERSON: (Person, policy.public_persons),
}
SENDERS: dict[type[Model], str] = {
    Paper: WithdrawalKind.PAPER,
    Resolution: WithdrawalKind.RESOLUTION,
    Meeting: WithdrawalKind.MEETING,
    AgendaItem: WithdrawalKind.AGENDA_ITEM,
    Membership: WithdrawalKind.MEMBERSHIP,
}


def is_public(kind: str, pk: int) -> bool:
    """Whether the row ``pk`` of ``kind`` is public now (``dmk.access.policy``)."""
    model, predicate = ROOTS[kind]
    return predicate(model._default_manager.filter(pk=pk)).exists()


def _objects(instance: Model) -> list[tuple[str, int, Any]]:
    """(kind, pk, created) of the OParl objects whose publicity ``instance`` decides: the
    object itself, and for a membership also its person."""
    kind = SENDERS[type(instance)]
    found = [(kind, instance.pk, getattr(instance, "created_at", None))]
    if isinstance(instance, Membership) and instance.person_id:
        person_created = (
            Person.objects.filter(pk=instance.person_id)
            .values_list("created_at", flat=True)
            .first()
        )
        found.append((WithdrawalKind.PERSON, instance.person_id, person_created))
    return found


def _remember(instance: Model, **kwargs: Any) -> None:
    """pre_save / pre_delete: note which objects are public before the write."""
    if instance._state.adding or instance.pk is None:
        instance._oparl_was_public = set()
        return
    instance._oparl_was_public = {
        (kind, pk) for kind, pk, _created in _objects(instance) if is_public(kind, pk)
    }


def _record(instance: Model, *, deleted: bool = False) -> None:
    was = getattr(instance, "_oparl_was_public", set())
    for kind, pk, created in _objects(instance):
        gone = deleted and kind == SENDERS[type(instance)]
        now = False if gone else is_public(kind, pk)
        if now and (kind, pk) not in was:
            Withdrawal.objects.filter(kind=kind, object_id=pk).delete()
        elif not now and (kind, pk) in was:
            Withdrawal.objects.update_or_create(
                kind=kind,
                object_id=pk,
                defaults={
                    "object_created": created or timezone.now(),
                    "withdrawn_at": timezone.now(),
                },
            )


def _saved(sender: type[Model], instance: Model, created: bool = False, **kwargs: Any) -> None:
    # a new row was never public before; a new membership may make its person public again
    if created and not isinstance(instance, Membership):
        return
    _record(instance)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _record(instance, deleted=True)


def connect() -> None:
    """Connect the receivers (``ApiConfig.ready``)."""
    for model in SENDERS:
        uid = f"dmk-api-withdrawal-{model._meta.label}"
        pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_remember, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-post-delete")
