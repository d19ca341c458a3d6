from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases import services as case_services
from safemoves.cases.codes import ConsentBasis, ConsentPurpose
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.codes import OfferStatus, RequestStatus
from safemoves.reciprocal.models import (
    SHARED_PROFILE_FIELDS,
    AppendOnlyError,
    LedgerEntry,
    Move,
    MoveRequest,
    Offer,
    SchemePolicy,
    SharedProfile,
)
from safemoves.reciprocal.pool import services
from safemoves.risk.models import MaracReferral
from safemoves.safety.models import SafetyAction
from tests.factories import World
from tests.reciprocal.factories import (
    SAFE_AREAS,
    accept,
    circulated_request,
    draft_request,
    make_home,
    offer_home,
    reciprocal_case,
)

pytestmark = pytest.mark.django_db


def _status(request: MoveRequest) -> str:
    with scopes_disabled():
        return MoveRequest.objects.get(pk=request.pk).status


def test_reference_is_random_and_shaped() -> None:
    codes = {services.new_reference() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert code.startswith("KMR-")
        assert len(code) == 9
        assert set(code[4:]) <= set(services.REFERENCE_ALPHABET)


def test_request_needs_a_reciprocal_decision_and_enough_areas(world: World) -> None:
    case = reciprocal_case(world.a, areas=SAFE_AREAS[:3])
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.request_create(
            membership=world.a[Role.MANAGER].membership, case=case, bedrooms_needed=2, access_need="3", pets=False,
            urgent=False,
        )  # fmt: skip
    assert caught.value.message_dict == {
        "safe_areas": [
            "3 safe districts chosen; the scheme needs at least 5. A request circulates only to members with "
            "homes in the districts (council areas) the household could live in safely, so it names at least 5 "
            "of them to reach enough landlords. Add them as areas to live near on the case's options appraisal."
        ]
    }


def test_profile_is_exactly_the_allow_list_and_derived_from_the_case(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    with scopes_disabled():
        profile = SharedProfile.objects.get(request=request)
    assert sorted(profile.data) == sorted(SHARED_PROFILE_FIELDS)
    assert profile.data == {
        "reference": request.reference,
        "adults": 1,
        "children_age_bands": ["5-10"],
        "bedrooms_needed": 2,
        "access_need": "3",
        "pets": False,
        "safe_areas": sorted(SAFE_AREAS),
        "risk_band": "not_assessed",
        "tenure_to_keep": "7",
        "urgent": True,
        "days_waiting": 0,
    }
    assert request.circulation_due_at is not None


def test_profile_refuses_an_extra_field(world: World) -> None:
    case = reciprocal_case(world.a)
    request = draft_request(world.a, case)
    data = dict.fromkeys(SHARED_PROFILE_FIELDS, 1) | {"postcode": "ME4 4QZ"}
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError):
        SharedProfile.objects.create(organisation=world.a.organisation, request=request, data=data)


def test_illegal_transition_is_refused_with_the_reason(world: World) -> None:
    case = reciprocal_case(world.a)
    request = draft_request(world.a, case)
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.request_circulate(request=request, actor=world.a[Role.MANAGER])
    assert caught.value.messages == ["A request that is draft cannot be circulated."]
    assert _status(request) == RequestStatus.DRAFT


def test_the_whole_journey_moves_ledger_and_follow_ups(world: World) -> None:
    case = reciprocal_case(world.a)
    with organisation_scope(world.a.organisation.pk):
        MaracReferral.objects.create(
            organisation=world.a.organisation, case=case, area_code="E06000035", referred_on=date(2026, 11, 1),
            sharing_basis="consent", created_by=world.a[Role.MANAGER],
        )  # fmt: skip
    request = circulated_request(world.a, case)
    home = make_home(world.b)
    offer = offer_home(world.b, home, request)
    assert _status(request) == RequestStatus.OFFERED
    with scopes_disabled():
        assert Home.objects.get(pk=home.pk).status == HomeStatus.OFFERED
    accept(world.a, offer)
    assert _status(request) == RequestStatus.ACCEPTED
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    assert _status(request) == RequestStatus.MOVED
    with scopes_disabled():
        stored = Move.objects.get(pk=move.pk)
        assert stored.new_address == "4 Bramley Gardens"
        assert stored.new_area_code == "E07000106"
        let = Home.objects.get(pk=home.pk)
        assert (let.status, let.latitude, let.longitude) == (HomeStatus.LET, None, None)
        entries = sorted(LedgerEntry.objects.values_list("organisation_id", "delta", "bedrooms"))
        assert entries == sorted([(world.a.organisation.pk, -1, 2), (world.b.organisation.pk, 1, 2)])
        actions = list(SafetyAction.objects.filter(case=case).values_list("action_type__code", flat=True))
        assert "old_address_flags" in actions
        referrals = {r.area_code: r.transferred_on for r in MaracReferral.objects.filter(case=case)}
        assert referrals == {"E06000035": timezone.localdate(), "E07000106": None}
        assert Offer.objects.get(pk=offer.pk).status == OfferStatus.MOVED
    assert pool.ledger_balances([world.scheme.pk]) == {world.a.organisation.pk: -1, world.b.organisation.pk: 1}


def test_a_less_secure_tenure_cannot_be_offered(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    home = make_home(world.b, tenancy="4")
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=home, request=request)
    assert caught.value.message_dict == {
        "home": [
            "Tenure rule: A assured shorthold (fixed term) tenancy is less secure than the current secure "
            "(lifetime) tenancy: the tenant must keep the same security of tenure or better."
        ]
    }
    with scopes_disabled():
        assert not Offer.objects.exists()
        assert Home.objects.get(pk=home.pk).status == HomeStatus.AVAILABLE


def test_identity_needs_consent(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer, release=False)
    with organisation_scope(world.a.organisation.pk):
        case_services.consent_record(
            case=case, actor=world.a[Role.MANAGER], purpose=ConsentPurpose.SCHEME_SHARING, basis=ConsentBasis.WITHDRAWN
        )
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.identity_release(offer=offer, actor=world.a[Role.OFFICER])
    assert caught.value.messages == [
        "Record the tenant's consent to sharing with the reciprocal scheme on the case first: "
        "without it the identity cannot be released."
    ]
    assert pool.released_identity(world.b[Role.LETTINGS_OFFICER].membership, offer.pk) is None


def test_refusal_returns_the_home_and_the_request_to_the_pool(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    offer = offer_home(world.b, home, request)
    with organisation_scope(world.a.organisation.pk):
        with pytest.raises(ValidationError) as caught:
            services.offer_decide(offer=offer, actor=world.a[Role.OFFICER], accepted=False)
        assert set(caught.value.message_dict) == {"refusal_reason", "reasonable_refusal"}
        services.offer_decide(
            offer=offer, actor=world.a[Role.OFFICER], accepted=False, refusal_reason="too_far", reasonable_refusal=True
        )
    assert _status(request) == RequestStatus.CIRCULATED
    with scopes_disabled():
        assert Home.objects.get(pk=home.pk).status == HomeStatus.AVAILABLE
        stored = Offer.objects.get(pk=offer.pk)
        assert (stored.status, stored.refusal_reason, stored.reasonable_refusal) == ("refused", "too_far", True)


def test_one_live_offer_per_request_and_expiry(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    first = offer_home(world.b, make_home(world.b), request)
    second_home = make_home(world.b, postcode="CT2 7NZ", address="9 Saxon Rise")
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=second_home, request=request)
    assert caught.value.messages == ["A request that is offered cannot receive an offer."] or caught.value.messages == [
        "This request already has 1 live offer; the scheme allows 1 at a time."
    ]
    assert services.offers_expire(now=timezone.now() + timedelta(days=8)) == 1
    with scopes_disabled():
        assert Offer.objects.get(pk=first.pk).status == OfferStatus.EXPIRED
    assert _status(request) == RequestStatus.CIRCULATED


def test_an_unsafe_home_cannot_be_offered(world: World) -> None:
    # A home in Chatham, inside the 5 km around the place she must avoid (and in an unsafe area).
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b, postcode="ME4 4AA")
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError):
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=home, request=request)
    assert pool.fits_for_home(world.b[Role.LETTINGS_OFFICER].membership, home) == []


