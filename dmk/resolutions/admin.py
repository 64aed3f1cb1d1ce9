"""Back office ``/verwaltung/`` for the follow-ups of resolutions (issue 6 item 6): a Wagtail
viewset with filters (status, overdue, Land, Gremium) and search. The owner rule (exactly one
of Gremium and Land) and the due date rule surface as German form errors through
``FollowUp.clean()``; the database constraint stays the last line of defence. Registered in
``dmk.resolutions.wagtail_hooks``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.widgets import BooleanRadioSelect

from dmk.core.audit import log_action
from dmk.core.backoffice import BodyScopedViewSet
from dmk.resolutions.models import PENDING_STATUSES, FollowUp


class FollowUpFilterSet(WagtailFilterSet):
    """Status, Land and Gremium as in the model; ``overdue``: still open or in progress and
    due before today (Europe/Berlin)."""

    overdue = django_filters.BooleanFilter(
        label=_("überfällig"), method="filter_overdue", widget=BooleanRadioSelect
    )

    class Meta:
        model = FollowUp
        fields = ["status", "state", "organization"]

    def filter_overdue(self, queryset: QuerySet[FollowUp], name: str, value: Any) -> Any:
        if value is None:
            return queryset
        overdue = {"status__in": PENDING_STATUSES, "due_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


def _audit(action: str, request: Any, followup: FollowUp, **data: Any) -> None:
    log_action(
        f"resolutions.followup.{action}",
        actor=request.user,
        obj=followup,
        data={"resolution": followup.resolution_id, "status": followup.status, **data},
    )


class FollowUpCreateView(generic.CreateView):
    """Wagtail's create view, audited like ``followup_create`` (every write is audited)."""

    def save_instance(self) -> FollowUp:
        followup = super().save_instance()
        _audit("created", self.request, followup, via="back office")
        return followup


class FollowUpEditView(generic.EditView):
    """Wagtail's edit view, audited like ``followup_update_status`` with the old status."""

    def save_instance(self) -> FollowUp:
        before = FollowUp.objects.filter(pk=self.object.pk).values_list("status", flat=True)
        status_from = before.first()
        followup = super().save_instance()
        _audit("updated", self.request, followup, status_from=status_from, via="back office")
        return followup


class FollowUpViewSet(BodyScopedViewSet):
    name = "auftraege"
    model = FollowUp
    icon = "tasks"
    menu_label = _("Aufträge (Nachverfolgung)")
    add_view_class = FollowUpCreateView
    edit_view_class = FollowUpEditView
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["task", "resolution", "owner", "due_date", "status", "done_on"]
    filterset_class = FollowUpFilterSet
    search_fields = ["task", "progress_note", "resolution__title", "resolution__number"]
    form_fields = [
        "resolution",
        "task",
        "organization",
        "state",
        "due_date",
        "status",
        "progress_note",
        "done_on",
    ]
