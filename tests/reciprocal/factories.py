"""Builders for reciprocal-scheme tests: a case ready for a move, homes, requests in each state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from safemoves.cases import services as case_services
from safemoves.cases.codes import ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role, Scheme, SchemeMembership
from safemoves.properties.importing import HomeInput
from safemoves.properties.models import Home
from safemoves.properties.services import home_create
from safemoves.reciprocal.models import MoveRequest, Offer
from safemoves.reciprocal.pool import services
from safemoves.safety import services as safety_services
from safemoves.safety.codes import Option, PlaceKind
from tests.cases.factories import make_case
from tests.factories import Landlord, make_member, make_organisation

# Canterbury, Maidstone, Swale, Ashford, Dover: five safe areas (the scheme's default minimum).
SAFE_AREAS = ("E07000106", "E07000110", "E07000113", "E07000105", "E07000108")
UNSAFE_AREA = "E06000035"  # Medway
PERPETRATOR_POSTCODE = "ME4 4QZ"  # Chatham, Medway


def reciprocal_case(
    landlord: Landlord,
    *,
    name: str = "Jane Example",
    areas: tuple[str, ...] = SAFE_AREAS,
    consent: bool = True,
    avoid_postcode: str = PERPETRATOR_POSTCODE,
) -> Case:
    """A full case (child, perpetrator, contact rules) whose options appraisal chose a reciprocal move."""
    case = make_case(landlord, name=name, assigned_to=landlord[Role.OFFICER], full=True)
    manager = landlord[Role.MANAGER]
    with organisation_scope(landlord.organisation.pk):
        safety_services.appraisal_save(
            case=case,
            actor=manager,
            options_considered=[Option.RECIPROCAL, Option.OWN_STOCK_TRANSFER],
            own_stock_unsuitable=True,
            own_stock_reason="All our stock is within reach of him.",
            priorities=[],
            priorities_other="",
            tenant_wishes="",
            decision=Option.RECIPROCAL,
            decision_reason="Cannot be made safe in our area.",
        )
        for code in areas:
            safety_services.place_add(case=case, actor=manager, kind=PlaceKind.NEAR, area_code=code)
        safety_services.place_add(case=case, actor=manager, kind=PlaceKind.AVOID, area_code=UNSAFE_AREA)
        if avoid_postcode:
            safety_services.place_add(
                case=case, actor=manager, kind=PlaceKind.AVOID, postcode=avoid_postcode, radius_km="5"
            )
        if consent:
            case_services.consent_record(
                case=case,
                actor=manager,
                purpose=ConsentPurpose.SCHEME_SHARING,
                basis=ConsentBasis.CONSENT,
                how_given="Signed form",
            )
    return case


def make_home(
    landlord: Landlord,
    *,
    postcode: str = "CT1 1AA",
    bedrooms: int = 2,
    address: str = "4 Bramley Gardens",
    tenancy: str = "2",
) -> Home:
    user = landlord[Role.LETTINGS_OFFICER]
    with scopes_disabled():
        membership = user.membership
    with organisation_scope(landlord.organisation.pk):
        return home_create(
            membership=membership,
            data=HomeInput(
                address=address,
                postcode=postcode,
                bedrooms=bedrooms,
                floor=0,
                has_lift=False,
                step_free=True,
                wheelchair_standard="2",
                pets_allowed=True,
                weekly_rent=Decimal("104.50"),
                tenancy_offered=tenancy,
                available_from=date(2026, 12, 1),
            ),
        )


def draft_request(landlord: Landlord, case: Case, *, bedrooms: int = 2) -> MoveRequest:
    with organisation_scope(landlord.organisation.pk):
        return services.request_create(
            membership=landlord[Role.MANAGER].membership,
            case=case,
            bedrooms_needed=bedrooms,
            access_need="3",
            pets=False,
            urgent=True,
        )


def circulated_request(landlord: Landlord, case: Case, *, bedrooms: int = 2) -> MoveRequest:
    request = draft_request(landlord, case, bedrooms=bedrooms)
    manager = landlord[Role.MANAGER]
    with organisation_scope(landlord.organisation.pk):
        services.request_approve(request=request, actor=manager)
        services.request_circulate(request=request, actor=manager)
    return request


def offer_home(landlord: Landlord, home: Home, request: MoveRequest) -> Offer:
    with organisation_scope(landlord.organisation.pk):
        return services.offer_create(actor=landlord[Role.LETTINGS_OFFICER], home=home, request=request)


def accept(landlord: Landlord, offer: Offer, *, release: bool = True) -> None:
    officer = landlord[Role.OFFICER]
    with organisation_scope(landlord.organisation.pk):
        services.offer_decide(offer=offer, actor=officer, accepted=True)
        if release:
            services.identity_release(offer=offer, actor=officer)


def third_landlord(name: str = "Gamma Homes", areas: tuple[str, ...] = ("E07000113",)) -> Landlord:
    organisation = make_organisation(name, areas=areas)
    return Landlord(organisation, {role: make_member(organisation, role) for role in Role})


def private_scheme(a: Landlord, c: Landlord, *, leaving: Scheme | None = None) -> Scheme:
    """A scheme of A and C only (A leaves ``leaving``), so B is an outsider to everything in it."""
    scheme = Scheme.objects.create(name=f"Scheme of {a.organisation.slug}", slug=f"scheme-{a.organisation.slug}")
    if leaving is not None:
        SchemeMembership.objects.filter(scheme=leaving, organisation=a.organisation).update(is_active=False)
    for landlord in (a, c):
        SchemeMembership.objects.create(scheme=scheme, organisation=landlord.organisation)
    return scheme
