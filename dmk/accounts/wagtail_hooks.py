"""Registers the invitation pages (``dmk.accounts.admin_views``) in the back office."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dmk.accounts import admin_views
from dmk.accounts.services import can_invite


@hooks.register("register_admin_urls")
def register_invitation_urls() -> list[Any]:
    return [
        path("einladungen/", admin_views.invitation_index, name="accounts_invitations"),
        path(
            "einladungen/<int:pk>/widerrufen/",
            admin_views.invitation_revoke_view,
            name="accounts_invitation_revoke",
        ),
    ]


class InvitationMenuItem(MenuItem):
    """Shown only to users who may invite (the Geschäftsstelle)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_invite(request.user)


@hooks.register("register_admin_menu_item")
def register_invitation_menu_item() -> MenuItem:
    return InvitationMenuItem(
        _("Einladungen"), reverse("accounts_invitations"), icon_name="user", order=850
    )
