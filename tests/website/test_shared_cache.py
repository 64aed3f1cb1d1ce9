"""One page cache for all processes (issue 17 item 2): a purge in one process is seen by
another; the ETag is computed once, when the page is stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache.backends.filebased import FileBasedCache

from dmk.website import caching

pytestmark = pytest.mark.django_db

PURGE = "import django; django.setup(); from dmk.website.caching import purge; purge()"


@pytest.fixture
def file_cache(tmp_path, monkeypatch, settings) -> FileBasedCache:
    """The page cache of this test process in a file cache under ``tmp_path`` — the backend
    production uses without Redis (``settings.CACHES``)."""
    backend = FileBasedCache(str(tmp_path / "cache"), {})
    monkeypatch.setattr(caching, "cache", backend)
    settings.DMK_PAGE_CACHE = True
    return backend


def _purge_in_another_process(cache_dir: Path) -> None:
    env = {**os.environ, "CACHE_DIR": str(cache_dir), "REDIS_URL": ""}
    env["DJANGO_SETTINGS_MODULE"] = "dmk.settings"
    subprocess.run(
        [sys.executable, "-c", PURGE],
        check=True,
        cwd=django_settings.BASE_DIR,
        env=env,
        timeout=120,
    )


def test_a_purge_in_another_process_is_seen_by_this_one(client, file_cache, tmp_path):
    before = client.get("/beschluesse/")
    assert before["X-DMK-Cache"] == "miss"
    assert client.get("/beschluesse/")["X-DMK-Cache"] == "hit"
    version = caching.site_version()

    _purge_in_another_process(tmp_path / "cache")

    assert caching.site_version() > version
    assert client.get("/beschluesse/")["X-DMK-Cache"] == "miss"


def test_the_production_settings_never_keep_pages_in_process_memory(tmp_path):
    """Without Redis the settings choose the file cache, not local memory (checked in a fresh
    interpreter: the test run itself uses local memory)."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {**os.environ, "CACHE_DIR": str(tmp_path), "REDIS_URL": ""}
    env["DJANGO_SETTINGS_MODULE"] = "dmk.settings"
    backend = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        env=env,
        timeout=120,
    ).stdout.strip()
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    backend = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        env=env,
        timeout=120,
    ).stdout.strip()
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_a_cache_hit_serves_the_stored_etag_without_hashing_the_page_again(
    client, file_cache, monkeypatch
):
    first = client.get("/beschluesse/")
    assert first["X-DMK-Cache"] == "miss"

    def no_hashing(*args, **kwargs):
        raise AssertionError("the ETag of a stored page is not computed again")

    monkeypatch.setattr(caching.hashlib, "md5", no_hashing)
    hit = client.get("/beschluesse/")
    assert hit["X-DMK-Cache"] == "hit"
    assert hit["ETag"] == first["ETag"]
    assert client.get("/beschluesse/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_public_page_tells_the_proxy_how_long_it_may_keep_it(client, settings):
    settings.DMK_PROXY_CACHE_SECONDS = 7
    response = client.get("/beschluesse/")
    assert response["X-Accel-Expires"] == "7"
    assert response["Cache-Control"] == "public, max-age=300"
