"""Back office (``/verwaltung/``) of the functional mailbox: the mailbox's address, signature,
retention period and acknowledgement (issue 15 items 3 and 4), and the text modules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from dmk.mailbox.models import Mailbox, TextModule


class MailboxViewSet(ModelViewSet):
    name = "postfaecher"
    model = Mailbox
    icon = "mail"
    menu_label = _("Funktionspostfächer")
    copy_view_enabled = False
    add_to_admin_menu = False
    list_display = ["body", "address", "retention_days"]
    form_fields = [
        "body",
        "address",
        "display_name",
        "signature",
        "retention_days",
        "send_acknowledgement",
    ]


class TextModuleViewSet(ModelViewSet):
    name = "textbausteine"
    model = TextModule
    icon = "doc-full"
    menu_label = _("Textbausteine")
    copy_view_enabled = False
    list_display = ["title", "mailbox"]
    search_fields = ["title", "text"]
    form_fields = ["mailbox", "title", "text"]


class MailboxViewSetGroup(ViewSetGroup):
    menu_label = _("Funktionspostfach")
    menu_icon = "mail"
    items = (MailboxViewSet, TextModuleViewSet)
