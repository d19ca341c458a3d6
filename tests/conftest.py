from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.factories import World


@pytest.fixture
def world(db: None) -> World:
    # Imported here so that the pure-library tests (matching, geo) collect without Django.
    from tests.factories import make_world

    return make_world()
