from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    """Each test starts with an unused submission allowance (the limit lives in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
