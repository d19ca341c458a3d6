"""The API documentation page and the organisation administrator's API tokens page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.api import policies, selectors, services
from safemoves.api.core import api
from safemoves.api.forms import ApiTokenForm
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest


def _operations() -> list[dict[str, Any]]:
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": ", ".join(operation.get("tags", [])),
                    "statuses": ", ".join(sorted(str(status) for status in operation.get("responses", {}))),
                }
            )
    return operations


@login_not_required  # what the API offers is public; every operation needs a token
@require_GET
def docs_view(request: HttpRequest) -> HttpResponse:
    """The operations of the API, read from its OpenAPI document: no script, no outside asset."""
    return render(
        request,
        "api/docs.html",
        {"operations": _operations(), "description": api.description, "version": api.version},
    )


@allowed_if(policies.can_manage_api_tokens)
@require_http_methods(["GET", "POST"])
def tokens_view(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None,
        links=selectors.token_links(membership),
        members=selectors.token_members(membership),
    )
    new_token = new_secret = None
    if request.method == "POST" and (
        issued := submit(
            form,
            lambda data: services.api_token_create(
                membership=membership,
                name=data["name"],
                purpose=data["purpose"],
                days=data["days"],
                acting_member=data["acting_member"],
                referral_link=data["referral_link"],
                rate_per_minute=data["rate_per_minute"],
            ),
        )
    ):
        new_token, new_secret = issued.result
        form = ApiTokenForm(links=selectors.token_links(membership), members=selectors.token_members(membership))
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": selectors.api_tokens(membership), "new_token": new_token, "new_secret": new_secret},
    )


@allowed_if(policies.can_manage_api_tokens)
@require_POST
def token_revoke_view(request: StaffRequest, token_id: int) -> HttpResponse:
    token = selectors.get_api_token(request.membership, token_id)
    services.api_token_revoke(membership=request.membership, token=token)
    messages.success(request, f"The token {token.name} ({token.prefix}) no longer works.")
    return redirect("api_tokens:tokens")
