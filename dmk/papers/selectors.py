"""Reads of papers, filtered through the permission module (DOMAIN rule 11)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dmk.access.policy import visible
from dmk.papers.models import Paper


def paper_list(*, user: Any) -> QuerySet[Paper]:
    """Papers ``user`` may see, newest first."""
    return visible(user, Paper.objects.select_related("body", "author_state"))
