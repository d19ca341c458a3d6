"""Canary scan of the API: personal values sent in a referral are stored only encrypted, never
written to the log, and never come back to the agency (which sees a reference and a status) or
to a housing system; API tokens are never logged or stored in clear."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from safemoves.api.models import TokenPurpose
from tests.api.factories import REFERRAL_JSON, bearer, make_token
from tests.cases.test_canary import _raw_cells
from tests.factories import make_world

PERSONAL_FIELDS = (
    "referrer_name",
    "referrer_role",
    "tenant_name",
    "address",
    "perpetrator_name",
    "what_happened",
    "safe_times",
    "crime_reference",
    "police_officer",
    "police_station",
)


@pytest.mark.django_db(transaction=True)
def test_api_referrals_leak_no_personal_value_or_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    world = make_world()
    _agency, agency_secret = make_token(world.a, TokenPurpose.AGENCY)
    _housing, housing_secret = make_token(world.a, TokenPurpose.HOUSING_SYSTEM)
    _staff, staff_secret = make_token(world.a, TokenPurpose.STAFF)
    markers = {name: f"CANARY-api-{name}-Zq7" for name in PERSONAL_FIELDS}
    body = {**REFERRAL_JSON, **markers}
    client = Client()

    created = client.post(
        "/api/v1/referrals", json.dumps(body), content_type="application/json",
        **bearer(agency_secret, idempotency_key="canary"),
    )  # fmt: skip
    replayed = client.post(
        "/api/v1/referrals", json.dumps(body), content_type="application/json",
        **bearer(agency_secret, idempotency_key="canary"),
    )  # fmt: skip
    refused = client.post(
        "/api/v1/referrals", json.dumps({**body, "children_ages": [99]}), content_type="application/json",
        **bearer(agency_secret, idempotency_key="canary-2"),
    )  # fmt: skip
    status = client.get(f"/api/v1/referrals/{created.json()['id']}", **bearer(agency_secret))
    listed = client.get("/api/v1/referrals", **bearer(agency_secret))
    offers = client.get("/api/v1/offers", **bearer(housing_secret))
    assert [created.status_code, replayed.status_code, refused.status_code, status.status_code] == [201, 201, 422, 200]

    agency_answers = [created, replayed, refused, status, listed, offers]
    echoed = sorted({m for m in markers.values() for r in agency_answers if m in r.content.decode()})
    assert echoed == [], "an agency's or housing system's answer holds personal values"
    # The staff token sees the case, as its member does on the web: the canary is really there.
    cases = client.get("/api/v1/cases", **bearer(staff_secret)).json()
    case = client.get(f"/api/v1/cases/{cases[0]['id']}", **bearer(staff_secret)).content.decode()
    assert markers["tenant_name"] in case
    assert markers["perpetrator_name"] in case

    cells = _raw_cells()
    assert sorted({m for m in markers.values() for cell in cells if m in cell}) == [], "stored in clear"
    secrets = (agency_secret, housing_secret, staff_secret)
    assert [s for s in secrets for cell in cells if s in cell] == [], "a token stored in clear"
    assert sorted(m for m in markers.values() if m in caplog.text) == [], "personal values logged"
    assert [s for s in secrets if s in caplog.text] == [], "a token logged"
