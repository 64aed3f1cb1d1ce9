"""Back office ``/verwaltung/`` for meetings and their agenda (issue 5 item 8): read-only
Wagtail viewsets with filters and search, each row and page linked to the portal page where
the Geschäftsstelle edits. Registered in ``dmk.meetings.wagtail_hooks``.

Why read-only: every write of a meeting or agenda item must pass the services of
``dmk.meetings.services`` — ordinals of regular sessions (max + 1 under a lock), slugs,
the OParl state machine with its iCalendar SEQUENCE and e-mails (RFC 5546), the agenda rules
(unique TOP number, DOMAIN rule 5 refused for decision items, rule 9 inviting the
IT-Planungsrat's contact, items with ballots or resolutions never deleted) and the audit log.
Wagtail's generic create/edit views save model forms directly and would bypass all of this;
re-implementing their form saving on top of the services would duplicate the portal's forms
for no gain. So the back office lists and inspects, and "Im Portal bearbeiten" leads to
``/intern/sitzungen/<slug>/`` (meeting page with agenda form and state buttons) or the
item's edit page. :class:`ReadOnlyPolicy` withholds add, change and delete from everybody,
so Wagtail shows no such buttons and refuses those URLs.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from dmk.core.backoffice import BodyScopedViewSet
from dmk.meetings.models import AgendaItem, Meeting

_WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus every write: only "view" (and other non-writing
    actions) can be granted. Writes go through the portal and its services."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in _WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(
            [action for action in actions if action not in _WRITE_ACTIONS]
        )


def portal_url(instance: Meeting | AgendaItem) -> str:
    """Where the Geschäftsstelle edits ``instance`` in the portal: the meeting page, or the
    agenda item's edit page."""
    if isinstance(instance, AgendaItem):
        return reverse(
            "portal:meeting_agenda_item_edit",
            kwargs={"slug": instance.meeting.slug, "item_id": instance.pk},
        )
    return reverse("portal:meeting_detail", kwargs={"slug": instance.slug})


PORTAL_LABEL = _("Im Portal bearbeiten")


class PortalLinkIndexView(generic.IndexView):
    """Listing whose row menu offers "Im Portal bearbeiten"."""

    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(PORTAL_LABEL, url=portal_url(instance), icon_name="edit", priority=5),
        ]


class PortalLinkInspectView(generic.InspectView):
    """Inspect page with an "Im Portal bearbeiten" header button."""

    @property
    def header_buttons(self) -> list[Any]:
        return [HeaderButton(PORTAL_LABEL, url=portal_url(self.object), icon_name="edit")]


class MeetingViewSet(BodyScopedViewSet):
    name = "sitzungen"
    model = Meeting
    icon = "date"
    menu_label = _("Sitzungen")
    index_view_class = PortalLinkIndexView
    inspect_view_class = PortalLinkInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields: list[str] = []  # Wagtail needs a form; ReadOnlyPolicy never shows it
    list_display = ["name", "kind", "ordinal", "state", "start_date", "place"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "place", "venue"]
    inspect_view_fields = [
        "name",
        "kind",
        "ordinal",
        "state",
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "place",
        "venue",
        "video_url",
        "chairs",
        "is_public",
        "ical_sequence",
        "notes",
    ]


class AgendaItemViewSet(BodyScopedViewSet):
    name = "tagesordnungspunkte"
    model = AgendaItem
    icon = "list-ol"
    menu_label = _("Tagesordnungspunkte")
    index_view_class = PortalLinkIndexView
    inspect_view_class = PortalLinkInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields: list[str] = []  # Wagtail needs a form; ReadOnlyPolicy never shows it
    list_display = [
        "title",
        Column("meeting", label=_("Sitzung"), accessor="meeting"),
        "number",
        "kind",
        "public",
        "in_parliamentary_procedure",
        "touches_it_planungsrat",
        "institutional",
    ]
    list_filter = [
        "meeting__state",
        "kind",
        "in_parliamentary_procedure",
        "touches_it_planungsrat",
        "institutional",
    ]
    search_fields = ["title", "number", "meeting__name"]
    inspect_view_fields = [
        "meeting",
        "number",
        "order",
        "title",
        "kind",
        "public",
        "lead_states",
        "co_sponsor_states",
        "lead_note",
        "topics",
        "in_parliamentary_procedure",
        "touches_it_planungsrat",
        "institutional",
    ]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        """The listing names each item's meeting: fetched in the same query."""
        return super().get_index_view_kwargs(
            queryset=AgendaItem.objects.select_related("meeting"), **kwargs
        )


class MeetingViewSetGroup(ViewSetGroup):
    menu_label = _("Sitzungen")
    menu_icon = "date"
    menu_order = 210
    items = (MeetingViewSet, AgendaItemViewSet)
