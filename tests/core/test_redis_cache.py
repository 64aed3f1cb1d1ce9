"""The shared cache on Redis (settings ``REDIS_URL``): several web processes must share
allauth's rate-limit counters and the TOTP replay guard (issue 4 item 3), which a per-process
memory cache cannot do. This machine and CI run Redis on 127.0.0.1:6379."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from dmk.settings import BASE_DIR

REDIS_URL = "redis://127.0.0.1:6379/15"


def _settings_cache_backend(env_redis_url: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    if env_redis_url is not None:
        env["REDIS_URL"] = env_redis_url
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dmk.settings as s; print(s.CACHES['default']['BACKEND'])",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_without_redis_url_the_cache_is_a_file_cache_all_processes_share():
    """Never per-process memory outside the test run (issue 17 item 2): without Redis the
    processes of one machine share a file cache in ``CACHE_DIR``."""
    assert _settings_cache_backend(None) == "django.core.cache.backends.filebased.FileBasedCache"


def test_redis_url_selects_djangos_redis_cache():
    assert _settings_cache_backend(REDIS_URL) == "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"dmk-test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_two_cache_clients_share_a_counter_through_redis(redis_cache):
    """Two clients stand for two web processes: what one counts, the other sees."""
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_cache.key_prefix})
    redis_cache.set("login-failures", 0, timeout=60)
    redis_cache.incr("login-failures")
    other.incr("login-failures")
    assert other.get("login-failures") == 2
    assert redis_cache.get("login-failures") == 2
