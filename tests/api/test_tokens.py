"""API tokens: issued once by an administrator, stored only as a digest, scoped to one purpose,
expiring, revocable, rate limited, every use counted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.api.models import ApiToken, TokenPurpose
from safemoves.api.services import api_token_create
from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.api.factories import bearer, make_token
from tests.factories import World, sign_in

pytestmark = pytest.mark.django_db


def test_admin_issues_a_token_shown_once_and_stored_as_a_digest(world: World) -> None:
    client = sign_in(Client(), world.a[Role.ADMIN])
    response = client.post(
        reverse("api_tokens:tokens"),
        {
            "name": "Housing system",
            "purpose": TokenPurpose.HOUSING_SYSTEM,
            "acting_member": str(world.a[Role.LETTINGS_OFFICER].membership.pk),
            "days": "30",
            "rate_per_minute": "60",
        },
    )
    page = response.content.decode()
    secret = re.search(r'value="(smk_[A-Za-z0-9]+_[A-Za-z0-9_-]+)"', page)
    assert secret is not None
    with organisation_scope(world.a.organisation.pk):
        token = ApiToken.objects.get()
    assert len(token.digest) == 64
    assert secret.group(1) not in token.digest
    assert secret.group(1).startswith(f"smk_{token.prefix}_")
    assert Client().get("/api/v1/offers", **bearer(secret.group(1))).status_code == 200
    assert secret.group(1) not in client.get(reverse("api_tokens:tokens")).content.decode()


def test_a_token_needs_a_member_who_may_act_for_its_purpose(world: World) -> None:
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        api_token_create(
            membership=world.a[Role.ADMIN].membership,
            name="Cases",
            purpose=TokenPurpose.STAFF,
            days=30,
            acting_member=world.a[Role.LETTINGS_OFFICER].membership,
        )
    assert list(caught.value.message_dict) == ["acting_member"]


def test_revoked_and_expired_tokens_are_refused(world: World) -> None:
    token, secret = make_token(world.a, TokenPurpose.AGENCY)
    client = sign_in(Client(), world.a[Role.ADMIN])
    assert Client().get("/api/v1/referrals", **bearer(secret)).status_code == 200

    client.post(reverse("api_tokens:token_revoke", kwargs={"token_id": token.pk}))

    assert Client().get("/api/v1/referrals", **bearer(secret)).status_code == 401
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).count() == 1
    other, other_secret = make_token(world.a, TokenPurpose.AGENCY)
    with scopes_disabled():
        ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get("/api/v1/referrals", **bearer(other_secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_every_use_is_counted_and_dated(world: World) -> None:
    token, secret = make_token(world.a, TokenPurpose.STAFF)
    for _ in range(3):
        Client().get("/api/v1/cases", **bearer(secret))
    with organisation_scope(world.a.organisation.pk):
        token.refresh_from_db()
    assert token.uses == 3
    assert token.last_used_at is not None


def test_the_rate_limit_is_per_token(world: World) -> None:
    cache.clear()
    _token, secret = make_token(world.a, TokenPurpose.STAFF, rate_per_minute=2)
    _other, other_secret = make_token(world.a, TokenPurpose.STAFF, rate_per_minute=2)
    statuses = [Client().get("/api/v1/cases", **bearer(secret)).status_code for _ in range(3)]
    limited = Client().get("/api/v1/cases", **bearer(secret))
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert Client().get("/api/v1/cases", **bearer(other_secret)).status_code == 200


def test_bad_input_is_a_problem_naming_each_field(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.HOUSING_SYSTEM)
    response = Client().post(
        "/api/v1/homes",
        '{"address": "1 Road\\u0000", "postcode": 5, "bedrooms": 99999999999999999999999, "weekly_rent": "NaN"}',
        content_type="application/json",
        **bearer(secret, idempotency_key="bad"),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (422, "Some fields are not valid")
    assert {error["field"] for error in problem["errors"]} >= {
        "address",
        "postcode",
        "bedrooms",
        "weekly_rent",
        "tenancy_offered",
        "available_from",
    }
    bad_json = Client().post(
        "/api/v1/homes", "{not json", content_type="application/json", **bearer(secret, idempotency_key="bad2")
    )
    assert bad_json.status_code == 400
    assert bad_json["Content-Type"] == "application/problem+json"
