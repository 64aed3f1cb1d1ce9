"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from dmk.demo.public_record import LoadResult, load, parse

DATA_DIR: Path = settings.DMK_PUBLIC_RECORD_DIR


@pytest.fixture
def public_record(db) -> LoadResult:
    """The DMK's real public record, loaded from ``data/public-record/``.

    The content-type cache is cleared first: after a transactional test has flushed the
    database, content types exist under new ids, and a stale cache would make Wagtail's
    reference index point at ids that are gone (PostgreSQL checks the foreign key).
    """
    ContentType.objects.clear_cache()
    return load(parse(DATA_DIR))
