"""PostgreSQL row-level security: the second wall behind the scoped managers (ADR 0020).

Every organisation-owned table (``checks.organisation_owned_models``) gets ``ENABLE`` and
``FORCE ROW LEVEL SECURITY`` and one policy: a row is visible and writable only when its
``organisation_id`` equals the session setting ``safemoves.organisation``, or when the
setting ``safemoves.scope`` is ``all``.

The settings follow django-scopes' state (see :func:`wanted_settings`): inside
``organisation_scope(A)`` the database sees organisation A; inside ``scopes_disabled()``
(the narrow, explicit cross-organisation mechanism) it sees ``all``; anywhere else it
sees nothing. The database backend ``safemoves.common.db.postgresql`` issues the
``set_config`` before a query only when that state changed since the connection's last
query (and after any rollback, which may have undone it).

The policies, the application role and its grants are applied by a ``post_migrate``
handler, idempotently, so a table added by any later migration is covered without anyone
remembering. The application must connect as (or ``SET ROLE`` to, via the database option
``assume_role``) a role that neither owns the tables nor is a superuser: superusers bypass
row-level security.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.conf import settings
from django.db import connections
from django_scopes import get_scope
from psycopg.pq import PipelineStatus, TransactionStatus

ORGANISATION_SETTING = "safemoves.organisation"
SCOPE_SETTING = "safemoves.scope"
# A new version of the rule gets a new name; the handler drops the older ones.
POLICY_NAME = "safemoves_organisation_v1"
POLICY_PREFIX = "safemoves_organisation_"
RULE = (
    f"organisation_id = nullif(current_setting('{ORGANISATION_SETTING}', true), '')::bigint "
    f"OR current_setting('{SCOPE_SETTING}', true) = 'all'"
)
SET_SQL = f"SELECT set_config('{ORGANISATION_SETTING}', %s, false), set_config('{SCOPE_SETTING}', %s, false)"


def app_role() -> str:
    """The role the application's queries run as (it must not own the tables)."""
    return str(getattr(settings, "SAFEMOVES_DB_APP_ROLE", "safemoves_app"))


def wanted_settings() -> tuple[str, str]:
    """(organisation, scope) for the database, from django-scopes' current state."""
    current: dict[str, Any] = get_scope()
    if not current.get("_enabled", True):
        return ("", "all")
    organisation = current.get("organisation")
    if organisation is None:
        return ("", "")
    return (str(int(organisation)), "")


# Whether a statement's text can depend on the settings, by SQL text (bounded: most statements
# come from code, but a list's IN clause varies in length).
_depends: dict[str, bool] = {}
_MAX_KNOWN = 4_000
_rls_tables: tuple[str, ...] | None = None


def depends_on_scope(sql: str) -> bool:
    """False only for a SELECT that names no organisation-owned table and no setting.

    The policies exist only on organisation-owned tables, and a SELECT fires no trigger, so
    such a statement reads the same rows whatever the settings say: the session's own row, the
    second-factor device, a sequence. Anything else (any other statement, any mention of a
    policy table even in a comment or a string, any reference to the settings) is synced.
    """
    known = _depends.get(sql)
    if known is None:
        global _rls_tables
        if _rls_tables is None:
            _rls_tables = tuple(table for table, _ in organisation_tables())
        text = sql.lstrip().lower()  # an unquoted name is folded to lower case by PostgreSQL
        known = (
            not text.startswith("select")
            or "safemoves." in text
            or "current_setting" in text
            or any(table in text for table in _rls_tables)
        )
        if len(_depends) < _MAX_KNOWN:
            _depends[sql] = known
    return known


