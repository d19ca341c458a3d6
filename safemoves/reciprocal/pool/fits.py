"""The matching document and the fits between homes and requests (cross-landlord reads).

The exact unsafe and required places are read from the referring landlord's options appraisal
*on the server*, only to build the matching input, and never leave this package.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, Sum

from safemoves.cases.codes import TENURE_SECURITY
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo import area_name, haversine_km, is_known_area
from safemoves.matching import rank
from safemoves.organisations.models import Membership
from safemoves.properties.codes import HomeStatus, WheelchairStandard
from safemoves.properties.importing import POSTCODE_UNCERTAINTY_KM
from safemoves.properties.models import Home
from safemoves.reciprocal import coarsen, policies
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    POOL_STATUSES,
    AccessNeed,
    OfferStatus,
)
from safemoves.reciprocal.models import (
    LedgerEntry,
    MoveRequest,
    Offer,
    SharedProfile,
)
from safemoves.reciprocal.pool import probing
from safemoves.reciprocal.pool.access import PoolAccess, _may_see_profile, _view, member_scheme_ids, policy_in_force
from safemoves.reciprocal.profile import ProfileView
from safemoves.safety.selectors import appraisal_for_matching


@dataclass(frozen=True)
class _Household:
    request: MoveRequest
    profile: SharedProfile
    near: list[dict[str, float]]
    entry: dict[str, Any]


def ledger_balances(scheme_ids: Iterable[int]) -> dict[int, int]:
    with scopes_disabled():
        rows = (
            LedgerEntry.objects.filter(scheme_id__in=list(scheme_ids))
            .values("organisation_id")
            .annotate(balance=Sum("delta"))
            .order_by("organisation_id")
        )
        return {int(row["organisation_id"]): int(row["balance"]) for row in rows}


def _offerable_requests(scheme_ids: Sequence[int]) -> list[MoveRequest]:
    """Requests that can take an offer now: circulated (or offered below the scheme's live-offer
    limit), and below the scheme's total offers per request (withdrawn offers do not count)."""
    requests = list(
        MoveRequest.objects.filter(scheme_id__in=scheme_ids, status__in=POOL_STATUSES)
        .select_related("case", "profile")
        .annotate(
            live_offers=Count("offers", filter=Q(offers__status__in=LIVE_OFFER_STATUSES)),
            offers_used=Count("offers", filter=~Q(offers__status=OfferStatus.WITHDRAWN)),
        )
        .order_by("reference")
    )
    policies_in_force = {scheme_id: policy_in_force(scheme_id) for scheme_id in scheme_ids}
    return [
        request
        for request in requests
        if request.live_offers < policies_in_force[request.scheme_id].live_offer_limit
        and request.offers_used < policies_in_force[request.scheme_id].max_offers
    ]


# ADR 0010: which access each home provides, and which code each household need asks for.
_ACCESS_OF_STANDARD: dict[str, tuple[str, ...]] = {
    WheelchairStandard.FULLY_ACCESSIBLE: ("level_access", "wheelchair_essential_rooms", "wheelchair_full"),
    WheelchairStandard.ESSENTIAL_ROOMS: ("level_access", "wheelchair_essential_rooms"),
    WheelchairStandard.LEVEL_ACCESS: ("level_access",),
    WheelchairStandard.NONE: (),
}


_ACCESS_OF_NEED: dict[str, tuple[str, ...]] = {
    AccessNeed.FULLY_ACCESSIBLE: ("wheelchair_full",),
    AccessNeed.ESSENTIAL_ROOMS: ("wheelchair_essential_rooms",),
    AccessNeed.LEVEL_ACCESS: ("level_access",),
    AccessNeed.NONE: (),
}


def _refused_home_ids(request: MoveRequest) -> list[str]:
    """Homes of offers this request refused: never a fit for it again (ADR 0010 rule 8)."""
    homes = Offer.objects.filter(request_id=request.pk, status=OfferStatus.REFUSED).values_list("home_id", flat=True)
    return sorted({str(home_id) for home_id in homes})


