from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.factories import World


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """On PostgreSQL the suite runs as the application role, so row-level security is live
    (ADR 0020): migrations ran as the connecting superuser; every later session SET ROLEs."""
    from django.db import connections

    from safemoves.common import rls

    postgres = [c for c in connections.all() if c.vendor == "postgresql"]
    with django_db_blocker.unblock():
        for connection in postgres:
            rls.grant_for_tests(connection)
            connection.settings_dict.setdefault("OPTIONS", {})["assume_role"] = rls.app_role()
            connection.close()
    yield
    with django_db_blocker.unblock():
        for connection in postgres:
            connection.settings_dict["OPTIONS"].pop("assume_role", None)
            connection.close()


@contextmanager
def as_table_owner(connection: Any) -> Iterator[None]:
    """Leave the application role for a moment (test housekeeping that alters tables)."""
    role = connection.settings_dict.get("OPTIONS", {}).get("assume_role")
    if connection.vendor != "postgresql" or not role:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(connection.ops.compose_sql("SET ROLE %s", [role]))


@pytest.fixture
def world(db: None) -> World:
    # Imported here so that the pure-library tests (matching, geo) collect without Django.
    from tests.factories import make_world

    return make_world()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters, lockout and cached figures are per test, as the database is."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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

    with as_table_owner(connection):
        triggers.install(connection)
    yield
    with as_table_owner(connection):
        triggers.remove(connection)