def sync_scope(execute: Any, sql: Any, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Execute wrapper: make the session settings match the scope, then run the query.

    A statement whose result cannot depend on the settings (:func:`depends_on_scope`) runs
    without syncing them; the next one that can syncs first. The session row, the user's
    second-factor device and the like are read before the scope is known, so this saves two
    round trips on every signed-in request (ADR 0033). A SELECT that needs the settings changed
    is sent in one pipeline with them (ADR 0020, addendum).
    """
    db = context["connection"]
    wanted = wanted_settings()
    if db.rls_state != wanted and (not isinstance(sql, str) or depends_on_scope(sql)) and _usable(db):
        raw = db.connection
        if not many and _read_in_one_round_trip(raw, sql, context):
            # The settings and the read in one pipeline: one round trip, not two. Should the
            # settings fail, the read is not run (psycopg aborts the rest of the pipeline).
            with db.wrap_database_errors, raw.pipeline():
                raw.execute(SET_SQL, wanted)
                result = execute(sql, params, many, context)
            db.rls_state = wanted
            return result
        with db.wrap_database_errors:
            raw.execute(SET_SQL, wanted)
        db.rls_state = wanted
    return execute(sql, params, many, context)


def sync_in_pipeline(db: Any, sqls: list[str]) -> None:
    """Inside a pipeline open on ``db``'s connection, before statements sent to psycopg's
    cursors directly (``common.bound``, ADR 0039): what :func:`sync_scope` does before each of
    them, done once. The settings are queued first, so every statement after them reads under
    them; the state is recorded as :func:`sync_scope` records it inside a pipeline."""
    wanted = wanted_settings()
    if db.rls_state != wanted and any(depends_on_scope(sql) for sql in sqls) and _usable(db):
        db.connection.execute(SET_SQL, wanted)
        db.rls_state = wanted


def _read_in_one_round_trip(raw: Any, sql: Any, context: dict[str, Any]) -> bool:
    """Whether the settings can go in one pipeline with this statement: a plain SELECT on a
    client-side cursor, outside any pipeline already open (ADR 0035 sends its settings inside
    its own). Anything else (a write, DDL that refuses a transaction block, a server-side
    cursor) is sent after the settings, as before."""
    return (
        isinstance(sql, str)
        and sql[:6].upper() == "SELECT"
        and raw.pgconn.pipeline_status == PipelineStatus.OFF
        and not isinstance(getattr(context.get("cursor"), "cursor", None), psycopg.ServerCursor)
        and psycopg.Pipeline.is_supported()
    )


def _usable(db: Any) -> bool:
    """False in a failed transaction: the query is refused anyway, and the rollback resets the state."""
    raw = db.connection
    return raw is not None and not db.needs_rollback and raw.info.transaction_status != TransactionStatus.INERROR


def organisation_tables() -> list[tuple[str, str]]:
    """(table, organisation column) of every organisation-owned model."""
    # The database backend imports this module while models are being defined: a real cycle.
    from safemoves.common.checks import organisation_owned_models  # noqa: PLC0415

    tables = []
    for model in organisation_owned_models():
        column = model._meta.get_field("organisation").column
        tables.append((model._meta.db_table, column))
    return sorted(set(tables))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def apply(connection: Any) -> list[str]:
    """Create the role if missing, grant it table access, and enable the policy on every
    organisation-owned table that lacks it. Returns the tables changed. Idempotent."""
    if connection.vendor != "postgresql":
        return []
    role = app_role()
    changed: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            return []  # the application role itself (a test's flush): nothing it may change
        cursor.execute(
            f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role)}) THEN
                    CREATE ROLE {_quote(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS;
                  END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$;"""
        )
        cursor.execute("SELECT current_schema()")
        schema = _quote(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {_quote(role)}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {_quote(role)}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {_quote(role)}")
        cursor.execute(
            """SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,
                      coalesce(array_agg(p.polname) FILTER (WHERE p.polname IS NOT NULL), '{}')
               FROM pg_class c
               LEFT JOIN pg_policy p ON p.polrelid = c.oid
               WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
               GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity"""
        )
        state = {name: (forced, list(policies)) for name, forced, policies in cursor.fetchall()}
        for table, column in organisation_tables():
            if table not in state:
                continue  # not created yet (a migration plan stopped short)
            forced, policies = state[table]
            if forced and [p for p in policies if p.startswith(POLICY_PREFIX)] == [POLICY_NAME]:
                continue
            cursor.execute(f"ALTER TABLE {_quote(table)} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {_quote(table)} FORCE ROW LEVEL SECURITY")
            for old in policies:
                if old.startswith(POLICY_PREFIX):
                    cursor.execute(f"DROP POLICY {_quote(old)} ON {_quote(table)}")
            rule = RULE.replace("organisation_id", _quote(column))
            cursor.execute(f"CREATE POLICY {_quote(POLICY_NAME)} ON {_quote(table)} USING ({rule}) WITH CHECK ({rule})")
            changed.append(table)
    return changed


def apply_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Sent once per installed app after the whole plan ran; one pass is enough.
    if getattr(sender, "label", None) != "organisations":
        return
    apply(connections[using])


def grant_for_tests(connection: Any) -> None:
    """What the test runner's flush needs (TRUNCATE, sequence resets); never granted in production,
    where TRUNCATE would step round the policies."""
    if connection.vendor != "postgresql":
        return
    role = _quote(app_role())
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")