def _household(request: MoveRequest) -> _Household:
    profile = request.profile
    data = profile.data
    # The exact places and areas are read inside the referring landlord's scope and used only
    # here; the engine gets each circle shifted and padded (coarsen.py, ADR 0012), never the
    # true one, so no run of yes/no answers can locate a place.
    with organisation_scope(request.organisation_id):
        places = appraisal_for_matching(request.case)
    near = [coarsen.coarse_near(case_id=request.case_id, point=point) for point in places["near"]]
    entry = {
        "id": str(request.pk),
        "landlord": str(request.organisation_id),
        "bedrooms": int(data["bedrooms_needed"]),
        "step_free": data["access_need"] != AccessNeed.NONE,
        "pets": bool(data["pets"]),
        "areas": list(data["safe_areas"]),
        "avoid_areas": list(places["avoid_areas"]),
        "avoid": [coarsen.coarse_avoid(case_id=request.case_id, point=point) for point in places["avoid"]],
        "near": near,
        "waiting_days": ProfileView.from_data(
            request_id=request.pk, data=data, taken_at=profile.taken_at, status=request.status, is_own=False
        ).days_waiting,
        "urgent": bool(data["urgent"]),
        "min_tenure_security": TENURE_SECURITY.get(str(request.case.tenure), 0),
        "refused": _refused_home_ids(request),
        "access_needs": list(_ACCESS_OF_NEED.get(str(data["access_need"]), ())),
    }
    return _Household(request=request, profile=profile, near=near, entry=entry)


def _home_entry(home: Home) -> dict[str, Any]:
    access = ["lift"] if home.has_lift else []
    access.extend(_ACCESS_OF_STANDARD.get(home.wheelchair_standard, ()))
    return {
        "id": str(home.pk),
        "landlord": str(home.organisation_id),
        "lat": float(home.latitude or 0.0),
        "lon": float(home.longitude or 0.0),
        "area": home.area_code,
        "bedrooms": home.bedrooms,
        "step_free": home.step_free,
        "pets": home.pets_allowed,
        "uncertainty_km": float(home.position_uncertainty_km),
        "tenure_security": TENURE_SECURITY.get(home.tenancy_offered, 0),
        "access": access,
    }


def _available_homes(organisation_ids: Iterable[int]) -> list[Home]:
    return list(
        Home.objects.filter(
            organisation_id__in=list(organisation_ids), status=HomeStatus.AVAILABLE, latitude__isnull=False
        ).order_by("pk")
    )


def _document(households: Sequence[_Household], homes: Sequence[Home], ledger: dict[int, int]) -> dict[str, Any]:
    """The matching contract v2 document (ADR 0010)."""
    landlords = {h.entry["landlord"] for h in households} | {str(home.organisation_id) for home in homes}
    return {
        "version": 2,
        "households": [h.entry for h in households],
        "homes": [_home_entry(home) for home in homes],
        "ledger": {str(org): balance for org, balance in ledger.items() if str(org) in landlords},
        "rules": {"max_extra_bedrooms": 1, "same_landlord": False},
    }


def _area_label(code: str) -> str:
    return area_name(code) if is_known_area(code) else code


def public_reasons(household: _Household, home: Home) -> list[str]:
    """Why the pair fits, for any member: no exact place, distances in whole kilometres only."""
    data = household.profile.data
    needed = int(data["bedrooms_needed"])
    lines = [f"{needed} bedroom{'s' if needed != 1 else ''} needed, home has {home.bedrooms}"]
    if data["access_need"] != AccessNeed.NONE:
        lines.append(
            f"access need met ({AccessNeed(data['access_need']).label.lower()}; "
            f"home: {WheelchairStandard(home.wheelchair_standard).label.lower()})"
        )
    if data["pets"]:
        lines.append("household has pets, home allows pets")
    lines.append(f"in a chosen safe area ({_area_label(home.area_code)})")
    lines.append("safe for this request: outside every unsafe area and far enough from every unsafe place")
    if household.near:
        # No distance at all: distances from homes a landlord places itself would let it
        # locate her school or work by trilateration.
        lines.append("within reach of the places the household needs to be near")
    if data["urgent"]:
        lines.append("urgent")
    lines.append(f"waiting {household.entry['waiting_days']} days")
    return lines


@dataclass(frozen=True)
class Fit:
    profile: ProfileView
    home_id: UUID
    home_organisation_id: int
    home_area: str
    home_bedrooms: int
    score: int
    reasons: list[str] = field(default_factory=list)


