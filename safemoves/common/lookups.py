"""``field__in_constants``: an IN list of code constants written into the statement itself.

With server-side binding and prepared statements (ADR 0032) every value of a filter is a
parameter, and PostgreSQL plans a prepared statement generically once it has run a few times:
a generic plan cannot prove that ``action NOT IN ($4, $5, ...)`` implies a partial index's
``action NOT IN ('case.viewed', ...)``, so the index is never used. Written as literals, the
clause is the index's own predicate and the planner matches it in every plan (ADR 0034). A
single constant gives ``x IN ('a')``, which PostgreSQL reads as ``x = 'a'``: the form of the
open-case and triage indexes' predicates.

Only for a fixed tuple of constants from the code: each value must be a short name of letters,
digits and ``_ . : -`` (no quote, no ``%``), checked when the lookup is built, so that nothing
a person typed can reach the SQL text this way.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Lookup
from django.db.models.sql.compiler import SQLCompiler

_CONSTANT = re.compile(r"[A-Za-z0-9_.:-]{1,64}\Z")


class InConstants(Lookup):
    lookup_name = "in_constants"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        values = self.rhs
        if not isinstance(values, tuple) or not values:
            raise TypeError("in_constants takes a non-empty tuple of constants from the code")
        for value in values:
            if not isinstance(value, str) or not _CONSTANT.match(value):
                raise ValueError(f"in_constants: {value!r} is not a plain constant")
        # A choices member (a str subclass) as its plain text, whatever its __str__ says.
        self.rhs = tuple(str.__str__(value) for value in values)
        return self.rhs

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        literals = ", ".join(f"'{value}'" for value in self.rhs)
        return f"{lhs} IN ({literals})", tuple(params)


def register() -> None:
    CharField.register_lookup(InConstants)
