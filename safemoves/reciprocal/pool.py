"""Every read that crosses landlords, in one module (ADR 0009).

The scheme is the only place where one landlord's records meet another's. Each function
here disables the organisation scope deliberately and returns dataclasses built from the
allow-listed profile, the offering landlord's own home facts, or engine results turned into
"safe for this request" and rounded distances: never a model instance of another landlord,
never a name, address, postcode, phone or exact point of the household.

The exact unsafe and required places are read from the referring landlord's options
appraisal *on the server*, only to build the matching input, and never leave this module.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from safemoves.audit.services import record_event
from safemoves.cases.codes import TENURE_SECURITY, ConsentPurpose
from safemoves.cases.models import Case, SafeContactRules
from safemoves.cases.policies import can_view_case
from safemoves.cases.services import consent_in_force
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo import area_name, haversine_km, is_known_area
from safemoves.matching import match, rank
from safemoves.organisations.models import Membership, Organisation, Role, SchemeMembership
from safemoves.properties.codes import HomeStatus, WheelchairStandard
from safemoves.properties.importing import POSTCODE_UNCERTAINTY_KM
from safemoves.properties.models import Home
from safemoves.reciprocal import coarsen, policies, probing
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    POOL_STATUSES,
    AccessNeed,
    LedgerReason,
    OfferStatus,
    RequestStatus,
)
from safemoves.reciprocal.models import (
    IdentityRelease,
    LedgerEntry,
    Move,
    MoveRequest,
    Offer,
    SchemePolicy,
    SharedProfile,
)
from safemoves.reciprocal.profile import ProfileView
from safemoves.safety.selectors import appraisal_for_matching


def member_scheme_ids(organisation_id: int) -> list[int]:
    return list(
        SchemeMembership.objects.filter(organisation_id=organisation_id, is_active=True)
        .order_by("scheme_id")
        .values_list("scheme_id", flat=True)
    )


def policy_in_force(scheme_id: int) -> SchemePolicy:
    """The newest policy version of the scheme; the defaults (unsaved) when none was set."""
    found = SchemePolicy.objects.filter(scheme_id=scheme_id).order_by("-version").first()
    return found or SchemePolicy(scheme_id=scheme_id, version=0)


def _organisation_areas(organisation_id: int) -> set[str]:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return set(organisation.area_codes if organisation else [])


@dataclass(frozen=True)
class PoolAccess:
    """What decides which circulated requests a member sees, read once per request."""

    organisation_id: int
    is_coordinator: bool
    scheme_ids: frozenset[int]
    areas: frozenset[str]

    @classmethod
    def of(cls, membership: Membership) -> PoolAccess:
        return cls(
            organisation_id=membership.organisation_id,
            is_coordinator=membership.role == Role.COORDINATOR,
            scheme_ids=frozenset(member_scheme_ids(membership.organisation_id)),
            areas=frozenset(_organisation_areas(membership.organisation_id)),
        )

    def admits(self, *, safe_areas: Iterable[str], scheme_id: int, request_org: int) -> bool:
        if scheme_id not in self.scheme_ids:
            return False
        if request_org == self.organisation_id:
            return True  # the referring landlord's own request
        if self.is_coordinator:
            return True  # the coordinator sees the whole pool, anonymised
        # Lettings officers and managers see requests naming an area where their landlord has stock.
        return bool(self.areas & set(safe_areas))

    def profiles(self) -> QuerySet[SharedProfile]:
        """The pool rows this access admits, filtered in SQL (call with scopes disabled).

        The area rule matches each area code with its JSON quotes in the profile's
        ``safe_areas`` array text, which is exact for the fixed-form area codes and portable
        between SQLite and PostgreSQL; :meth:`admits` stays the rule of record.
        """
        profiles = SharedProfile.objects.filter(
            request__scheme_id__in=self.scheme_ids, request__status__in=POOL_STATUSES
        )
        if self.is_coordinator:
            return profiles
        named_area = Q(organisation_id=self.organisation_id)
        for code in sorted(self.areas):
            named_area |= Q(data__safe_areas__icontains=f'"{code}"')
        return profiles.filter(named_area)


def _may_see_profile(
    membership: Membership,
    data: dict[str, Any],
    scheme_id: int,
    request_org: int,
    *,
    access: PoolAccess | None = None,
) -> bool:
    if not policies.can_use_pool(membership):
        return False
    access = access or PoolAccess.of(membership)
    return access.admits(safe_areas=data["safe_areas"], scheme_id=scheme_id, request_org=request_org)


def _view(profile: SharedProfile, membership: Membership) -> ProfileView:
    return ProfileView.from_data(
        request_id=profile.request_id,
        data=profile.data,
        taken_at=profile.taken_at,
        status=profile.request.status,
        is_own=profile.organisation_id == membership.organisation_id,
    )


POOL_PAGE_SIZE = 50


@dataclass(frozen=True)
class PoolPage:
    """One page of the pool: the profiles shown, and the page links' numbers."""

    profiles: list[ProfileView]
    page: Page[UUID]