def fits_for_home(membership: Membership, home: Home) -> list[Fit]:
    """Requests the member's available ``home`` fits, ranked by the engine, with reasons."""
    if not policies.can_offer_homes(membership) or home.organisation_id != membership.organisation_id:
        return []
    if home.status != HomeStatus.AVAILABLE or home.latitude is None:
        return []
    schemes = member_scheme_ids(membership.organisation_id)
    access = PoolAccess.of(membership)  # read once, not once per request
    with scopes_disabled():
        households = [
            _household(request)
            for request in _offerable_requests(schemes)
            if _may_see_profile(
                membership, request.profile.data, request.scheme_id, request.organisation_id, access=access
            )
        ]
        if not households:
            return []
        # Every check of another landlord's home against a request is written to the request's
        # own log, and limited per landlord and request; its managers are alerted on probing
        # patterns (probing.py, ADR 0012).
        households = [
            household
            for household in households
            if household.request.organisation_id == membership.organisation_id
            or probing.fit_check_allowed(
                request=household.request,
                home_id=home.pk,
                home_organisation_id=home.organisation_id,
                actor=membership.user,
            )
        ]
        if not households:
            return []
        by_id = {h.entry["id"]: h for h in households}
        document = _document(households, [home], ledger_balances(schemes))
        ranked = rank(document, home=str(home.pk), top=max(1, len(households)))["candidates"]
        return [
            Fit(
                profile=_view(by_id[candidate["household"]].profile, membership),
                home_id=home.pk,
                home_organisation_id=home.organisation_id,
                home_area=home.area_code,
                home_bedrooms=home.bedrooms,
                score=int(candidate["score"]),
                reasons=public_reasons(by_id[candidate["household"]], home),
            )
            for candidate in ranked
        ]


def requests_withheld(membership: Membership, home: Home) -> int:
    """How many visible requests get no answer for ``home`` because the limit is reached."""
    if not policies.can_offer_homes(membership) or home.organisation_id != membership.organisation_id:
        return 0
    schemes = member_scheme_ids(membership.organisation_id)
    access = PoolAccess.of(membership)  # read once, not once per request
    with scopes_disabled():
        return sum(
            1
            for request in _offerable_requests(schemes)
            if request.organisation_id != membership.organisation_id
            and _may_see_profile(
                membership, request.profile.data, request.scheme_id, request.organisation_id, access=access
            )
            and probing.limit_reached(request=request, home_id=home.pk, home_organisation_id=home.organisation_id)
        )


def home_fits_request(home: Home, request: MoveRequest) -> bool:
    """The engine's feasibility of one pair (contract v2: disc, tenure, refused, access)."""
    with scopes_disabled():
        fresh = MoveRequest.objects.select_related("case", "profile").filter(pk=request.pk).first()
        if fresh is None or not hasattr(fresh, "profile") or home.latitude is None:
            return False
        document = _document([_household(fresh)], [home], {})
        return bool(rank(document, home=str(home.pk), top=1)["candidates"])


# --- why a home fits nothing, and requests that cannot be matched ---------------------------


# The rules a lettings officer may see counted; location and safety are one rule, with no
# distance or place, so the counts say no more than the yes/no answers already did.
RULE_LABELS: dict[str, str] = {
    "bedrooms": "bedrooms",
    "access": "access",
    "pets": "pets",
    "tenure": "tenure",
    "refused": "refused before",
    "location": "safety/location",
}


def _location_fails(entry: dict[str, Any], home: dict[str, Any]) -> bool:
    if home["area"] in entry["avoid_areas"] or (entry["areas"] and home["area"] not in entry["areas"]):
        return True
    uncertainty = float(home["uncertainty_km"])
    for point in entry["avoid"]:
        if haversine_km(home["lat"], home["lon"], point["lat"], point["lon"]) - uncertainty <= point["km"]:
            return True
    return any(
        haversine_km(home["lat"], home["lon"], point["lat"], point["lon"]) + uncertainty > point["km"]
        for point in entry["near"]
    )


