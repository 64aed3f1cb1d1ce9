"""Back-office views of the core app: the audit log, read-only (issue 4 item 7).

The Geschäftsstelle (``core.view_activitylog``, see ``dmk.accounts.groups``) can list, filter
and inspect audit entries; nobody — not even a superuser — can add, edit or delete one from
the UI: the permission policy refuses every action but ``view``.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from dmk.core.models import ActivityLog


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, but only ever the ``view`` action."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Any) -> bool:
        return self.user_has_any_permission(user, actions)


register_permission_policy(ActivityLog, ReadOnlyPermissionPolicy(ActivityLog))


class ActivityLogViewSet(ModelViewSet):
    """``/verwaltung/protokoll/``: list (filter by action and time), inspect; nothing else."""

    model = ActivityLog
    name = "protokoll"
    icon = "history"
    menu_label = _("Aktivitätsprotokoll")
    menu_order = 900
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["timestamp", "action", "actor", "object_repr", "ip_address"]
    list_filter = ["action", "timestamp"]
    search_fields = ["action", "object_repr"]
    inspect_view_fields = [
        "timestamp",
        "action",
        "actor",
        "ip_address",
        "object_type",
        "object_id",
        "object_repr",
        "data",
    ]
    list_per_page = 50

    def get_urlpatterns(self) -> list[Any]:
        """Only the list, its filtered results and the inspect page: no add, edit, delete,
        copy, history or usage view exists for audit entries."""
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_activity_log_viewset() -> ActivityLogViewSet:
    return ActivityLogViewSet()