def pool_profiles(
    membership: Membership, *, page_number: str | int | None = 1, per_page: int = POOL_PAGE_SIZE
) -> PoolPage:
    """Circulated requests this member may see, most urgent and longest waiting first.

    A fixed number of queries whatever the pool's size: membership and areas once, the
    sort keys of the admitted rows (no profile bodies), then the shown page's profiles.
    """
    if not policies.can_use_pool(membership):
        return PoolPage(profiles=[], page=Paginator([], per_page).get_page(1))
    access = PoolAccess.of(membership)
    today = timezone.localdate()
    with scopes_disabled():
        keys = access.profiles().values_list(
            "request_id",
            "organisation_id",
            "request__scheme_id",
            "taken_at",
            "data__safe_areas",
            "data__urgent",
            "data__days_waiting",
            "data__reference",
        )
        ordered = sorted(
            (
                (
                    not bool(urgent),
                    -(int(waited) + max(0, (today - timezone.localdate(taken_at)).days)),
                    str(reference),
                    request_id,
                )
                for request_id, request_org, scheme_id, taken_at, safe_areas, urgent, waited, reference in keys
                if access.admits(safe_areas=safe_areas, scheme_id=scheme_id, request_org=request_org)
            )
        )
        page = Paginator([key[-1] for key in ordered], per_page).get_page(page_number)
        shown = list(page.object_list)
        by_id = {
            profile.request_id: profile
            for profile in SharedProfile.objects.filter(request_id__in=shown).select_related("request")
        }
        views = [_view(by_id[request_id], membership) for request_id in shown if request_id in by_id]
    return PoolPage(profiles=views, page=page)


def get_pool_profile(membership: Membership, request_id: Any) -> ProfileView:
    with scopes_disabled():
        profile = (
            SharedProfile.objects.filter(request_id=request_id, request__status__in=POOL_STATUSES)
            .select_related("request")
            .first()
        )
        if profile is None or not _may_see_profile(
            membership, profile.data, profile.request.scheme_id, profile.organisation_id
        ):
            raise Http404
        return _view(profile, membership)


# --- the matching input (server side only) ------------------------------------------------


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


@dataclass(frozen=True)
class Proposal:
    profile: ProfileView
    home_id: UUID
    home_organisation: str
    home_area: str
    home_bedrooms: int
    score: int
    reasons: list[str]


@dataclass(frozen=True)
class BatchResult:
    proposals: list[Proposal]
    unmatched: list[ProfileView]
    households: int
    homes: int


