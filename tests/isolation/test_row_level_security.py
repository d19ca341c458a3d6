"""PostgreSQL row-level security, the second wall (ADR 0020).

The suite runs on PostgreSQL as the application role (tests/conftest.py), so these tests
read through the policies exactly as the application does. On SQLite they are skipped.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django.fixtures import Settings

from safemoves.common import rls
from safemoves.common.checks import organisation_owned_models
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.demo.cases import seed_demo_cases
from safemoves.demo.properties import seed_demo_homes
from safemoves.demo.reciprocal import seed_demo_requests
from safemoves.demo.safety import seed_demo_risk_and_safety
from safemoves.organisations.models import Organisation
from tests.conftest import as_table_owner

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
]


def _tables() -> list[str]:
    return [table for table, _column in rls.organisation_tables()]


def _count(table: str, where: str = "TRUE", params: tuple[int, ...] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params)  # noqa: S608 - table names from the models
        count: int = cursor.fetchone()[0]
    return count


def _seed_small_consortium() -> dict[str, dict[int, int]]:
    """A small demo consortium (every kind of row, few of each), and each table's row count per
    organisation as the table owner sees it, past the policies."""
    call_command("seed_demo", "--no-cases", verbosity=0)
    seed_demo_cases(per_officer=1)
    seed_demo_risk_and_safety()
    seed_demo_homes(per_landlord=2)
    seed_demo_requests(per_landlord=1)
    counts: dict[str, dict[int, int]] = {}
    with as_table_owner(connection), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] != rls.app_role()
        for table in _tables():
            cursor.execute(f'SELECT organisation_id, count(*) FROM "{table}" GROUP BY 1')  # noqa: S608
            counts[table] = {organisation: n for organisation, n in cursor.fetchall() if organisation is not None}
    return counts


def test_the_suite_runs_as_the_application_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (rls.app_role(), False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone()[0] == 0


def test_every_organisation_owned_table_has_the_policy_enabled_and_forced() -> None:
    models = organisation_owned_models()
    assert len(models) >= 25  # the walk finds the models, not an empty list
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                """SELECT c.relrowsecurity, c.relforcerowsecurity, p.polname, pg_get_expr(p.polqual, p.polrelid),
                          pg_get_expr(p.polwithcheck, p.polrelid), p.polcmd
                   FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid
                   WHERE c.oid = %s::regclass""",
                [table],
            )
            rows = cursor.fetchall()
            assert len(rows) == 1, (model._meta.label, rows)
            enabled, forced, name, using, check, command = rows[0]
            assert (enabled, forced, name, command) == (True, True, rls.POLICY_NAME, "*"), model._meta.label
            for expression in (using, check):
                assert "safemoves.organisation" in expression, model._meta.label
                assert "safemoves.scope" in expression, model._meta.label


def test_the_application_role_reads_only_the_scoped_organisation(settings: Settings) -> None:
    settings.DEMO = True
    seeded = _seed_small_consortium()
    filled = [table for table, per_organisation in seeded.items() if sum(per_organisation.values())]
    assert len(filled) >= 15, filled  # the demo data reaches most tables, so the zeros below mean something

    # No organisation set: not one row of any organisation-owned table.
    for table in _tables():
        assert _count(table) == 0, table

    # Organisation A set: all of A's rows, none of B's (nor anyone else's).
    with scopes_disabled():
        a, b = Organisation.objects.order_by("pk")[:2]
    with organisation_scope(a.pk):
        for table in _tables():
            assert _count(table) == seeded[table].get(a.pk, 0), table
            assert _count(table, "organisation_id <> %s", (a.pk,)) == 0, table
            assert _count(table, "organisation_id = %s", (b.pk,)) == 0, table

    # The explicit cross-organisation mechanism reads every organisation's rows.
    with scopes_disabled():
        for table in _tables():
            assert _count(table, "organisation_id IS NOT NULL") == sum(seeded[table].values()), table


def test_a_row_cannot_be_moved_to_or_changed_in_another_organisation(world: object) -> None:
    from tests.factories import World

    assert isinstance(world, World)
    a, b = world.a.organisation.pk, world.b.organisation.pk
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM organisations_membership WHERE organisation_id = %s", [b])
        b_members = cursor.fetchone()[0]
    assert b_members > 0
    with organisation_scope(a), connection.cursor() as cursor:
        cursor.execute("UPDATE organisations_membership SET role = role WHERE organisation_id = %s", [b])
        assert cursor.rowcount == 0  # B's rows are invisible, so not updated
        with pytest.raises(Exception, match="row-level security"), transaction.atomic():
            cursor.execute(
                "UPDATE organisations_membership SET organisation_id = %s WHERE organisation_id = %s", [b, a]
            )


@transaction.atomic
def _read_in_a_savepoint_then_roll_back(organisation_id: int) -> None:
    with organisation_scope(organisation_id):
        _count("organisations_membership")  # ... and, inside the savepoint, this one
    raise RuntimeError


def test_a_rolled_back_scope_change_is_sent_again() -> None:
    """A set_config inside a rolled-back savepoint is undone by the database; the backend must
    not believe it still holds (it would then run the next query with the older setting)."""
    organisation = Organisation.objects.create(name="Lone", slug="lone", kind=Organisation.Kind.COUNCIL)
    with scopes_disabled():
        _count("organisations_membership")  # the session now says: every organisation
    with pytest.raises(RuntimeError):
        _read_in_a_savepoint_then_roll_back(organisation.pk)
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('safemoves.organisation'), current_setting('safemoves.scope')")
        assert cursor.fetchone() == (str(organisation.pk), "")


def test_only_a_select_that_cannot_read_a_policy_table_skips_the_settings(world: object) -> None:
    """ADR 0033: the settings follow the scope before every statement that could depend on
    them; a SELECT naming no organisation-owned table (the session, the device) runs as it is."""
    from tests.factories import World

    assert isinstance(world, World)
    a = world.a.organisation.pk
    assert not rls.depends_on_scope('SELECT "django_session"."session_data" FROM "django_session" WHERE x = %s')
    for sql in (
        'SELECT "cases_case"."id" FROM "cases_case"',
        "select 1 from organisations_membership",
        "SELECT 1 FROM CASES_CASE",
        "SELECT current_setting('safemoves.organisation')",
        'UPDATE "django_session" SET "session_data" = %s',
        'INSERT INTO "django_session" VALUES (%s)',
        "WITH x AS (SELECT 1) SELECT * FROM x",
    ):
        assert rls.depends_on_scope(sql), sql
    with scopes_disabled():
        _count("organisations_membership")  # the session now says: every organisation
    with organisation_scope(a), connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "django_session"')  # not synced: it reads no policy table
        assert connection.rls_state == ("", "all")  # type: ignore[attr-defined]  # our backend's
        cursor.execute("SELECT count(*) FROM organisations_membership WHERE organisation_id <> %s", [a])
        assert cursor.fetchone() == (0,)  # synced before a policy table is read
        assert connection.rls_state == (str(a), "")  # type: ignore[attr-defined]


def test_a_statement_prepared_on_the_server_still_reads_only_the_scoped_organisation(world: object) -> None:
    """ADR 0032: a statement the connection keeps running is prepared and planned once; the
    policy still reads the organisation when the statement runs, not when it was planned."""
    from tests.cases.factories import make_case
    from tests.factories import World

    assert isinstance(world, World)
    ids = {}
    for landlord in (world.a, world.b):
        with organisation_scope(landlord.organisation.pk):
            ids[landlord.organisation.pk] = str(make_case(landlord).pk)
    sql = 'SELECT id::text FROM "cases_case" ORDER BY id'  # no WHERE: only the policy filters

    def read() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

    for _ in range(6):  # past psycopg's prepare_threshold (5, settings)
        with organisation_scope(world.a.organisation.pk):
            assert read() == [ids[world.a.organisation.pk]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [sql])
        assert cursor.fetchone()[0] == 1  # prepared on the server, not sent afresh each time
    with organisation_scope(world.b.organisation.pk):
        assert read() == [ids[world.b.organisation.pk]]
    assert read() == []  # no organisation: nothing
    with organisation_scope(world.a.organisation.pk):
        assert read() == [ids[world.a.organisation.pk]]


def test_a_read_after_a_scope_change_goes_with_the_settings_in_one_round_trip(
    world: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0020, addendum: the settings and the SELECT that needs them share one pipeline; the
    read still sees only the organisation just set. A write is sent after the settings, alone."""
    from tests.factories import World

    assert isinstance(world, World)
    a, b = world.a.organisation.pk, world.b.organisation.pk
    connection.ensure_connection()
    pipeline_class = type(connection.connection)
    real_pipeline = pipeline_class.pipeline
    opened: list[int] = []

    def pipeline(self: object, *args: object, **kwargs: object) -> object:
        opened.append(1)
        return real_pipeline(self, *args, **kwargs)

    monkeypatch.setattr(pipeline_class, "pipeline", pipeline)
    with scopes_disabled():
        _count("organisations_membership")  # the session now says: every organisation
    opened.clear()

    def organisations() -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT organisation_id FROM organisations_membership")  # only the policy filters
            return {row[0] for row in cursor.fetchall()}

    with organisation_scope(a):
        assert organisations() == {a}
        assert len(opened) == 1
        assert organisations() == {a}  # the settings already hold: no pipeline
        assert len(opened) == 1
    with organisation_scope(b):
        assert organisations() == {b}
        assert len(opened) == 2
    with organisation_scope(a), connection.cursor() as cursor:
        cursor.execute("UPDATE organisations_membership SET role = role WHERE organisation_id = %s", [b])
        assert cursor.rowcount == 0  # B's rows are invisible: the settings came first
        assert len(opened) == 2
        assert connection.rls_state == (str(a), "")  # type: ignore[attr-defined]  # our backend's
