"""The API's authorisation matrix: every operation, the token purpose that may call it, and how
to reach landlord A's object. ``test_api_matrix.py`` fails when the OpenAPI document has an
operation this table does not describe; ``test_matrix.py`` counts these URL names as described.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safemoves.api.models import TokenPurpose
from tests.factories import World


@dataclass(frozen=True)
class ApiRoute:
    operation_id: str
    method: str
    purpose: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    # True when the URL names landlord A's object: landlord B's tokens of the right purpose get 404.
    targets_object: bool = False


def _home_body(world: World) -> dict[str, Any]:
    from tests.api.factories import HOME_JSON

    return dict(HOME_JSON)


def _referral_body(world: World) -> dict[str, Any]:
    from tests.api.factories import REFERRAL_JSON

    return dict(REFERRAL_JSON)


API_ROUTES: tuple[ApiRoute, ...] = (
    ApiRoute(
        "referral_create",
        "POST",
        TokenPurpose.AGENCY,
        lambda w: "/api/v1/referrals",
        body=_referral_body,
    ),
    ApiRoute("referral_list", "GET", TokenPurpose.AGENCY, lambda w: "/api/v1/referrals"),
    ApiRoute(
        "referral_get",
        "GET",
        TokenPurpose.AGENCY,
        lambda w: f"/api/v1/referrals/{w.extra['referral_id']}",
        targets_object=True,
    ),
    ApiRoute(
        "home_create",
        "POST",
        TokenPurpose.HOUSING_SYSTEM,
        lambda w: "/api/v1/homes",
        body=_home_body,
    ),
    ApiRoute(
        "home_get",
        "GET",
        TokenPurpose.HOUSING_SYSTEM,
        lambda w: f"/api/v1/homes/{w.extra['home_id']}",
        targets_object=True,
    ),
    ApiRoute(
        "home_update",
        "PUT",
        TokenPurpose.HOUSING_SYSTEM,
        lambda w: f"/api/v1/homes/{w.extra['home_id']}",
        body=lambda w: {**_home_body(w), "bedrooms": 4, "version": 1},
        targets_object=True,
    ),
    ApiRoute(
        "home_withdraw",
        "POST",
        TokenPurpose.HOUSING_SYSTEM,
        lambda w: f"/api/v1/homes/{w.extra['home_id']}/withdraw",
        body=lambda w: {"version": 1},
        targets_object=True,
    ),
    ApiRoute("offer_list", "GET", TokenPurpose.HOUSING_SYSTEM, lambda w: "/api/v1/offers"),
    ApiRoute("case_list", "GET", TokenPurpose.STAFF, lambda w: "/api/v1/cases"),
    ApiRoute(
        "case_get",
        "GET",
        TokenPurpose.STAFF,
        lambda w: f"/api/v1/cases/{w.extra['case_id']}",
        targets_object=True,
    ),
)

# URL patterns of the API that no operation serves: ninja's root (always "not found"; ninja
# reverses it to learn the API's prefix).
API_ROOT = "api:api-root"
API_URL_NAMES = frozenset({f"api:{route.operation_id}" for route in API_ROUTES} | {API_ROOT})