def batch_proposals(membership: Membership) -> BatchResult:
    """The coordinator's run of the engine over the whole pool of its schemes."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        households = [_household(request) for request in _offerable_requests(schemes)]
        members = list(
            SchemeMembership.objects.filter(scheme_id__in=schemes, is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
        homes = _available_homes(members)
        names = dict(Organisation.objects.filter(pk__in=members).values_list("pk", "name"))
        if not households or not homes:
            unmatched_views = [_view(h.profile, membership) for h in households]
            return BatchResult([], unmatched_views, len(households), len(homes))
        result = match(_document(households, homes, ledger_balances(schemes)))
        by_household = {h.entry["id"]: h for h in households}
        by_home = {str(home.pk): home for home in homes}
        proposals: list[Proposal] = []
        unmatched = [by_household[key] for key in result["unmatched"]]
        for assignment in result["assignments"]:
            household = by_household[assignment["household"]]
            home = by_home[assignment["home"]]
            proposals.append(
                Proposal(
                    profile=_view(household.profile, membership),
                    home_id=home.pk,
                    home_organisation=names.get(home.organisation_id, ""),
                    home_area=home.area_code,
                    home_bedrooms=home.bedrooms,
                    score=int(assignment["score"]),
                    reasons=public_reasons(household, home),
                )
            )
        proposals.sort(key=lambda p: (-p.score, p.profile.reference))
        return BatchResult(
            proposals=proposals,
            unmatched=sorted((_view(h.profile, membership) for h in unmatched), key=lambda v: v.reference),
            households=len(households),
            homes=len(homes),
        )


# --- offers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferView:
    id: UUID
    status: str
    status_label: str
    reference: str
    request_id: UUID
    offering_organisation: str
    offered_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    refusal_reason: str
    reasonable_refusal: bool | None
    home_id: UUID
    home_area: str
    home_bedrooms: int
    home_step_free: bool
    home_wheelchair: str
    home_pets: bool
    home_rent: str
    home_tenancy: str
    home_available_from: date
    # Only the offering landlord sees its void home's address; it is not the household's.
    home_address: str
    is_offering_side: bool
    is_referring_side: bool
    may_decide: bool
    may_release: bool
    may_record_move: bool
    identity_released: bool
    move_id: UUID | None


def _offer_sides(membership: Membership, offer: Offer) -> tuple[bool, bool]:
    offering = (offer.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS) or (
        membership.role == Role.COORDINATOR and offer.request.scheme_id in member_scheme_ids(membership.organisation_id)
    )
    referring = offer.referring_organisation_id == membership.organisation_id and can_view_case(
        membership, offer.request.case
    )
    return offering, referring


def get_offer_view(membership: Membership, offer_id: Any) -> OfferView:
    if not policies.can_see_offers(membership):
        raise Http404
    with scopes_disabled():
        offer = (
            Offer.objects.filter(pk=offer_id)
            .select_related("request__case", "home", "organisation", "request__move")
            .first()
        )
        if offer is None:
            raise Http404
        offering, referring = _offer_sides(membership, offer)
        if not offering and not referring:
            raise Http404
        home = offer.home
        released = IdentityRelease.objects.filter(offer=offer).exists()
        move = Move.objects.filter(offer=offer).first()
        works_case = referring and policies.can_work_request(membership, offer.request.case)
        own_offerer = offer.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS
        return OfferView(
            id=offer.pk,
            status=offer.status,
            status_label=offer.get_status_display(),
            reference=offer.request.reference,
            request_id=offer.request_id,
            offering_organisation=offer.organisation.name,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
            decided_at=offer.decided_at,
            refusal_reason=offer.get_refusal_reason_display() if offer.refusal_reason else "",
            reasonable_refusal=offer.reasonable_refusal,
            home_id=home.pk,
            home_area=_area_label(home.area_code),
            home_bedrooms=home.bedrooms,
            home_step_free=home.step_free,
            home_wheelchair=home.get_wheelchair_standard_display(),
            home_pets=home.pets_allowed,
            home_rent=str(home.weekly_rent),
            # The tenancy fixed when the offer was made (what the move records), not retyped.
            home_tenancy=offer.get_tenancy_display() if offer.tenancy else home.get_tenancy_offered_display(),
            home_available_from=home.available_from,
            home_address=home.address if own_offerer and not home.address_is_protected else "",
            is_offering_side=offering,
            is_referring_side=referring,
            may_decide=works_case and offer.status == OfferStatus.OFFERED,
            may_release=works_case and offer.status == OfferStatus.ACCEPTED and not released,
            may_record_move=own_offerer and offer.status == OfferStatus.ACCEPTED and released,
            identity_released=released,
            move_id=move.pk if move else None,
        )


@dataclass(frozen=True)
class Identity:
    name: str
    contact_route: list[str]


def released_identity(membership: Membership, offer_id: Any) -> Identity | None:
    """The household's name and safe contact route, for the rehousing landlord's lettings staff
    once the offer is accepted, the identity released and consent still in force. Every read is
    written to the audit log of both landlords."""
    if membership.role not in policies.HOME_OFFERERS:
        return None
    with scopes_disabled():
        release = (
            IdentityRelease.objects.filter(
                offer_id=offer_id,
                organisation_id=membership.organisation_id,
                offer__status__in=[OfferStatus.ACCEPTED, OfferStatus.MOVED],
            )
            .select_related("offer__request__case")
            .first()
        )
        if release is None:
            return None
        case: Case = release.offer.request.case
        with organisation_scope(case.organisation_id):
            if consent_in_force(case, ConsentPurpose.SCHEME_SHARING) is None:
                return None
            rules = SafeContactRules.objects.filter(case=case).first()
        route: list[str] = []
        if rules is not None:
            if rules.phone_ok and rules.safe_phone:
                route.append(f"Phone: {rules.safe_phone}")
            if rules.sms_ok and rules.safe_phone:
                route.append(f"Text message: {rules.safe_phone}")
            if rules.email_ok and rules.safe_email:
                route.append(f"E-mail: {rules.safe_email}")
            if rules.letter_ok and rules.safe_postal_address:
                route.append(f"Letter: {rules.safe_postal_address}")
            if rules.safe_times:
                route.append(f"Safe times: {rules.safe_times}")
        if not route:
            route.append("Through the named case officer at the referring landlord")
        identity = Identity(name=case.lead_name, contact_route=route)
        with transaction.atomic():
            record_event(
                action="reciprocal.identity_viewed",
                actor=membership.user,
                organisation_id=membership.organisation_id,
                object_type="offer",
                object_id=release.offer_id,
            )
            record_event(
                action="case.viewed",
                actor=membership.user,
                organisation_id=case.organisation_id,
                object_type="case",
                object_id=case.pk,
                reason=f"identity released through offer {release.offer_id}",
            )
        return identity


def offers_on_request(request: MoveRequest) -> list[dict[str, Any]]:
    """Offers made on the referring landlord's own request (any member may have made them)."""
    with scopes_disabled():
        return [
            {
                "id": offer.pk,
                "status": offer.get_status_display(),
                "offering_organisation": offer.organisation.name,
                "home_area": _area_label(offer.home.area_code),
                "home_bedrooms": offer.home.bedrooms,
                "expires_at": offer.expires_at,
                "is_live": offer.is_live,
            }
            for offer in Offer.objects.filter(request_id=request.pk).select_related("organisation", "home")
        ]


