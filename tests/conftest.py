from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.factories import World


@pytest.fixture
def world(db: None) -> World:
    # Imported here so that the pure-library tests (matching, geo) collect without Django.
    from tests.factories import make_world

    return make_world()


@pytest.fixture(autouse=True)
def _audit_triggers_allow_test_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush (DELETE or TRUNCATE of every table), which the
    audit log's append-only triggers refuse; lift them for the flush only."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from safemoves.audit import triggers

    triggers.install(connection)
    yield
    triggers.remove(connection)
