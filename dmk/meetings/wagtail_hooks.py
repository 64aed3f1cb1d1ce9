"""Registers the read-only meeting viewsets of ``dmk.meetings.admin`` in the back office,
after their :class:`~dmk.meetings.admin.ReadOnlyPolicy` (registered first, so the viewsets
pick it up)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from dmk.meetings.admin import MeetingViewSetGroup, ReadOnlyPolicy
from dmk.meetings.models import AgendaItem, Meeting

register_permission_policy(Meeting, ReadOnlyPolicy(Meeting), exact_class=True)
register_permission_policy(AgendaItem, ReadOnlyPolicy(AgendaItem), exact_class=True)


@hooks.register("register_admin_viewset")
def register_meeting_viewsets() -> MeetingViewSetGroup:
    return MeetingViewSetGroup()