def get_offer_for_work(membership: Membership, offer_id: Any, *, side: str) -> Offer:
    """The offer, for a service call by one side ("offering" or "referring"); 404 otherwise."""
    with scopes_disabled():
        offer = Offer.objects.filter(pk=offer_id).select_related("request__case", "home").first()
        if offer is None:
            raise Http404
        if side == "offering":
            allowed = offer.organisation_id == membership.organisation_id and policies.can_offer_homes(membership)
        else:
            allowed = offer.referring_organisation_id == membership.organisation_id and policies.can_work_request(
                membership, offer.request.case
            )
        if not allowed:
            raise Http404
        return offer


def request_for_offer(membership: Membership, request_id: Any) -> MoveRequest:
    """A request in the pool that this lettings officer may offer a home to; 404 otherwise."""
    profile = get_pool_profile(membership, request_id)
    if profile.is_own or not policies.can_offer_homes(membership):
        raise Http404
    with scopes_disabled():
        request = MoveRequest.objects.filter(pk=profile.request_id).first()
        if request is None:
            raise Http404
        return request


# --- moves ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveView:
    id: UUID
    reference: str
    request_id: UUID
    offer_id: UUID
    move_date: date
    old_tenure: str
    new_tenure: str
    introductory_period_ends: date | None
    new_area: str
    # "" unless this member may see the protected address.
    new_address: str
    new_postcode: str
    check_in_due_at: datetime
    check_in_done_at: datetime | None
    is_rehousing_side: bool
    may_record_check_in: bool
    # The check-in is about her, not the home: her landlord's case workers only.
    check_in_outcome: str = ""
    check_in_notes: str = ""
    ledger_posted: bool = True