def test_fits_for_home_ranks_with_public_reasons(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    fits = pool.fits_for_home(world.b[Role.LETTINGS_OFFICER].membership, home)
    assert [fit.profile.reference for fit in fits] == [request.reference]
    assert fits[0].reasons[:4] == [
        "2 bedrooms needed, home has 2",
        "in a chosen safe area (Canterbury)",
        "safe for this request: outside every unsafe area and far enough from every unsafe place",
        "urgent",
    ]
    assert not any("unsafe place" in line and "km" in line for line in fits[0].reasons)


def test_ledger_is_append_only_and_corrections_reverse_pairs(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    with scopes_disabled():
        entry = LedgerEntry.objects.first()
        assert entry is not None
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            LedgerEntry.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            LedgerEntry.objects.update(delta=1)
    corrections = services.ledger_correct(entry=entry, actor=world.a[Role.COORDINATOR])
    assert len(corrections) == 2
    assert pool.ledger_balances([world.scheme.pk]) == {world.a.organisation.pk: 0, world.b.organisation.pk: 0}
    with pytest.raises(ValidationError):
        services.ledger_correct(entry=entry, actor=world.a[Role.COORDINATOR])


def test_policy_versions_and_audit(world: World) -> None:
    membership = world.a[Role.COORDINATOR].membership
    values: dict[str, int | str] = {
        "live_offer_limit": 2,
        "minimum_areas": 3,
        "offer_expiry_days": 10,
        "circulation_working_days": 4,
        "max_offers": 3,
        "waiting_alert_days": 30,
        "unreasonable_refusal": "review",
    }
    first = services.policy_update(membership=membership, values=values)
    second = services.policy_update(membership=membership, values={**values, "minimum_areas": 4})
    assert (first.version, second.version) == (1, 2)
    assert pool.policy_in_force(world.scheme.pk).minimum_areas == 4
    assert SchemePolicy.objects.count() == 2
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="reciprocal.policy_changed").order_by("-seq").first()
    assert event is not None
    assert event.fields == ["minimum_areas"]
    with pytest.raises(ValidationError) as caught:
        services.policy_update(membership=membership, values={**values, "minimum_areas": 0})
    assert caught.value.message_dict == {"minimum_areas": ["Enter a whole number from 1 to 20."]}
    with pytest.raises(ValidationError):
        services.policy_update(membership=world.a[Role.MANAGER].membership, values=values)


def test_withdraw_ends_live_offers(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    offer = offer_home(world.b, home, request)
    with organisation_scope(world.a.organisation.pk):
        services.request_withdraw(request=request, actor=world.a[Role.MANAGER], reason="tenant_withdrew")
    assert _status(request) == RequestStatus.WITHDRAWN
    with scopes_disabled():
        assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN
        assert Home.objects.get(pk=home.pk).status == HomeStatus.AVAILABLE
