"""Back office: the contact messages for the Geschäftsstelle, read-only (issue 7 item 1).

Needs ``website.view_contactmessage`` (superusers have it); list, filter, search and inspect
only — messages are evidence of what the public sent and are not edited.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from dmk.core.wagtail_hooks import ReadOnlyPermissionPolicy
from dmk.website.models import ContactMessage

register_permission_policy(ContactMessage, ReadOnlyPermissionPolicy(ContactMessage))


class ContactMessageViewSet(ModelViewSet):
    """``/verwaltung/kontaktanfragen/``: list and inspect the contact form's messages."""

    model = ContactMessage
    name = "kontaktanfragen"
    icon = "mail"
    menu_label = _("Kontaktanfragen")
    menu_order = 800
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["created", "subject", "name", "email", "language"]
    list_filter = ["language", "created"]
    search_fields = ["subject", "name", "email", "message"]
    inspect_view_fields = ["created", "name", "email", "subject", "message", "language"]
    form_fields = ["name", "email", "subject", "message"]
    list_per_page = 50

    def get_urlpatterns(self) -> list[Any]:
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_contact_message_viewset() -> ContactMessageViewSet:
    return ContactMessageViewSet()