def get_move_view(membership: Membership, move_id: Any) -> MoveView:
    with scopes_disabled():
        move = Move.objects.filter(pk=move_id).select_related("request__case", "offer").first()
        if move is None:
            raise Http404
        case = move.request.case
        rehousing = move.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS
        referring = move.referring_organisation_id == membership.organisation_id and can_view_case(membership, case)
        if not rehousing and not referring:
            raise Http404
        # The protected address: the rehousing landlord's staff working it and the named officer.
        named_officer = referring and case.assigned_officer_id == membership.user_id
        shows_address = rehousing or named_officer
        if shows_address:
            with transaction.atomic():
                record_event(
                    action="reciprocal.protected_address_viewed",
                    actor=membership.user,
                    organisation_id=membership.organisation_id,
                    object_type="move",
                    object_id=move.pk,
                )
        return MoveView(
            id=move.pk,
            reference=move.request.reference,
            request_id=move.request_id,
            offer_id=move.offer_id,
            move_date=move.move_date,
            old_tenure=move.get_old_tenure_display(),
            new_tenure=move.get_new_tenure_display(),
            introductory_period_ends=move.introductory_period_ends,
            new_area=_area_label(move.new_area_code),
            new_address=move.new_address if shows_address else "",
            new_postcode=move.new_postcode if shows_address else "",
            check_in_due_at=move.check_in_due_at,
            check_in_done_at=move.check_in_done_at,
            is_rehousing_side=rehousing,
            may_record_check_in=referring
            and policies.can_work_request(membership, case)
            and move.check_in_done_at is None
            and move.move_date <= timezone.localdate(),
            check_in_outcome=move.get_check_in_outcome_display() if referring and move.check_in_outcome else "",
            check_in_notes=(move.check_in_notes or "")
            if referring and policies.can_work_request(membership, case)
            else "",
            ledger_posted=move.ledger_posted_at is not None,
        )


def get_move_for_check_in(membership: Membership, move_id: Any) -> Move:
    with scopes_disabled():
        move = Move.objects.filter(pk=move_id).select_related("request__case").first()
        if move is None or move.referring_organisation_id != membership.organisation_id:
            raise Http404
        if not policies.can_work_request(membership, move.request.case):
            raise Http404
        return move


# --- ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    organisation: str
    given: int
    received: int
    corrections: int
    balance: int
    by_bedrooms: list[int]


@dataclass(frozen=True)
class LedgerLine:
    id: int
    posted_at: datetime
    organisation: str
    reference: str
    delta: int
    bedrooms: int
    reason: str
    correction_of_id: int | None
    corrected: bool


@dataclass(frozen=True)
class LedgerSummary:
    balances: list[Balance]
    bedroom_sizes: list[int]
    lines: list[LedgerLine]
    total: int


