"""Each test starts with no password-reset requests counted (the throttle cache is on disk)."""

from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _no_counted_requests() -> None:
    caches["throttle"].clear()
