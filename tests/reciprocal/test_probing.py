"""Issue 10 item 14: another landlord cannot locate the household's places from fit answers.

The attack, as an independent probe ran it on the old main: a lettings officer of another
landlord lists homes around the household's unsafe place (now only at real postcodes, the only
positions a home may have), reads which of them "fit" the request, withdraws each, and fits a
circle to the yes/no boundary by least squares. The place must be missed by at least 1 km,
or the attack refused before it finishes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from scipy.optimize import minimize

from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo import haversine_km, lookup_postcode
from safemoves.geo.postcodes import _index_for
from safemoves.organisations.models import Role
from safemoves.properties.importing import HomeInput
from safemoves.properties.services import home_create, home_withdraw
from safemoves.reciprocal import coarsen, pool
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool import probing
from safemoves.safety import services as safety_services
from safemoves.safety.codes import PlaceKind
from tests.factories import World, sign_in
from tests.reciprocal.factories import SAFE_AREAS, circulated_request, reciprocal_case

TARGET_POSTCODE = "CT2 7NZ"  # the unsafe place (University of Kent), in Canterbury
UNSAFE_RADIUS_KM = 3.0
REQUIRED_POSTCODE = "CT3 2AA"  # a required place (Dover district, 15 km from the unsafe one)
REQUIRED_RADIUS_KM = 6.0
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@dataclass(frozen=True)
class Answer:
    lat: float
    lon: float
    fits: bool


def _postcodes_around(lat: float, lon: float, *, inner_km: float, outer_km: float, count: int) -> list[str]:
    """Real CT postcodes in safe districts spread evenly over a ring around (lat, lon)."""
    index = _index_for("C")
    ct = np.char.startswith(index.keys, b"CT")
    located = ct & np.isfinite(index.lats)
    distances = np.full(len(index.keys), np.inf)
    rows = np.flatnonzero(located)
    for located_row in rows:
        distances[located_row] = haversine_km(lat, lon, float(index.lats[located_row]), float(index.lons[located_row]))
    in_ring = [int(located_row) for located_row in rows if inner_km <= distances[located_row] <= outer_km]
    safe = [row for row in in_ring if index.area_codes[int(index.area_index[row])] in SAFE_AREAS]
    # Spread evenly by bearing and distance: one postcode per cell of a polar grid.
    chosen: dict[tuple[int, int], int] = {}
    sectors = 24
    bands = max(1, math.ceil(count * 1.5 / sectors))
    for row in safe:
        bearing = math.atan2(float(index.lons[row]) - lon, float(index.lats[row]) - lat) % (2 * math.pi)
        cell = (
            int(bearing / (2 * math.pi) * sectors),
            int((distances[row] - inner_km) / (outer_km - inner_km) * bands),
        )
        chosen.setdefault(cell, row)
    keys = [index.keys[row].decode() for row in chosen.values()]
    return [f"{key[:-3]} {key[-3:]}" for key in keys][:count]


def _household_request(world: World, *, near: bool = False) -> MoveRequest:
    case = reciprocal_case(world.a, avoid_postcode="")
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        safety_services.place_add(
            case=case, actor=manager, kind=PlaceKind.AVOID, postcode=TARGET_POSTCODE, radius_km=str(UNSAFE_RADIUS_KM)
        )
        if near:
            safety_services.place_add(
                case=case,
                actor=manager,
                kind=PlaceKind.NEAR,
                postcode=REQUIRED_POSTCODE,
                radius_km=str(REQUIRED_RADIUS_KM),
            )
    return circulated_request(world.a, case)


def _probe_home(number: int, postcode: str) -> HomeInput:
    return HomeInput(
        address=f"{number} Probe Street",
        postcode=postcode,
        bedrooms=2,
        floor=0,
        has_lift=False,
        step_free=True,
        wheelchair_standard="2",
        pets_allowed=True,
        weekly_rent=Decimal("100.00"),
        tenancy_offered="2",
        available_from=date(2026, 12, 1),
    )


def _probe(world: World, request: MoveRequest, postcodes: list[str]) -> list[Answer]:
    """The attacker: list a home at each postcode, read the fit answer, withdraw it."""
    officer = world.b[Role.LETTINGS_OFFICER]
    with scopes_disabled():
        membership = officer.membership
    answers = []
    with organisation_scope(world.b.organisation.pk):
        for number, postcode in enumerate(postcodes):
            home = home_create(membership=membership, data=_probe_home(number, postcode))
            fits = any(fit.profile.request_id == request.pk for fit in pool.fits_for_home(membership, home))
            answers.append(Answer(float(home.latitude or 0), float(home.longitude or 0), fits))
            home_withdraw(membership=membership, home=home, expected_version=1)
    return answers


def _fit_circle(answers: list[Answer], *, inside_fits: bool, start: tuple[float, float]) -> tuple[float, float]:
    """Least-squares circle through the yes/no boundary (a smooth hinge on signed distance)."""
    lat0, lon0 = start
    ky, kx = 111.2, 111.2 * math.cos(math.radians(lat0))
    xy = np.array([((a.lon - lon0) * kx, (a.lat - lat0) * ky) for a in answers])
    # +1 for points the attacker learns are inside the circle.
    sign = np.array([1.0 if a.fits == inside_fits else -1.0 for a in answers])

    def loss(params: np.ndarray) -> float:
        cx, cy, radius = params
        signed = np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) - radius  # < 0 inside
        return float(np.sum(np.logaddexp(0.0, sign * signed / 0.3) ** 2))

    inside = xy[sign > 0]
    guess = inside.mean(axis=0) if len(inside) else np.zeros(2)
    best = min(
        (minimize(loss, np.array([guess[0], guess[1], r0]), method="Nelder-Mead") for r0 in (1.0, 3.0, 6.0)),
        key=lambda result: result.fun,
    )
    cx, cy, _ = best.x
    return lat0 + cy / ky, lon0 + cx / kx


def _no_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(probing, "HOMES_PER_REQUEST", 10**6)
    monkeypatch.setattr(probing, "ALERT_AT", 10**6)


def _unsafe_attack(world: World) -> float:
    request = _household_request(world)
    target = lookup_postcode(TARGET_POSTCODE)
    postcodes = _postcodes_around(target.lat, target.lon, inner_km=0.5, outer_km=6.5, count=120)
    assert len(postcodes) >= 90
    answers = _probe(world, request, postcodes)
    assert {answer.fits for answer in answers} == {True, False}
    lat, lon = _fit_circle(answers, inside_fits=False, start=(target.lat, target.lon))
    return haversine_km(lat, lon, target.lat, target.lon)


def test_the_probing_attack_is_refused_before_it_finishes(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    request = _household_request(world)
    target = lookup_postcode(TARGET_POSTCODE)
    postcodes = _postcodes_around(target.lat, target.lon, inner_km=8.5, outer_km=11.0, count=40)

    with django_capture_on_commit_callbacks(execute=True):
        answers = _probe(world, request, postcodes)

    # Every home here is outside even the shifted unsafe circle (which reaches at most
    # 3 + 2 x 2.5 km from the place): the first HOMES_PER_REQUEST fit, then the request is no longer answered.
    assert len(answers) == 40, [a.fits for a in answers]
    assert [answer.fits for answer in answers] == [True] * probing.HOMES_PER_REQUEST + [False] * 20
    with scopes_disabled():
        checks = AuditEvent.objects.filter(action=probing.CHECKED, object_id=str(request.pk))
        assert checks.count() == probing.HOMES_PER_REQUEST
        [alert] = AuditEvent.objects.filter(action=probing.SUSPECTED, object_id=str(request.pk))
    assert alert.organisation_id == world.a.organisation.pk
    assert alert.reason == f"landlord {world.b.organisation.pk}: {probing.ALERT_AT} homes checked in 30 days"
    officer = world.b[Role.LETTINGS_OFFICER]
    with organisation_scope(world.b.organisation.pk):
        home = home_create(membership=officer.membership, data=_probe_home(0, postcodes[0]))
    page = sign_in(Client(), officer).get(reverse("reciprocal:home_fits", kwargs={"home_id": home.pk}))
    assert "1 request was not checked against this home" in re.sub(r"\s+", " ", page.content.decode())
    [message] = mail.outbox
    assert message.to == [world.a[Role.MANAGER].email]
    assert request.reference in message.subject
    assert TARGET_POSTCODE not in message.body
    assert "Jane" not in message.body


def test_without_the_limit_the_fitted_unsafe_place_is_at_least_1_km_off(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_limit(monkeypatch)
    assert _unsafe_attack(world) >= 1.0


def test_the_attack_is_sound_it_finds_the_place_when_the_circles_are_not_shifted(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A control: the same attack against unshifted circles locates the place, so the test
    # above measures the defence, not a weak attacker.
    _no_limit(monkeypatch)
    monkeypatch.setattr(coarsen, "place_shift", lambda **_: coarsen.Shift(bearing_rad=0.0, km=0.0))
    assert _unsafe_attack(world) < 0.5


def _required_attack(world: World) -> float:
    request = _household_request(world, near=True)
    required = lookup_postcode(REQUIRED_POSTCODE)
    postcodes = _postcodes_around(required.lat, required.lon, inner_km=3.0, outer_km=8.5, count=150)
    answers = _probe(world, request, postcodes)
    # Homes the shifted unsafe circle may reach (3 + 2 x 2.5 km) never fit: keep only answers
    # that speak of the required place.
    target = lookup_postcode(TARGET_POSTCODE)
    outside_unsafe = [a for a in answers if haversine_km(a.lat, a.lon, target.lat, target.lon) > 8.0]
    assert len(outside_unsafe) >= 60
    assert {answer.fits for answer in outside_unsafe} == {True, False}
    lat, lon = _fit_circle(outside_unsafe, inside_fits=True, start=(required.lat, required.lon))
    return haversine_km(lat, lon, required.lat, required.lon)


def test_without_the_limit_the_fitted_required_place_is_at_least_1_km_off(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_limit(monkeypatch)
    assert _required_attack(world) >= 1.0


def test_the_required_place_attack_is_sound_without_the_shift(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_limit(monkeypatch)
    monkeypatch.setattr(coarsen, "place_shift", lambda **_: coarsen.Shift(bearing_rad=0.0, km=0.0))
    assert _required_attack(world) < 0.5
