"""``migrate``, run across every organisation (ADR 0020).

Migrations are by nature cross-organisation: a data migration must see every landlord's
rows, and PostgreSQL's row-level security applies even to a table's owner (``FORCE``). So
the command runs under ``scopes_disabled()``, which the database sees as ``scope = all``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from safemoves.common.scoping import scopes_disabled


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        with scopes_disabled():
            return super().handle(*args, **options)
