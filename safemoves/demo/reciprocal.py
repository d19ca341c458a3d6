"""Move requests in every state for the demo consortium, from its existing demo cases.

Run after ``seed_demo_consortium()``, the demo cases, ``seed_demo_risk_and_safety()`` (which
gives some cases a reciprocal options appraisal) and ``seed_demo_homes()``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases.codes import CaseStatus, ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import consent_in_force, consent_record
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.demo.consortium import LANDLORDS
from safemoves.organisations.models import Membership, Organisation, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.codes import RequestStatus
from safemoves.reciprocal.models import MoveRequest, Offer
from safemoves.reciprocal.pool import services
from safemoves.safety.codes import Option
from safemoves.safety.selectors import appraisal_for_matching

# The state each landlord's next request is brought to, in turn.
STATES = (
    RequestStatus.DRAFT,
    RequestStatus.APPROVED,
    RequestStatus.CIRCULATED,
    RequestStatus.OFFERED,
    RequestStatus.ACCEPTED,
    RequestStatus.MOVED,
    RequestStatus.WITHDRAWN,
    RequestStatus.CLOSED,
)
OFFER_STATES = (RequestStatus.OFFERED, RequestStatus.ACCEPTED, RequestStatus.MOVED)


def _role(organisation: Organisation, role: Role) -> User | None:
    with scopes_disabled():
        member = (
            Membership.objects.filter(organisation=organisation, role=role, is_active=True)
            .select_related("user")
            .first()
        )
    return member.user if member else None


def _candidates(organisation: Organisation) -> list[Case]:
    chosen = []
    for case in Case.objects.filter(organisation=organisation).exclude(status=CaseStatus.CLOSED).order_by("reference"):
        if MoveRequest.objects.filter(case=case).exists():
            continue
        if appraisal_for_matching(case)["decision"] == Option.RECIPROCAL and case.tenure:
            chosen.append(case)
    return chosen


def _offer(request: MoveRequest, organisations: dict[int, Organisation]) -> Offer | None:
    """An offer from the first other member whose available home fits the request."""
    with scopes_disabled():
        homes = list(
            Home.objects.filter(status=HomeStatus.AVAILABLE, latitude__isnull=False)
            .exclude(organisation_id=request.organisation_id)
            .order_by("organisation_id", "pk")
        )
    for home in homes:
        if not pool.home_fits_request(home, request):
            continue
        lettings = _role(organisations[home.organisation_id], Role.LETTINGS_OFFICER)
        if lettings is None:
            continue
        try:
            with organisation_scope(home.organisation_id):
                return services.offer_create(actor=lettings, home=home, request=request)
        except ValidationError:
            continue  # for example a less secure tenancy than the household holds
    return None


def _bring_to(state: str, case: Case, organisations: dict[int, Organisation]) -> bool:
    organisation = organisations[case.organisation_id]
    manager = _role(organisation, Role.MANAGER)
    if manager is None:
        return False
    officer = case.assigned_officer or manager
    with organisation_scope(organisation.pk):
        request = services.request_create(
            membership=Membership.objects.get(user=manager),
            case=case,
            bedrooms_needed=2,
            access_need="3",
            pets=False,
            urgent=state in (RequestStatus.OFFERED, RequestStatus.CIRCULATED),
        )
        if state == RequestStatus.DRAFT:
            return True
        if state == RequestStatus.WITHDRAWN:
            services.request_withdraw(request=request, actor=manager, reason="safe_at_home")
            return True
        services.request_approve(request=request, actor=manager)
        if state == RequestStatus.APPROVED:
            return True
        # Circulation needs the consent to sharing with the scheme (or a lawful basis).
        if consent_in_force(case, ConsentPurpose.SCHEME_SHARING) is None:
            consent_record(
                case=case,
                actor=manager,
                purpose=ConsentPurpose.SCHEME_SHARING,
                basis=ConsentBasis.CONSENT,
                how_given="Signed consent form (demo)",
            )
        services.request_circulate(request=request, actor=manager)
        if state == RequestStatus.CLOSED:
            services.request_close(request=request, actor=manager, reason="no_suitable_home")
            return True
        if state == RequestStatus.CIRCULATED:
            return True
    offer = _offer(request, organisations)
    if offer is None:
        return False
    if state == RequestStatus.OFFERED:
        return True
    with organisation_scope(organisation.pk):
        services.offer_decide(offer=offer, actor=officer, accepted=True)
        services.identity_release(offer=offer, actor=officer)
    if state == RequestStatus.ACCEPTED:
        return True
    lettings = _role(organisations[offer.organisation_id], Role.LETTINGS_OFFICER)
    assert lettings is not None  # noqa: S101 - the offer was made by one
    with organisation_scope(offer.organisation_id):
        services.move_record(offer=offer, actor=lettings, move_date=timezone.localdate())
    return True


@transaction.atomic
def seed_demo_requests(*, per_landlord: int = 3) -> int:
    """Bring up to ``per_landlord`` cases of each demo landlord (those whose options appraisal
    chose a reciprocal move) to move requests, cycling through every state across the
    consortium; returns how many requests were created. Idempotent: a case that already has a
    request is skipped, and a landlord with requests already is left alone."""
    with scopes_disabled():
        organisations = {
            org.pk: org for org in Organisation.objects.filter(slug__in=[landlord.slug for landlord in LANDLORDS])
        }
    created = 0
    turn = 0
    for organisation in sorted(organisations.values(), key=lambda org: org.slug):
        with organisation_scope(organisation.pk):
            if MoveRequest.objects.filter(organisation=organisation).exists():
                continue
            cases = _candidates(organisation)[:per_landlord]
        for case in cases:
            state = STATES[turn % len(STATES)]
            turn += 1
            try:
                with transaction.atomic():
                    if _bring_to(state, case, organisations):
                        created += 1
            except ValidationError:
                continue  # this case cannot reach that state (no fitting home...): the next one tries
    return created
