"""Registers the mailbox viewsets of ``dmk.mailbox.admin`` in the back office."""

from __future__ import annotations

from wagtail import hooks

from dmk.mailbox.admin import MailboxViewSetGroup


@hooks.register("register_admin_viewset")
def register_mailbox_viewsets() -> MailboxViewSetGroup:
    return MailboxViewSetGroup()
