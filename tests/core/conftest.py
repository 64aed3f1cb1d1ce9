"""Every test starts with an empty cache: allauth keeps rate limits and used TOTP codes there."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
