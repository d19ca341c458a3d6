from __future__ import annotations

from collections.abc import Iterator

import pytest

from safemoves.common.scoping import organisation_scope
from tests.factories import World


@pytest.fixture
def scoped(world: World) -> Iterator[World]:
    """The world, inside landlord A's organisation scope."""
    with organisation_scope(world.a.organisation.pk):
        yield world
