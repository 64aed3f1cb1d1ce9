"""The back-office group "Geschäftsstelle" follows the Geschäftsstelle membership (issue 11
item 1, DOMAIN rule 10, seed §2.4): one source of truth.

``bodies.Membership`` (role ``secretariat``) decides who is the Geschäftsstelle
(:func:`dmk.access.policy.holds_secretariat_membership`); the Django group
``dmk.accounts.groups.SECRETARIAT_GROUP_NAME`` that opens ``/verwaltung/`` is only its copy.
:func:`secretariat_group_sync` brings the copy in line. It runs

- whenever a membership is saved or deleted (``dmk.access.signals``: a handover, a
  membership made or ended in the back office),
- at every login (a membership that starts or ends with a chair period takes effect at the
  next login of the person),
- daily from cron (``manage.py sync_secretariat_group``, docs/operations.md), so that a role
  ended at the last day of a chair period also ends for a session still open.

Which bodies a member of the group may handle in the back office is decided per row by
:func:`dmk.access.policy.backoffice_scope`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from dmk.access.policy import holds_secretariat_membership
from dmk.accounts.groups import SECRETARIAT_GROUP_NAME
from dmk.bodies.models import Membership, MembershipRole, Person
from dmk.core.audit import log_action


@transaction.atomic
def secretariat_group_sync(
    *, users: Iterable[Any] | None = None, day: datetime.date | None = None, actor: Any = None
) -> tuple[list[int], list[int]]:
    """Add to the group "Geschäftsstelle" exactly the users who hold a Geschäftsstelle
    membership in office on ``day`` (Europe/Berlin date, default today) and remove the others.

    ``users`` limits the check to these users (None: every user who is in the group or holds
    any Geschäftsstelle membership). Superusers are left as they are (they need no group).
    Returns ``(added, removed)`` user primary keys, sorted; each change is audited as
    ``access.backoffice_group.added`` / ``removed``. Does nothing when the group does not
    exist (before ``migrate``).
    """
    group = Group.objects.filter(name=SECRETARIAT_GROUP_NAME).first()
    if group is None:
        return [], []
    user_model = get_user_model()
    if users is None:
        candidates = user_model.objects.filter(groups=group) | user_model.objects.filter(
            person__memberships__role=MembershipRole.SECRETARIAT
        )
        users = candidates.distinct()
    added: list[int] = []
    removed: list[int] = []
    for user in users:
        if user is None or user.pk is None or user.is_superuser:
            continue
        should = holds_secretariat_membership(user, day=day)
        has = user.groups.filter(pk=group.pk).exists()
        if should and not has:
            user.groups.add(group)
            added.append(user.pk)
            log_action("access.backoffice_group.added", actor=actor, obj=user)
        elif has and not should:
            user.groups.remove(group)
            removed.append(user.pk)
            log_action("access.backoffice_group.removed", actor=actor, obj=user)
    return sorted(added), sorted(removed)


def sync_for_membership(membership: Membership) -> None:
    """Bring the group of ``membership``'s person in line (after a save or delete)."""
    try:
        person = membership.person
    except Person.DoesNotExist:  # deleted together with its person
        return
    if person.user_id is not None:
        secretariat_group_sync(users=[person.user])
