"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from dmk.demo.public_record import LoadResult, load, parse
from tests.db_image import load_once

DATA_DIR: Path = settings.DMK_PUBLIC_RECORD_DIR


@pytest.fixture
def public_record(db) -> Iterator[LoadResult]:
    """The DMK's real public record, loaded from ``data/public-record/``.

    Loaded once per test process and put back from an image later (``tests/db_image.py``).
    The content-type cache is cleared before and after: after a transactional test has
    flushed the database, content types exist under new ids, and a stale cache would make
    Wagtail's reference index point at ids that are gone (PostgreSQL checks the foreign key).
    """
    ContentType.objects.clear_cache()
    yield load_once("public_record", lambda: load(parse(DATA_DIR)))
    ContentType.objects.clear_cache()


@pytest.fixture
def site_content(public_record) -> None:
    """The real record plus the website's German and English Wagtail pages
    (``load_site_content``), loaded once per test process and put back from an image later."""
    from dmk.website.site_content import load_site_content

    load_once("site_content", load_site_content)


@pytest.fixture(autouse=True)
def _german_after_each_test() -> Iterator[None]:
    """Every test starts and ends in German, the default language: a request under ``/en/``
    leaves English active in the thread that ran it, which would leak into the next test of
    the same process (its messages would then be English)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
