"""Finding cases by postcode, address, phone or perpetrator (cases app, ADR 0022)."""

from __future__ import annotations

from safemoves.organisations.models import Role
from tests.authz.matrix import Route

READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})

ROUTES: tuple[Route, ...] = (
    Route(
        "cases:find",
        READERS,
        methods=("GET", "POST"),
        post_data=lambda world: {"field": "postcode", "query": "ME4 4AA"},
    ),
)
