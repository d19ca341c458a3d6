"""The API under /api/v1 (OpenAPI at /api/v1/openapi.json, documentation at /api/v1/docs), and the
staff page where an organisation administrator issues and revokes tokens."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safemoves.api import views
from safemoves.api.core import api
from safemoves.api.routers.cases import router as cases_router
from safemoves.api.routers.homes import router as homes_router
from safemoves.api.routers.offers import router as offers_router
from safemoves.api.routers.referrals import router as referrals_router

api.add_router("", referrals_router)
api.add_router("", homes_router)
api.add_router("", offers_router)
api.add_router("", cases_router)


def _api_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            # The API authenticates each request by its token, not a session.
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return list(patterns)


api_v1_patterns: list[URLPattern | URLResolver] = [
    *_api_patterns(),
    path("docs", views.docs_view, name="docs"),
]

app_name = "api_tokens"
urlpatterns = [
    path("api-tokens/", views.tokens_view, name="tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