def _failed_rules(entry: dict[str, Any], home: dict[str, Any]) -> list[str]:
    """The contract v2 rules (ADR 0010) the pair breaks, by name; [] when it is feasible."""
    failed = []
    if not entry["bedrooms"] <= home["bedrooms"] <= entry["bedrooms"] + 1:
        failed.append("bedrooms")
    needs = set(entry["access_needs"]) | ({"step_free"} if entry["step_free"] else set())
    if not needs <= set(home["access"]) | ({"step_free"} if home["step_free"] else set()):
        failed.append("access")
    if entry["pets"] and not home["pets"]:
        failed.append("pets")
    if home["tenure_security"] < entry["min_tenure_security"]:
        failed.append("tenure")
    if home["id"] in entry["refused"]:
        failed.append("refused")
    if _location_fails(entry, home):
        failed.append("location")
    return failed


def home_fit_failures(home: Home, request: MoveRequest) -> list[str]:
    """The rules (keys of ``RULE_LABELS``) the pair breaks; [] when ``home_fits_request`` is true."""
    with scopes_disabled():
        fresh = MoveRequest.objects.select_related("case", "profile").filter(pk=request.pk).first()
        if fresh is None or not hasattr(fresh, "profile") or home.latitude is None:
            return ["location"]
        return _failed_rules(_household(fresh).entry, _home_entry(home))


def unmet_rules_for_home(membership: Membership, home: Home) -> list[tuple[str, int]]:
    """For a home that fits nothing: how many visible requests each rule ruled out, most first.

    The same requests and the same limits as ``fits_for_home`` (each is a fit check); no
    request, distance or place is named.
    """
    if not policies.can_offer_homes(membership) or home.organisation_id != membership.organisation_id:
        return []
    if home.status != HomeStatus.AVAILABLE or home.latitude is None:
        return []
    schemes = member_scheme_ids(membership.organisation_id)
    access = PoolAccess.of(membership)  # read once, not once per request
    counts: dict[str, int] = defaultdict(int)
    with scopes_disabled():
        home_entry = _home_entry(home)
        for request in _offerable_requests(schemes):
            if request.organisation_id == membership.organisation_id or not _may_see_profile(
                membership, request.profile.data, request.scheme_id, request.organisation_id, access=access
            ):
                continue
            if not probing.fit_check_allowed(
                request=request, home_id=home.pk, home_organisation_id=home.organisation_id, actor=membership.user
            ):
                continue
            for rule in _failed_rules(_household(request).entry, home_entry):
                counts[rule] += 1
    return sorted(((RULE_LABELS[rule], count) for rule, count in counts.items()), key=lambda item: (-item[1], item[0]))


def request_warnings(request: MoveRequest) -> list[str]:
    """Why no home could ever fit ``request``, for the referring landlord's own staff only.

    Read inside the referring landlord's scope; the messages name distances between the
    household's own places, which that landlord already holds, and go nowhere else.
    """
    with organisation_scope(request.organisation_id):
        places = appraisal_for_matching(request.case)
    near = [(point, coarsen.coarse_near(case_id=request.case_id, point=point)) for point in places["near"]]
    # The smallest disc a home can have (a home at its postcode's centre, ADR 0012).
    home_disc = POSTCODE_UNCERTAINTY_KM
    warnings = []
    for number, (true, coarse) in enumerate(near, start=1):
        if coarse["km"] < home_disc:
            shift = coarsen.place_shift(case_id=request.case_id, kind="near", lat=true["lat"], lon=true["lon"])
            warnings.append(
                f"Place to live near {number} has a radius of {true['km']:g} km: with the scheme's safety "
                "margin for other landlords' answers no home can count as within reach. Widen it to at least "
                f"{math.ceil(shift.km + home_disc)} km."
            )
    for first in range(len(near)):
        for second in range(first + 1, len(near)):
            (true_a, coarse_a), (true_b, coarse_b) = near[first], near[second]
            reach = coarse_a["km"] + coarse_b["km"] - 2 * home_disc
            if haversine_km(coarse_a["lat"], coarse_a["lon"], coarse_b["lat"], coarse_b["lon"]) > reach:
                apart = haversine_km(true_a["lat"], true_a["lon"], true_b["lat"], true_b["lon"])
                warnings.append(
                    f"Places to live near {first + 1} and {second + 1} are {apart:.0f} km apart with radii of "
                    f"{true_a['km']:g} and {true_b['km']:g} km: no home can be within reach of both. Widen a "
                    "radius or remove one of them on the options appraisal."
                )
    return warnings
