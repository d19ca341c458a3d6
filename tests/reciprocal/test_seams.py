"""Issue 10: each rule of the scheme holds at the step where it is decided (items 3, 8, 9, 10, 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.cases import services as case_services
from safemoves.cases.codes import ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.codes import CheckInOutcome, OfferStatus, ProposalStatus, RequestStatus
from safemoves.reciprocal.models import LedgerEntry, Move, MoveRequest, Offer, OfferProposal, SchemePolicy
from safemoves.reciprocal.pool import probing, services
from safemoves.safety import services as safety_services
from safemoves.safety.codes import PlaceKind
from safemoves.safety.models import SafetyAction
from tests.factories import World, sign_in
from tests.reciprocal.factories import accept, circulated_request, draft_request, make_home, offer_home, reciprocal_case

pytestmark = pytest.mark.django_db


def _status(request: MoveRequest) -> str:
    with scopes_disabled():
        return MoveRequest.objects.get(pk=request.pk).status


def _offer_status(offer: Offer) -> str:
    with scopes_disabled():
        return Offer.objects.get(pk=offer.pk).status


def _home_status(home: Home) -> str:
    with scopes_disabled():
        return Home.objects.get(pk=home.pk).status


def _refuse(world: World, offer: Offer, *, reasonable: bool) -> None:
    with organisation_scope(world.a.organisation.pk):
        services.offer_decide(
            offer=offer,
            actor=world.a[Role.OFFICER],
            accepted=False,
            refusal_reason="condition",
            reasonable_refusal=reasonable,
        )


def _policy(world: World, **values: int | str) -> None:
    SchemePolicy.objects.create(scheme=world.scheme, version=1, **values)


def _set_tenure(case: Case, tenure: str) -> None:
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(tenure=tenure)


# --- item 3: security of tenure where it is decided -------------------------------------------


def test_acceptance_checks_tenure_again(world: World) -> None:
    # Offered on a periodic tenancy to a periodic tenant; her tenure is then corrected to secure.
    case = reciprocal_case(world.a)
    _set_tenure(case, "8")
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b, tenancy="8"), request)
    _set_tenure(case, "7")
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_decide(offer=offer, actor=world.a[Role.OFFICER], accepted=True)
    assert caught.value.message_dict == {
        "home": [
            "Tenure rule: A periodic tenancy is less secure than the current secure (lifetime) tenancy: "
            "the tenant must keep the same security of tenure or better."
        ]
    }
    assert _offer_status(offer) == OfferStatus.OFFERED
    assert _status(request) == RequestStatus.OFFERED


def test_the_move_takes_the_tenancy_the_offer_was_made_on(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    home = make_home(world.b, tenancy="2")
    offer = offer_home(world.b, home, request)
    with scopes_disabled():
        assert Offer.objects.get(pk=offer.pk).tenancy == "2"
        # A later edit of the home's tenancy does not change what was offered.
        Home.objects.filter(pk=home.pk).update(tenancy_offered="7")
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    with scopes_disabled():
        assert (Move.objects.get(pk=move.pk).old_tenure, Move.objects.get(pk=move.pk).new_tenure) == ("7", "2")


def test_the_move_form_does_not_ask_for_the_tenancy(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    client = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    page = client.get(reverse("reciprocal:move_record", kwargs={"offer_id": offer.pk})).content.decode()
    assert 'name="new_tenure"' not in page
    assert "Tenancy given: <strong>Assured (lifetime)</strong>" in page


# --- the fit is checked again at acceptance and at the move ---------------------------------


def test_acceptance_checks_the_fit_again_without_naming_a_place(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    with organisation_scope(world.a.organisation.pk):
        safety_services.place_add(
            case=case, actor=world.a[Role.MANAGER], kind=PlaceKind.AVOID, postcode="CT1 1AA", radius_km="3"
        )
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_decide(offer=offer, actor=world.a[Role.OFFICER], accepted=True)
    assert caught.value.message_dict == {
        "home": [
            "Fit rule: this home no longer fits the request (size, access, pets, areas or safety); "
            "it cannot be accepted."
        ]
    }
    assert _offer_status(offer) == OfferStatus.OFFERED


def test_the_move_checks_the_fit_again(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    with organisation_scope(world.a.organisation.pk):
        safety_services.place_add(
            case=case, actor=world.a[Role.MANAGER], kind=PlaceKind.AVOID, postcode="CT1 1AA", radius_km="3"
        )
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    assert caught.value.messages == [
        "Fit rule: this home no longer fits the request (size, access, pets, areas or safety); it cannot be moved into."
    ]
    with scopes_disabled():
        assert not Move.objects.exists()
        assert not LedgerEntry.objects.exists()


# --- item 8: closing a case closes its reciprocal work ----------------------------------------


def test_closing_the_case_withdraws_request_and_offers(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    home = make_home(world.b)
    offer = offer_home(world.b, home, request)
    with organisation_scope(world.a.organisation.pk):
        case_services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
    with scopes_disabled():
        stored = MoveRequest.objects.get(pk=request.pk)
        assert (stored.status, stored.end_reason) == (RequestStatus.WITHDRAWN, "case_closed")
        assert Case.objects.get(pk=case.pk).next_due_at is None
    assert _offer_status(offer) == OfferStatus.WITHDRAWN
    assert _home_status(home) == HomeStatus.AVAILABLE


def test_closing_the_case_declines_open_proposals_and_withdraws_a_draft(world: World) -> None:
    case = reciprocal_case(world.a)
    request = draft_request(world.a, case)
    with organisation_scope(world.a.organisation.pk):
        case_services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
    assert _status(request) == RequestStatus.WITHDRAWN


def test_case_closed_is_not_a_reason_anyone_chooses(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.request_withdraw(request=request, actor=world.a[Role.MANAGER], reason="case_closed")
    assert caught.value.message_dict == {"reason": ["Choose why the request ends."]}
    assert _status(request) == RequestStatus.CIRCULATED


def test_no_breach_mail_for_a_closed_case(world: World) -> None:
    from safemoves.safety.catalogue import LOCK_CHANGE
    from safemoves.safety.services import safety_action_create, safety_breaches_notify

    case = reciprocal_case(world.a)
    with organisation_scope(world.a.organisation.pk):
        if not SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE).exists():
            safety_action_create(case=case, actor=world.a[Role.MANAGER], type_code=LOCK_CHANGE)
        case_services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
        assert SafetyAction.objects.filter(case=case, status="open").exists()
    mail.outbox.clear()
    assert safety_breaches_notify(now=timezone.now() + timedelta(days=400)) == []
    assert mail.outbox == []


# --- item 9: offers follow the scheme's policy ------------------------------------------------


def test_a_refused_home_is_never_offered_again_for_that_request(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    _refuse(world, offer_home(world.b, home, request), reasonable=True)
    assert _status(request) == RequestStatus.CIRCULATED
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=home, request=request)
    assert caught.value.messages == [
        "Refused-before rule: the household refused this home before; it cannot be offered."
    ]


def test_the_policy_limits_offers_in_total(world: World) -> None:
    _policy(world, max_offers=1, unreasonable_refusal="recirculate")
    request = circulated_request(world.a, reciprocal_case(world.a))
    second = make_home(world.b, postcode="CT2 7NZ", address="9 Saxon Rise")
    lettings = world.b[Role.LETTINGS_OFFICER].membership
    with organisation_scope(world.b.organisation.pk):
        assert [fit.profile.request_id for fit in pool.fits_for_home(lettings, second)] == [request.pk]
    _refuse(world, offer_home(world.b, make_home(world.b), request), reasonable=True)
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=second, request=request)
    assert caught.value.messages == ["This request has had 1 offer; the scheme allows 1 in total."]
    # Nor is it listed as a fit for the home any more: it can take no offer.
    with organisation_scope(world.b.organisation.pk):
        assert pool.fits_for_home(lettings, second) == []


def test_an_unreasonable_refusal_returns_the_request_for_review(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    _refuse(world, offer_home(world.b, make_home(world.b), request), reasonable=False)
    assert _status(request) == RequestStatus.REVIEW
    second = make_home(world.b, postcode="CT2 7NZ", address="9 Saxon Rise")
    with organisation_scope(world.b.organisation.pk), pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.b[Role.LETTINGS_OFFICER], home=second, request=request)
    assert caught.value.messages == ["A request that is returned to its landlord for review cannot receive an offer."]
    # Its landlord's manager reviews it and circulates it again.
    client = sign_in(Client(), world.a[Role.MANAGER])
    client.post(reverse("reciprocal:request_circulate", kwargs={"request_id": request.pk}))
    assert _status(request) == RequestStatus.CIRCULATED


def test_an_unreasonable_refusal_recirculates_when_the_policy_says_so(world: World) -> None:
    _policy(world, unreasonable_refusal="recirculate")
    request = circulated_request(world.a, reciprocal_case(world.a))
    _refuse(world, offer_home(world.b, make_home(world.b), request), reasonable=False)
    assert _status(request) == RequestStatus.CIRCULATED


def test_a_move_typed_ahead_posts_to_the_ledger_on_its_date(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    move_date = timezone.localdate() + timedelta(days=10)
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=move_date)
    with scopes_disabled():
        assert not LedgerEntry.objects.exists()
    assert services.moves_post_ledger(today=move_date - timedelta(days=1)) == 0
    assert services.moves_post_ledger(today=move_date) == 1
    assert services.moves_post_ledger(today=move_date) == 0
    with scopes_disabled():
        entries = sorted(LedgerEntry.objects.values_list("organisation_id", "delta", "move_id"))
        assert Move.objects.get(pk=move.pk).ledger_posted_at is not None
    assert entries == sorted([(world.a.organisation.pk, -1, move.pk), (world.b.organisation.pk, 1, move.pk)])


def test_the_check_in_records_what_was_found_and_not_before_the_move(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    move_date = timezone.localdate() + timedelta(days=3)
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=move_date)
    with organisation_scope(world.a.organisation.pk):
        with pytest.raises(ValidationError) as early:
            services.move_check_in(move=move, actor=world.a[Role.OFFICER], outcome=CheckInOutcome.SETTLED)
        assert early.value.messages == [
            f"The check-in cannot be recorded before the move on {move_date.strftime('%-d %B %Y')}."
        ]
    with scopes_disabled():
        Move.objects.filter(pk=move.pk).update(move_date=timezone.localdate())
    with organisation_scope(world.a.organisation.pk):
        with pytest.raises(ValidationError) as missing:
            services.move_check_in(move=move, actor=world.a[Role.OFFICER], outcome="")
        assert missing.value.message_dict == {"outcome": ["Choose what the check-in found."]}
        services.move_check_in(
            move=move,
            actor=world.a[Role.OFFICER],
            outcome=CheckInOutcome.CONCERNS,
            notes="Worried about the bus route.",
        )
    with scopes_disabled():
        stored = Move.objects.get(pk=move.pk)
        assert (stored.check_in_outcome, stored.check_in_notes) == ("concerns", "Worried about the bus route.")
        raw = Move.objects.filter(pk=move.pk).values_list("check_in_notes", flat=True).get()
    assert "bus route" not in str(raw)


# --- item 10: only a home's own landlord commits its home -------------------------------------


def test_a_coordinator_cannot_offer_another_members_home(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    with pytest.raises(ValidationError) as caught:
        services.offer_create(actor=world.a[Role.COORDINATOR], home=home, request=request)
    assert caught.value.message_dict == {
        "home": ["Only the home's own landlord can offer it; propose it to that landlord instead."]
    }
    with scopes_disabled():
        assert not Offer.objects.exists()
    assert _home_status(home) == HomeStatus.AVAILABLE


def test_a_coordinator_of_the_homes_landlord_offers_directly(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    with organisation_scope(world.b.organisation.pk):
        offer = services.offer_create(actor=world.b[Role.COORDINATOR], home=home, request=request)
    assert _offer_status(offer) == OfferStatus.OFFERED


def test_the_homes_landlord_confirms_a_coordinators_proposal(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    client = sign_in(Client(), world.a[Role.COORDINATOR])
    client.post(reverse("reciprocal:matching"), {"proposal": f"{request.pk}:{home.pk}"})
    with scopes_disabled():
        proposal = OfferProposal.objects.get()
        assert proposal.status == ProposalStatus.PROPOSED
        assert not Offer.objects.exists()
    assert _home_status(home) == HomeStatus.AVAILABLE
    lettings = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    assert request.reference in lettings.get(reverse("reciprocal:homes")).content.decode()
    lettings.post(reverse("reciprocal:proposal_decide", kwargs={"proposal_id": proposal.pk}), {"decision": "confirm"})
    with scopes_disabled():
        proposal.refresh_from_db()
        offer = Offer.objects.get()
    assert (proposal.status, proposal.offer_id, offer.offered_by_id) == (
        ProposalStatus.CONFIRMED,
        offer.pk,
        world.b[Role.LETTINGS_OFFICER].pk,
    )
    assert _home_status(home) == HomeStatus.OFFERED


def test_the_homes_landlord_may_decline_a_proposal(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    proposal = services.proposal_create(membership=world.a[Role.COORDINATOR].membership, home=home, request=request)
    with organisation_scope(world.b.organisation.pk):
        services.proposal_decide(proposal=proposal, actor=world.b[Role.LETTINGS_OFFICER], confirm=False)
    with scopes_disabled():
        assert OfferProposal.objects.get(pk=proposal.pk).status == ProposalStatus.DECLINED
        assert not Offer.objects.exists()


def _open_proposal(world: World, request: MoveRequest) -> OfferProposal:
    home = make_home(world.b, address="9 Orchard Row")
    return services.proposal_create(membership=world.a[Role.COORDINATOR].membership, home=home, request=request)


def _proposal_status(proposal: OfferProposal) -> str:
    with scopes_disabled():
        return OfferProposal.objects.get(pk=proposal.pk).status


@pytest.mark.parametrize("ending", ["withdrawn", "closed"])
def test_a_request_that_ends_declines_its_open_proposals(world: World, ending: str) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    proposal = _open_proposal(world, request)
    end = services.request_withdraw if ending == "withdrawn" else services.request_close
    with organisation_scope(world.a.organisation.pk):
        end(request=request, actor=world.a[Role.MANAGER], reason="no_suitable_home")
    assert _status(request) == ending
    assert _proposal_status(proposal) == ProposalStatus.DECLINED


def test_a_move_declines_the_requests_other_proposals_and_a_later_close_leaves_nothing_live(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    proposal = _open_proposal(world, request)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    assert (_status(request), _proposal_status(proposal)) == (RequestStatus.MOVED, ProposalStatus.DECLINED)
    with organisation_scope(world.a.organisation.pk):
        case_services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="moved_reciprocal")
    with scopes_disabled():
        assert not OfferProposal.objects.filter(status=ProposalStatus.PROPOSED).exists()


def test_closing_the_case_declines_a_proposal_left_on_a_request_that_already_left_the_pool(world: World) -> None:
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    proposal = _open_proposal(world, request)
    with scopes_disabled():  # as data from before requests ending declined their proposals
        MoveRequest.objects.filter(pk=request.pk).update(status=RequestStatus.MOVED)
    with organisation_scope(world.a.organisation.pk):
        case_services.case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
    assert _proposal_status(proposal) == ProposalStatus.DECLINED


# --- item 11: circulation needs the scheme-sharing consent ------------------------------------


def test_circulation_needs_consent_or_a_lawful_basis(world: World) -> None:
    case = reciprocal_case(world.a, consent=False)
    request = draft_request(world.a, case)
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        services.request_approve(request=request, actor=manager)
        with pytest.raises(ValidationError) as caught:
            services.request_circulate(request=request, actor=manager)
        assert caught.value.messages == [
            "No consent to sharing with the reciprocal scheme is in force for this case. Record the tenant's "
            "consent, or the lawful basis for sharing without it, on the case before circulating."
        ]
        assert _status(request) == RequestStatus.APPROVED
        case_services.consent_record(
            case=case,
            actor=manager,
            purpose=ConsentPurpose.SCHEME_SHARING,
            basis=ConsentBasis.VITAL_INTERESTS,
            notes="Risk to life; the tenant cannot be reached safely.",
        )
        services.request_circulate(request=request, actor=manager)
    assert _status(request) == RequestStatus.CIRCULATED


def test_a_refused_offer_counts_against_the_fit_check_limit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # An offer answers "does this home fit?" too: without counting, offering (and failing) home
    # after home would locate her places past the matching page's limit (ADR 0012).
    monkeypatch.setattr(probing, "HOMES_PER_REQUEST", 1)
    request = circulated_request(world.a, reciprocal_case(world.a))
    too_big = make_home(world.b, bedrooms=4, address="1 Wide Way")
    fitting = make_home(world.b, postcode="CT2 7NZ", address="9 Saxon Rise")
    lettings = world.b[Role.LETTINGS_OFFICER]
    with organisation_scope(world.b.organisation.pk):
        with pytest.raises(ValidationError) as caught:
            services.offer_create(actor=lettings, home=too_big, request=request)
        assert caught.value.messages[0].startswith("Fit rule:")
        with pytest.raises(ValidationError) as caught:
            services.offer_create(actor=lettings, home=fitting, request=request)
        assert caught.value.messages[0].startswith("Limit rule:")
    assert _status(request) == RequestStatus.CIRCULATED
