"""The plan a database would run a queryset by (tests of which index a statement can use)."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from django.db import connection
from django.db.models import QuerySet


def plan(queryset: QuerySet[Any]) -> str:
    """The plan the database would run ``queryset`` by; on PostgreSQL, the generic plan of the
    statement prepared with its values as parameters, as a prepared statement runs once it has
    run a few times (ADR 0032)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row) for row in cursor.fetchall())
        numbers = iter(range(1, len(params) + 1))
        prepared = re.sub(r"%s", lambda _match: f"${next(numbers)}", sql)
        values = ", ".join(psycopg.sql.Literal(value).as_string(connection.connection) for value in params)
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE plan_probe AS {prepared}")
        try:
            cursor.execute(f"EXPLAIN EXECUTE plan_probe({values})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE plan_probe")
