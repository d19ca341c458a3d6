"""Migration cases 0002 encrypts how consent was given, in rows that already exist."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safemoves.common import rls
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.conftest import as_table_owner
from tests.factories import make_world

BEFORE = [("cases", "0001_initial")]
AFTER = [("cases", "0002_consent_how_given_encrypted")]
WORDS = "Verbally, on her sister's phone at 14 Elm Road"


@pytest.mark.django_db(transaction=True)
def test_existing_consents_are_encrypted_and_read_back_unchanged() -> None:
    world = make_world()
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with scopes_disabled():
        consent_id = case.consents.get().pk

    # Migrations run as the table owner (on PostgreSQL the tests otherwise run as the
    # application role, under row-level security: ADR 0020).
    with as_table_owner(connection):
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_consent SET how_given = %s WHERE id = %s", [WORDS, consent_id.hex])
            if cursor.rowcount == 0:  # PostgreSQL stores UUIDs natively
                cursor.execute("UPDATE cases_consent SET how_given = %s WHERE id = %s", [WORDS, str(consent_id)])
            assert cursor.rowcount == 1

        try:
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate(AFTER)

            with connection.cursor() as cursor:
                cursor.execute("SELECT how_given FROM cases_consent")
                stored = [row[0] for row in cursor.fetchall()]
        finally:
            # Back to the latest schema (going back to 0001 also unapplied every later migration
            # of every app built on cases), and on PostgreSQL the policies and grants on the
            # tables that were dropped and made again: later tests need both.
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate(executor.loader.graph.leaf_nodes())
            rls.apply(connection)
            rls.grant_for_tests(connection)
        assert len(stored) == 1
        assert "Elm Road" not in stored[0]
        assert "Verbally" not in stored[0]

    from safemoves.cases.models import Consent

    with scopes_disabled():
        assert Consent.objects.get(pk=consent_id).how_given == WORDS
