"""Reads of resolutions, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dmk.access.policy import visible
from dmk.resolutions.models import Resolution


def resolution_list(*, user: Any) -> QuerySet[Resolution]:
    """Resolutions ``user`` may see, newest first, with meeting, topics and initiating
    Länder loaded."""
    return visible(
        user,
        Resolution.objects.select_related("meeting", "body", "paper").prefetch_related(
            "topics", "initiating_states"
        ),
    )
