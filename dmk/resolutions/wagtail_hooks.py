"""Registers the follow-up viewset of ``dmk.resolutions.admin`` in the back office."""

from __future__ import annotations

from wagtail import hooks

from dmk.resolutions.admin import FollowUpViewSet


@hooks.register("register_admin_viewset")
def register_followup_viewset() -> FollowUpViewSet:
    return FollowUpViewSet()
