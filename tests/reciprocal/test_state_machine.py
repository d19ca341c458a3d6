"""Issue 10 acceptance: the scheme's rules hold after every step of any journey.

A Hypothesis state machine drives the real services on the real database over cases,
requests, homes, offers, proposals and moves (open a case, raise, approve, circulate, fit,
offer or propose, refuse reasonably or not, accept, release identity, withdraw consent, move
now or ahead, tick, expire, close the case, correct the ledger). After every step it checks,
independently of the code under test (the safety rules with a plain haversine over the
household's recorded places):

* no live offer breaks a safety rule: outside every unsafe circle and area, inside every
  required radius and chosen area, a tenancy at least as secure, never a home refused before,
  made by the home's own landlord;
* a closed case has no live request, offer or open proposal;
* an identity is released only for an accepted offer, after acceptance, on a consent (or
  lawful basis) in force at that moment;
* the ledger sums to zero per scheme and holds exactly the pairs of completed moves whose
  date has come, and their corrections.

Each example runs in a savepoint that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from safemoves.audit.models import AuditEvent
from safemoves.cases import services as case_services
from safemoves.cases.codes import PERMITTING_BASES, TENURE_SECURITY, CaseStatus, ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case, Consent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    LIVE_STATUSES,
    LedgerReason,
    OfferStatus,
    ProposalStatus,
    ViewingOutcome,
)
from safemoves.reciprocal.models import (
    Handover,
    HandoverConsent,
    IdentityRelease,
    LedgerEntry,
    Move,
    MoveRequest,
    Offer,
    OfferProposal,
    SignUp,
    Viewing,
)
from safemoves.reciprocal.pool import services
from safemoves.safety import services as safety_services
from safemoves.safety.codes import PlaceKind
from safemoves.safety.models import Place
from tests.factories import World
from tests.reciprocal.factories import make_home, reciprocal_case

pytestmark = pytest.mark.django_db

EARTH_RADIUS_KM = 6371.0088
# Canterbury (twice), Sittingbourne, Chatham (an unsafe area, next to the unsafe place), Maidstone.
HOME_POSTCODES = ("CT1 1AA", "CT2 7NZ", "ME10 4AA", "ME4 4AA", "ME14 1XQ")
TENANCIES = ("2", "7", "8", "4")  # assured and secure lifetime, periodic, assured shorthold
MAX_CASES = 3
MAX_HOMES = 5


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Written out here on purpose: the check must not share code with what it checks."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


class SchemeMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.cases: list[Any] = []
        self.homes: list[Any] = []
        self.today = timezone.localdate()
        # The latest day a tick has run for: a move dated up to it may be on the ledger.
        self.ledger_day = self.today

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------

    @property
    def a(self) -> Any:
        return self.world.a

    @property
    def b(self) -> Any:
        return self.world.b

    def _requests(self) -> list[MoveRequest]:
        with scopes_disabled():
            return list(MoveRequest.objects.filter(case_id__in=self.cases).order_by("created_at", "pk"))

    def _offers(self, *statuses: str) -> list[Offer]:
        with scopes_disabled():
            found = Offer.objects.filter(request__case_id__in=self.cases).order_by("offered_at", "pk")
            return list(found.filter(status__in=statuses) if statuses else found)

    def _try(self, name: str, action: Any) -> None:
        """Run a service; a refusal (with its reason) is a legal outcome of a random step."""
        try:
            action()
        except ValidationError:
            event(f"{name}: refused")
        else:
            event(f"{name}: done")

    # --- rules -----------------------------------------------------------------------------

    @initialize(tenure=st.sampled_from(("7", "8")), tenancy=st.sampled_from(TENANCIES))
    def start(self, tenure: str, tenancy: str) -> None:
        """A case with consent and its request in circulation, and a home: journeys start deep."""
        self.open_case(consent=True, near=False, tenure=tenure)
        self.add_home(postcode="CT1 1AA", tenancy=tenancy, bedrooms=2)
        self.raise_request(index=0)
        self.advance_request(index=0)
        self.advance_request(index=0)

    @rule(index=st.integers(0, 10), choices=st.lists(st.integers(0, 10), min_size=1, max_size=4))
    def progress(self, index: int, choices: list[int]) -> None:
        """Take one request up to four steps along its journey (the happy path, mostly), with
        every invariant checked after each of them."""
        for choice in choices:
            self._progress_one(index, choice)
            self.check_every_rule()

    def _progress_one(self, index: int, choice: int) -> None:
        requests = [request for request in self._requests() if request.status not in ("moved", "withdrawn", "closed")]
        if not requests:
            return
        request = _pick(requests, index)
        if request.status in ("draft", "approved", "review"):
            self.advance_request(index=self._requests().index(request))
        elif request.status == "circulated":
            # Mostly a home that can succeed (available, a tenancy as secure as hers); a new one
            # if there is none. The random rules try every other pairing.
            with scopes_disabled():
                tenure = Case.objects.get(pk=request.case_id).tenure
                homes = list(Home.objects.filter(pk__in=self.homes, status=HomeStatus.AVAILABLE))
            good = [home for home in homes if TENURE_SECURITY[home.tenancy_offered] >= TENURE_SECURITY[tenure]]
            if not good and len(self.homes) < MAX_HOMES:
                self.add_home(postcode="CT2 7NZ", tenancy="7", bedrooms=2)
                with scopes_disabled():
                    good = [Home.objects.get(pk=self.homes[-1])]
            if good:
                target = self.homes.index(_pick(good, choice).pk)
                self.offer(request_index=self._requests().index(request), home_index=target, by="own")
        elif request.status == "offered":
            offers = self._offers(OfferStatus.OFFERED)
            mine = [offer for offer in offers if offer.request_id == request.pk]
            if mine:
                self.decide(index=offers.index(mine[0]), accepted=choice % 3 != 0, reasonable=choice % 2 == 0)
        elif request.status == "accepted":
            offers = self._offers(OfferStatus.ACCEPTED)
            mine = [offer for offer in offers if offer.request_id == request.pk]
            if not mine:
                return
            with scopes_disabled():
                released = IdentityRelease.objects.filter(offer=mine[0]).exists()
            # A step of the move itself first (ADR 0028), then the release or the move as before.
            step = ("", "viewing", "sign_up", "consent")[choice % 4]
            if step:
                self._moving(mine[0], step)
            if released:
                self.move(index=offers.index(mine[0]), days_ahead=5 if choice % 3 == 0 else 0)
            else:
                self.release_identity(index=self._offers().index(mine[0]))

    @precondition(lambda self: len(self.cases) < MAX_CASES)
    @rule(consent=st.booleans(), near=st.booleans(), tenure=st.sampled_from(("7", "8")))
    def open_case(self, consent: bool, near: bool, tenure: str) -> None:
        case = reciprocal_case(self.a, name=f"Person {len(self.cases)}", consent=consent)
        with organisation_scope(self.a.organisation.pk):
            if near:
                # A required place: within 20 km of Canterbury (school, work or support).
                safety_services.place_add(
                    case=case, actor=self.a[Role.MANAGER], kind=PlaceKind.NEAR, postcode="CT1 1AA", radius_km="20"
                )
            Case.objects.filter(pk=case.pk).update(tenure=tenure)
        self.cases.append(case.pk)

    @precondition(lambda self: len(self.homes) < MAX_HOMES)
    @rule(postcode=st.sampled_from(HOME_POSTCODES), tenancy=st.sampled_from(TENANCIES), bedrooms=st.integers(2, 3))
    def add_home(self, postcode: str, tenancy: str, bedrooms: int) -> None:
        home = make_home(
            self.b, postcode=postcode, bedrooms=bedrooms, tenancy=tenancy, address=f"{len(self.homes)} Test Street"
        )
        self.homes.append(home.pk)

    @precondition(lambda self: bool(self.cases))
    @rule(index=st.integers(0, 10))
    def raise_request(self, index: int) -> None:
        with scopes_disabled():
            case = Case.objects.get(pk=_pick(self.cases, index))
        with organisation_scope(self.a.organisation.pk):
            self._try(
                "raise request",
                lambda: services.request_create(
                    membership=self.a[Role.MANAGER].membership,
                    case=case,
                    bedrooms_needed=2,
                    access_need="3",
                    pets=False,
                    urgent=False,
                ),
            )

    @precondition(lambda self: bool(self.cases))
    @rule(index=st.integers(0, 10))
    def advance_request(self, index: int) -> None:
        """Approve a draft; circulate an approved request or one returned for review."""
        requests = self._requests()
        if not requests:
            return
        request = _pick(requests, index)
        with organisation_scope(self.a.organisation.pk):
            if request.status == "draft":
                self._try("approve", lambda: services.request_approve(request=request, actor=self.a[Role.MANAGER]))
            else:
                self._try("circulate", lambda: services.request_circulate(request=request, actor=self.a[Role.MANAGER]))

    @precondition(lambda self: bool(self.homes))
    @rule(index=st.integers(0, 10))
    def fit(self, index: int) -> None:
        """Every request a home is listed as fitting is independently safe for it."""
        with scopes_disabled():
            home = Home.objects.get(pk=_pick(self.homes, index))
        if home.status != HomeStatus.AVAILABLE:
            return
        with organisation_scope(self.b.organisation.pk):
            try:
                fits = pool.fits_for_home(self.b[Role.LETTINGS_OFFICER].membership, home)
            except ValidationError:
                return
        for found in fits:
            with scopes_disabled():
                request = MoveRequest.objects.select_related("case").get(pk=found.profile.request_id)
            problem = self._safety_problem(request, home, tenancy=home.tenancy_offered)
            assert problem is None, f"listed as a fit: {problem}"

    @precondition(lambda self: bool(self.homes) and bool(self.cases))
    @rule(request_index=st.integers(0, 10), home_index=st.integers(0, 10), by=st.sampled_from(("own", "coordinator")))
    def offer(self, request_index: int, home_index: int, by: str) -> None:
        requests = self._requests()
        if not requests:
            return
        request = _pick(requests, request_index)
        with scopes_disabled():
            home = Home.objects.get(pk=_pick(self.homes, home_index))
        if by == "own":
            with organisation_scope(self.b.organisation.pk):
                self._try(
                    "offer",
                    lambda: services.offer_create(actor=self.b[Role.LETTINGS_OFFICER], home=home, request=request),
                )
        else:
            # Landlord A's coordinator cannot commit B's home: it may only propose it.
            with pytest.raises(ValidationError):
                services.offer_create(actor=self.a[Role.COORDINATOR], home=home, request=request)
            self._try(
                "propose",
                lambda: services.proposal_create(
                    membership=self.a[Role.COORDINATOR].membership, home=home, request=request
                ),
            )

    @rule(index=st.integers(0, 10), confirm=st.booleans())
    def decide_proposal(self, index: int, confirm: bool) -> None:
        with scopes_disabled():
            proposals = list(
                OfferProposal.objects.filter(request__case_id__in=self.cases, status=ProposalStatus.PROPOSED).order_by(
                    "proposed_at", "pk"
                )
            )
        if not proposals:
            return
        proposal = _pick(proposals, index)
        with organisation_scope(self.b.organisation.pk):
            self._try(
                "decide proposal",
                lambda: services.proposal_decide(
                    proposal=proposal, actor=self.b[Role.LETTINGS_OFFICER], confirm=confirm
                ),
            )

    @rule(index=st.integers(0, 10), accepted=st.booleans(), reasonable=st.booleans())
    def decide(self, index: int, accepted: bool, reasonable: bool) -> None:
        offers = self._offers(OfferStatus.OFFERED)
        if not offers:
            return
        offer = _pick(offers, index)
        with organisation_scope(self.a.organisation.pk):
            self._try(
                "decide offer",
                lambda: services.offer_decide(
                    offer=offer,
                    actor=self.a[Role.OFFICER],
                    accepted=accepted,
                    refusal_reason="" if accepted else "condition",
                    reasonable_refusal=None if accepted else reasonable,
                ),
            )

    @rule(index=st.integers(0, 10))
    def release_identity(self, index: int) -> None:
        offers = self._offers()
        if not offers:
            return
        offer = _pick(offers, index)
        with organisation_scope(self.a.organisation.pk):
            self._try("release identity", lambda: services.identity_release(offer=offer, actor=self.a[Role.OFFICER]))

    @precondition(lambda self: bool(self.cases))
    @rule(index=st.integers(0, 10), basis=st.sampled_from((ConsentBasis.WITHDRAWN, ConsentBasis.CONSENT)))
    def consent_changes(self, index: int, basis: str) -> None:
        with scopes_disabled():
            case = Case.objects.get(pk=_pick(self.cases, index))
        if case.status == CaseStatus.CLOSED:
            return
        with organisation_scope(self.a.organisation.pk):
            case_services.consent_record(
                case=case,
                actor=self.a[Role.MANAGER],
                purpose=ConsentPurpose.SCHEME_SHARING,
                basis=basis,
                how_given="Signed form" if basis == ConsentBasis.CONSENT else "",
            )

    @rule(index=st.integers(0, 10), days_ahead=st.sampled_from((0, 0, 5)))
    def move(self, index: int, days_ahead: int) -> None:
        offers = self._offers(OfferStatus.ACCEPTED)
        if not offers:
            return
        offer = _pick(offers, index)
        with organisation_scope(self.b.organisation.pk):
            self._try(
                "move",
                lambda: services.move_record(
                    offer=offer,
                    actor=self.b[Role.LETTINGS_OFFICER],
                    move_date=self.today + timedelta(days=days_ahead),
                ),
            )

    @rule(index=st.integers(0, 10), step=st.sampled_from(("viewing", "sign_up", "consent")))
    def moving_step(self, index: int, step: str) -> None:
        """The move itself (ADR 0028): a viewing, a sign-up date or the handover consent."""
        # Mostly on offers where the step can succeed; now and then on any offer, to be refused.
        offers = self._offers() if index == 0 else self._offers(OfferStatus.ACCEPTED, OfferStatus.MOVED)
        if offers:
            self._moving(_pick(offers, index), step)

    def _moving(self, offer: Offer, step: str) -> None:
        lettings = self.b[Role.LETTINGS_OFFICER]
        if step == "viewing":
            with organisation_scope(self.b.organisation.pk):
                self._try(
                    "arrange viewing",
                    lambda: services.viewing_arrange(
                        offer=offer, actor=lettings, starts_at=timezone.now() + timedelta(days=1)
                    ),
                )
        elif step == "sign_up":
            with organisation_scope(self.b.organisation.pk):
                self._try(
                    "sign up", lambda: services.sign_up_record(offer=offer, actor=lettings, sign_up_on=self.today)
                )
        else:
            with organisation_scope(self.a.organisation.pk):
                self._try(
                    "handover consent",
                    lambda: services.handover_consent_record(
                        offer=offer,
                        actor=self.a[Role.OFFICER],
                        given_by="The tenant",
                        given_on=self.today,
                        how_given="Signed form",
                    ),
                )

    @rule(days=st.sampled_from((0, 3, 7)))
    def tick(self, days: int) -> None:
        day = self.today + timedelta(days=days)
        services.moves_post_ledger(today=day)
        self.ledger_day = max(self.ledger_day, day)

    @rule()
    def expire_offers(self) -> None:
        services.offers_expire(now=timezone.now() + timedelta(days=30))

    @precondition(lambda self: bool(self.cases))
    @rule(index=st.integers(0, 10), now=st.integers(0, 3))
    def close_case(self, index: int, now: int) -> None:
        if now:
            return  # closing ends a journey: only one draw in four does it
        with scopes_disabled():
            case = Case.objects.get(pk=_pick(self.cases, index))
        with organisation_scope(self.a.organisation.pk):
            self._try(
                "close case",
                lambda: case_services.case_close(case=case, actor=self.a[Role.MANAGER], outcome="safe_at_home"),
            )

    @rule(index=st.integers(0, 10))
    def correct_ledger(self, index: int) -> None:
        with scopes_disabled():
            entries = list(LedgerEntry.objects.filter(reason=LedgerReason.MOVE_OUT).order_by("pk"))
        if entries:
            self._try(
                "correct ledger",
                lambda: services.ledger_correct(entry=_pick(entries, index), actor=self.a[Role.COORDINATOR]),
            )

    # --- the independent rules -------------------------------------------------------------

    def _safety_problem(self, request: MoveRequest, home: Home, *, tenancy: str) -> str | None:
        case = request.case
        with organisation_scope(case.organisation_id):
            places = list(Place.objects.filter(appraisal__case_id=case.pk))
        assert home.latitude is not None
        assert home.longitude is not None
        lat, lon, spread = home.latitude, home.longitude, home.position_uncertainty_km
        chosen = {place.area_code for place in places if place.kind == PlaceKind.NEAR and place.is_area}
        for place in places:
            if place.is_area:
                if place.kind == PlaceKind.AVOID and home.area_code == place.area_code:
                    return "in an unsafe area"
                continue
            distance = haversine_km(lat, lon, float(place.lat), float(place.lon))
            radius = float(place.radius_km or 0)
            if place.kind == PlaceKind.AVOID and distance - spread <= radius:
                return "inside an unsafe circle"
            if place.kind == PlaceKind.NEAR and place.radius_km is not None and distance + spread > radius:
                return "outside a required radius"
        if chosen and home.area_code not in chosen:
            return "outside the chosen areas"
        if TENURE_SECURITY[tenancy] < TENURE_SECURITY[case.tenure]:
            return "a less secure tenancy"
        with scopes_disabled():
            if Offer.objects.filter(request_id=request.pk, home_id=home.pk, status=OfferStatus.REFUSED).exists():
                return "a home refused before"
        return None

    @invariant()
    def check_every_rule(self) -> None:
        self.live_offers_are_safe()
        self.closed_cases_hold_nothing_live()
        self.identity_only_after_acceptance_and_consent()
        self.ledger_holds_completed_moves_only()
        self.moving_steps_follow_acceptance_and_consent()

    def live_offers_are_safe(self) -> None:
        with scopes_disabled():
            live = list(
                Offer.objects.filter(request__case_id__in=self.cases, status__in=LIVE_OFFER_STATUSES).select_related(
                    "request__case", "home"
                )
            )
            for offer in live:
                problem = self._safety_problem(offer.request, offer.home, tenancy=offer.tenancy)
                assert problem is None, f"live offer {offer.pk}: {problem}"
                offerer = Membership.objects.get(user_id=offer.offered_by_id)
                assert offerer.organisation_id == offer.home.organisation_id == offer.organisation_id
                assert offer.home.status == HomeStatus.OFFERED

    def closed_cases_hold_nothing_live(self) -> None:
        with scopes_disabled():
            closed = list(Case.objects.filter(pk__in=self.cases, status=CaseStatus.CLOSED).values_list("pk", flat=True))
            assert not MoveRequest.objects.filter(case_id__in=closed, status__in=LIVE_STATUSES).exists()
            assert not Offer.objects.filter(request__case_id__in=closed, status__in=LIVE_OFFER_STATUSES).exists()
            assert not OfferProposal.objects.filter(
                request__case_id__in=closed, status=ProposalStatus.PROPOSED
            ).exists()

    def identity_only_after_acceptance_and_consent(self) -> None:
        with scopes_disabled():
            for release in IdentityRelease.objects.filter(offer__request__case_id__in=self.cases).select_related(
                "offer__request", "consent"
            ):
                offer = release.offer
                # Accepted first (a withdrawal after the release, when the case closes, is allowed).
                assert offer.status in (OfferStatus.ACCEPTED, OfferStatus.MOVED, OfferStatus.WITHDRAWN)
                assert AuditEvent.objects.filter(action="reciprocal.offer_accepted", object_id=str(offer.pk)).exists()
                consent = release.consent
                assert consent.basis in PERMITTING_BASES
                assert consent.recorded_at <= release.released_at
                assert consent.expires_on is None or consent.expires_on >= timezone.localdate(release.released_at)
                # The consent was the newest decision for scheme sharing when the identity went.
                newer = Consent.objects.filter(
                    case_id=offer.request.case_id,
                    purpose=ConsentPurpose.SCHEME_SHARING,
                    recorded_at__gt=consent.recorded_at,
                    recorded_at__lte=release.released_at,
                )
                assert not newer.exists()

    def ledger_holds_completed_moves_only(self) -> None:
        with scopes_disabled():
            totals = LedgerEntry.objects.values("scheme_id").annotate(total=Sum("delta"))
            assert all(row["total"] == 0 for row in totals)
            moves = {move.pk: move for move in Move.objects.filter(request__case_id__in=self.cases)}
            posted = {pk for pk, move in moves.items() if move.ledger_posted_at is not None}
            for move in moves.values():
                # On the ledger once its date has come (recorded on or after it, or by a tick),
                # never before.
                if move.move_date <= self.today:
                    assert move.pk in posted, f"move {move.pk} dated {move.move_date} is not posted"
                if move.pk in posted:
                    assert move.move_date <= self.ledger_day, f"move {move.pk} posted before its date"
                assert Offer.objects.get(pk=move.offer_id).status == OfferStatus.MOVED
            entries = list(LedgerEntry.objects.filter(move_id__in=list(moves)))
            originals = [entry for entry in entries if entry.reason != LedgerReason.CORRECTION]
            corrections = [entry for entry in entries if entry.reason == LedgerReason.CORRECTION]
            assert sorted(str(entry.move_id) for entry in originals) == sorted(str(pk) for pk in posted for _ in "ab")
            assert {entry.correction_of_id for entry in corrections} <= {entry.pk for entry in originals}
            assert LedgerEntry.objects.count() == len(entries)

    def moving_steps_follow_acceptance_and_consent(self) -> None:
        """Viewings and sign-ups only on accepted offers, by the home's landlord; an arranged
        viewing only while the offer is accepted or moved in; a handover exactly for the moves
        whose offer holds the tenant's consent, at the rehousing landlord, and no perpetrator."""
        with scopes_disabled():
            for viewing in Viewing.objects.filter(offer__request__case_id__in=self.cases).select_related("offer"):
                assert viewing.organisation_id == viewing.offer.organisation_id
                assert AuditEvent.objects.filter(
                    action="reciprocal.offer_accepted", object_id=str(viewing.offer_id)
                ).exists()
                if viewing.outcome == ViewingOutcome.ARRANGED:
                    assert viewing.offer.status in (OfferStatus.ACCEPTED, OfferStatus.MOVED)
            for sign_up in SignUp.objects.filter(offer__request__case_id__in=self.cases).select_related("offer"):
                assert sign_up.organisation_id == sign_up.offer.organisation_id
                assert AuditEvent.objects.filter(
                    action="reciprocal.offer_accepted", object_id=str(sign_up.offer_id)
                ).exists()
            moves = Move.objects.filter(request__case_id__in=self.cases)
            consented = set(
                HandoverConsent.objects.filter(offer__request__case_id__in=self.cases).values_list(
                    "offer_id", flat=True
                )
            )
            expected = {move.pk for move in moves if move.offer_id in consented}
            handovers = list(Handover.objects.filter(move__request__case_id__in=self.cases).select_related("move"))
            assert {handover.move_id for handover in handovers} == expected
        for handover in handovers:
            assert handover.organisation_id == handover.move.organisation_id
            with organisation_scope(handover.organisation_id):
                stored = Handover.objects.get(pk=handover.pk)
                assert "Harmer" not in stored.household + stored.contact_rules + stored.lead_name


def test_the_rules_hold_after_every_step(world: World) -> None:
    class Machine(SchemeMachine):
        pass

    Machine.world = world
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
