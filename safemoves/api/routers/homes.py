"""API: a landlord's housing system lists, corrects and withdraws its void homes.

The token acts as one lettings officer or manager of the landlord, so the same services,
rules and audit events apply as on the void homes pages.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status

from safemoves.api.core import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Required10,
    Required500,
    Str10,
    Str12,
    WriteHeaders,
    acting_member,
    guarded,
)
from safemoves.api.models import TokenPurpose
from safemoves.api.problems import Problem
from safemoves.properties import selectors, services
from safemoves.properties.importing import MAX_BEDROOMS, MAX_FLOOR, HomeInput
from safemoves.properties.models import Home

router = Router(tags=["Void homes"])

TenancyCode = Literal["2", "3", "4", "5", "6", "7", "8"]
WheelchairCode = Literal["0", "1", "2", "3"]


class HomeIn(Schema):
    """A void home, checked by the same rules as the void homes form and import."""

    address: Required500
    postcode: Required10
    uprn: Str12 = ""
    area_code: Str10 = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    bedrooms: int = Field(..., ge=1, le=MAX_BEDROOMS)
    floor: int = Field(0, ge=0, le=MAX_FLOOR)
    has_lift: bool = False
    step_free: bool = False
    wheelchair_standard: WheelchairCode = "3"
    pets_allowed: bool = False
    weekly_rent: Decimal = Field(..., gt=0, lt=100_000, max_digits=7, decimal_places=2, allow_inf_nan=False)
    tenancy_offered: TenancyCode
    available_from: date


class HomeUpdateIn(HomeIn):
    version: int = Field(..., ge=1, le=2_147_483_647, description="The version you read; a newer one is a 409.")


class WithdrawIn(Schema):
    version: int = Field(..., ge=1, le=2_147_483_647)


class HomeOut(Schema):
    id: uuid.UUID
    status: Literal["available", "offered", "let", "withdrawn"]
    version: int
    address: str | None = Field(None, description="Absent once let: the address is then protected.")
    postcode: str | None = None
    uprn: str
    area_code: str
    bedrooms: int
    floor: int
    has_lift: bool
    step_free: bool
    wheelchair_standard: str
    pets_allowed: bool
    weekly_rent: str
    tenancy_offered: str
    available_from: date


def _input(payload: HomeIn) -> HomeInput:
    return HomeInput(
        address=payload.address,
        postcode=payload.postcode,
        uprn=payload.uprn,
        area_code=payload.area_code,
        latitude=payload.latitude,
        longitude=payload.longitude,
        bedrooms=payload.bedrooms,
        floor=payload.floor,
        has_lift=payload.has_lift,
        step_free=payload.step_free,
        wheelchair_standard=payload.wheelchair_standard,
        pets_allowed=payload.pets_allowed,
        weekly_rent=payload.weekly_rent,
        tenancy_offered=payload.tenancy_offered,
        available_from=payload.available_from,
    )


def _out(home: Home) -> HomeOut:
    protected = home.address_is_protected
    return HomeOut(
        id=home.pk,
        status=home.status,  # type: ignore[arg-type]
        version=home.version,
        address=None if protected else home.address,
        postcode=None if protected else home.postcode,
        uprn=home.uprn,
        area_code=home.area_code,
        bedrooms=home.bedrooms,
        floor=home.floor,
        has_lift=home.has_lift,
        step_free=home.step_free,
        wheelchair_standard=home.wheelchair_standard,
        pets_allowed=home.pets_allowed,
        weekly_rent=f"{home.weekly_rent:.2f}",
        tenancy_offered=home.tenancy_offered,
        available_from=home.available_from,
    )


@router.post("/homes", response={201: HomeOut, WRITE_PROBLEMS: Problem}, operation_id="home_create")
@guarded(TokenPurpose.HOUSING_SYSTEM, write=True)
def home_create(
    request: HttpRequest,
    payload: HomeIn,
    headers: Header[WriteHeaders],
) -> Status[HomeOut]:
    """List a void home; its postcode settles its district and (rounded) position."""
    home = services.home_create(membership=acting_member(request), data=_input(payload))
    return Status(201, _out(home))


@router.get("/homes/{home_id}", response={200: HomeOut, READ_PROBLEMS: Problem}, operation_id="home_get")
@guarded(TokenPurpose.HOUSING_SYSTEM)
def home_get(request: HttpRequest, home_id: uuid.UUID) -> HomeOut:
    return _out(selectors.get_home(acting_member(request), home_id))


@router.put("/homes/{home_id}", response={200: HomeOut, WRITE_PROBLEMS: Problem}, operation_id="home_update")
@guarded(TokenPurpose.HOUSING_SYSTEM, write=True)
def home_update(
    request: HttpRequest,
    home_id: uuid.UUID,
    payload: HomeUpdateIn,
    headers: Header[WriteHeaders],
) -> HomeOut:
    """Correct an available home's details; its postcode and position never change once listed."""
    membership = acting_member(request)
    home = selectors.get_home(membership, home_id)
    services.home_update(membership=membership, home=home, expected_version=payload.version, data=_input(payload))
    return _out(home)


@router.post(
    "/homes/{home_id}/withdraw", response={200: HomeOut, WRITE_PROBLEMS: Problem}, operation_id="home_withdraw"
)
@guarded(TokenPurpose.HOUSING_SYSTEM, write=True)
def home_withdraw(
    request: HttpRequest,
    home_id: uuid.UUID,
    payload: WithdrawIn,
    headers: Header[WriteHeaders],
) -> HomeOut:
    """Take an available home off the list."""
    membership = acting_member(request)
    home = selectors.get_home(membership, home_id)
    services.home_withdraw(membership=membership, home=home, expected_version=payload.version)
    return _out(home)