def ledger_summary(membership: Membership) -> LedgerSummary:
    """Who owes the pool what, per landlord and per bedroom size (the coordinator's page)."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        entries = list(
            LedgerEntry.objects.filter(scheme_id__in=schemes)
            .select_related("organisation")
            .order_by("-posted_at", "-pk")
        )
        corrected = set(
            LedgerEntry.objects.filter(scheme_id__in=schemes, correction_of__isnull=False).values_list(
                "correction_of_id", flat=True
            )
        )
        names = dict(
            Organisation.objects.filter(scheme_memberships__scheme_id__in=schemes, scheme_memberships__is_active=True)
            .distinct()
            .values_list("pk", "name")
        )
    for entry in entries:
        names.setdefault(entry.organisation_id, entry.organisation.name)
    sizes = sorted({entry.bedrooms for entry in entries})
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_size: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        counts[entry.organisation_id][entry.reason] += 1
        counts[entry.organisation_id]["balance"] += entry.delta
        per_size[entry.organisation_id][entry.bedrooms] += entry.delta
    balances = [
        Balance(
            organisation=names[org_id],
            given=counts[org_id][LedgerReason.MOVE_IN],
            received=counts[org_id][LedgerReason.MOVE_OUT],
            corrections=counts[org_id][LedgerReason.CORRECTION],
            balance=counts[org_id]["balance"],
            by_bedrooms=[per_size[org_id][size] for size in sizes],
        )
        for org_id in sorted(names, key=lambda key: names[key])
    ]
    lines = [
        LedgerLine(
            id=entry.pk,
            posted_at=entry.posted_at,
            organisation=names[entry.organisation_id],
            reference=entry.request_reference,
            delta=entry.delta,
            bedrooms=entry.bedrooms,
            reason=entry.get_reason_display(),
            correction_of_id=entry.correction_of_id,
            corrected=entry.pk in corrected,
        )
        for entry in entries
    ]
    return LedgerSummary(
        balances=balances, bedroom_sizes=sizes, lines=lines, total=sum(entry.delta for entry in entries)
    )


def get_ledger_entry(membership: Membership, entry_id: Any) -> LedgerEntry:
    if not policies.can_coordinate(membership):
        raise Http404
    with scopes_disabled():
        entry = LedgerEntry.objects.filter(
            pk=entry_id, scheme_id__in=member_scheme_ids(membership.organisation_id)
        ).first()
        if entry is None:
            raise Http404
        return entry


def request_for_coordinator(membership: Membership, request_id: Any) -> MoveRequest:
    """A pool request of the coordinator's scheme, for turning a proposal into an offer."""
    if not policies.can_coordinate(membership):
        raise Http404
    with scopes_disabled():
        try:
            request = MoveRequest.objects.filter(
                pk=request_id,
                scheme_id__in=member_scheme_ids(membership.organisation_id),
                status__in=POOL_STATUSES,
            ).first()
        except (ValueError, ValidationError):
            request = None
    if request is None:
        raise ValidationError("That request is no longer in the pool.")
    return request


def home_for_coordinator(membership: Membership, home_id: Any) -> Home:
    """An available home of a member of the coordinator's scheme."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        members = SchemeMembership.objects.filter(scheme_id__in=schemes, is_active=True).values("organisation_id")
        try:
            home = Home.objects.filter(pk=home_id, organisation_id__in=members, status=HomeStatus.AVAILABLE).first()
        except (ValueError, ValidationError):
            home = None
    if home is None:
        raise ValidationError("That home is no longer available.")
    return home


def policy_history(scheme_id: int) -> list[SchemePolicy]:
    return list(SchemePolicy.objects.filter(scheme_id=scheme_id).select_related("created_by").order_by("-version"))


def request_status_in(request_id: Any, statuses: Iterable[str]) -> bool:
    with scopes_disabled():
        return MoveRequest.objects.filter(pk=request_id, status__in=list(statuses)).exists()


__all__ = [
    "BatchResult",
    "Fit",
    "Identity",
    "MoveView",
    "OfferView",
    "Proposal",
    "RequestStatus",
    "batch_proposals",
    "fits_for_home",
    "get_offer_view",
    "get_pool_profile",
    "ledger_summary",
    "pool_profiles",
    "released_identity",
]
