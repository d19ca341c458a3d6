"""Routes of the reports app: the landlord and scheme dashboards, their exports, the board pack
and the CORE lettings export. Each page is about "my own landlord" or "my scheme", not one
object of landlord A, so each landlord's members in the allowed roles may use it."""

from __future__ import annotations

from safemoves.organisations.models import Role
from tests.authz.matrix import Route

MANAGERS = frozenset({Role.MANAGER})
SCHEME_READERS = frozenset({Role.MANAGER, Role.COORDINATOR})

ROUTES: tuple[Route, ...] = (
    Route("reports:landlord", MANAGERS),
    # A download starts a background job (POST); its file is then the starter's alone (routes_ops).
    Route(
        "reports:landlord_export",
        MANAGERS,
        kwargs=lambda world: {"table": "open_by_risk", "fmt": "csv"},
        methods=("POST",),
    ),
    Route("reports:scheme", SCHEME_READERS),
    Route(
        "reports:scheme_export",
        SCHEME_READERS,
        kwargs=lambda world: {"table": "funnel", "fmt": "xlsx"},
        methods=("POST",),
    ),
    Route("reports:board_pack", SCHEME_READERS, methods=("POST",)),
    Route("reports:core_export", MANAGERS, kwargs=lambda world: {"fmt": "csv"}, methods=("POST",)),
)
