from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture
def keyring_file(settings: Settings, tmp_path: Path) -> Path:
    """A fresh keyring for the test (created on first use, as in the demo)."""
    path = tmp_path / "keyring.json"
    settings.SAFEMOVES_KEYRING_FILE = path
    settings.SAFEMOVES_KEYRING_AUTOCREATE = True
    return path
