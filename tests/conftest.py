"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from dmk.demo.public_record import LoadResult, load, parse

DATA_DIR: Path = settings.DMK_PUBLIC_RECORD_DIR


@pytest.fixture
def public_record(db) -> LoadResult:
    """The DMK's real public record, loaded from ``data/public-record/``."""
    return load(parse(DATA_DIR))
