"""Wagtail page types of the public website."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from dmk.bodies.models import ChairPeriod
from dmk.meetings.selectors import meeting_list
from dmk.resolutions.selectors import resolution_list


class HomePage(Page):
    """Start page: current chair and Leitthema, next session, latest resolutions."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["current_period"] = (
            ChairPeriod.objects.filter(start_date__lte=today, end_date__gte=today)
            .prefetch_related("chairs")
            .first()
        )
        meetings = meeting_list(user=request.user)
        context["next_meeting"] = (
            meetings.filter(models.Q(start_date__gte=today) | models.Q(start_date__isnull=True))
            .order_by(models.F("start_date").asc(nulls_last=True))
            .first()
        )
        context["latest_resolutions"] = resolution_list(user=request.user)[:5]
        return context
