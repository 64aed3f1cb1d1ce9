"""Receivers that keep the back-office group in line with the Geschäftsstelle membership
(issue 11 item 1; ``dmk.access.backoffice``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dmk.access.backoffice import secretariat_group_sync, sync_for_membership
from dmk.bodies.models import Membership


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    """A membership was made, changed or removed: sync its person's group in the same
    transaction (a handover moves the role and the group together; a membership whose role
    was changed away from Geschäftsstelle loses the group, too)."""
    sync_for_membership(instance)


@receiver(user_logged_in)
def login_sync(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At every login: a role that began or ended with a chair period takes effect."""
    secretariat_group_sync(users=[user])
