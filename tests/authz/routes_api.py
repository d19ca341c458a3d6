"""Web routes of the API app: the administrator's API tokens page, the API documentation and
its OpenAPI document. The API's own operations are in tests/authz/api_matrix.py (token callers,
not session users)."""

from __future__ import annotations

from safemoves.api.models import TokenPurpose
from safemoves.organisations.models import Role
from tests.authz.matrix import PUBLIC, Route
from tests.factories import World

TOKEN_ADMINS = frozenset({Role.ADMIN})


def _token(world: World) -> None:
    from tests.api.factories import make_token

    token, _secret = make_token(world.a, TokenPurpose.HOUSING_SYSTEM)
    world.extra["api_token_id"] = token.pk


ROUTES: tuple[Route, ...] = (
    Route(
        "api_tokens:tokens",
        TOKEN_ADMINS,
        methods=("GET", "POST"),
        post_data=lambda world: {
            "name": "Probe system",
            "purpose": TokenPurpose.HOUSING_SYSTEM,
            "acting_member": str(world.a[Role.LETTINGS_OFFICER].membership.pk),
            "days": "30",
            "rate_per_minute": "60",
        },
    ),
    Route(
        "api_tokens:token_revoke",
        TOKEN_ADMINS,
        kwargs=lambda world: {"token_id": world.extra["api_token_id"]},
        methods=("POST",),
        targets_object=True,
        setup=_token,
    ),
    # What the API offers is public; every operation needs a token.
    Route("api:docs", PUBLIC),
    Route("api:openapi-json", PUBLIC),
)
