"""Demo data for risk and safety on the demo consortium's existing cases (fictional people).

``seed_demo_risk_and_safety()`` is called by the demo seeding after the demo cases exist. It
is idempotent: a case that already has a DASH assessment is left alone, and agencies are
created only when missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases.codes import CaseStatus, ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import consent_record, refresh_next_due
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo import KENT_AND_MEDWAY
from safemoves.organisations.models import Membership, Organisation, Role
from safemoves.risk.models import RiskAssessment
from safemoves.risk.questions import question_set
from safemoves.risk.services import marac_referral_record, risk_assessment_record
from safemoves.safety import services
from safemoves.safety.catalogue import LOCK_CHANGE, SANCTUARY_SURVEY
from safemoves.safety.codes import AgencyKind, Option, PlaceKind, Priority
from safemoves.safety.models import Agency, SafetyAction

DEMO_AGENCIES = (
    ("Kent Women's Aid (demo)", AgencyKind.WOMENS_AID, "0300 000 0001", "referrals@womensaid.example"),
    ("National Centre for Domestic Violence (demo)", AgencyKind.NCDV, "0300 000 0002", "injunctions@ncdv.example"),
    ("Kent and Medway IDVA service (demo)", AgencyKind.IDVA, "0300 000 0003", "idva@idva.example"),
)


@dataclass(frozen=True)
class RiskSafetySeedReport:
    cases: int
    assessments: int
    marac_referrals: int
    actions: int
    agency_referrals: int
    appraisals: int


def _answers(yes: int) -> dict[str, str]:
    keys = question_set().keys
    return {key: "yes" if index < yes else ("not_known" if index % 5 == 0 else "no") for index, key in enumerate(keys)}


def _worker(case: Case) -> User | None:
    if case.assigned_officer is not None:
        return case.assigned_officer
    manager = (
        Membership.objects.filter(organisation_id=case.organisation_id, role=Role.MANAGER, is_active=True)
        .select_related("user")
        .first()
    )
    return manager.user if manager else None


def _agencies(organisation_id: int, actor: User) -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for name, kind, phone, email in DEMO_AGENCIES:
        agency = Agency.objects.filter(organisation_id=organisation_id, name=name).first()
        if agency is None:
            agency = services.agency_create(
                organisation_id=organisation_id, actor=actor, name=name, kind=kind, phone=phone, email=email
            )
        found[kind] = agency
    return found


def _open_lock_change(case: Case) -> list[SafetyAction]:
    return list(SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE, status="open"))


def _seed_case(index: int, case: Case, actor: User, agencies: dict[str, Agency], tally: dict[str, int]) -> None:
    now = timezone.now()
    pattern = index % 4
    if pattern != 1:
        # Every case starts with a lock change; in the demo most were done on the first day.
        for action in _open_lock_change(case):
            services.safety_action_complete(
                action=action, actor=actor, evidence_note="Locks changed by the contractor (demo).",
                done_at=min(now, action.starts_at + timedelta(hours=5)),
            )  # fmt: skip
    if pattern == 0:
        # The first day done well: locks changed in time, high risk, MARAC, Women's Aid, a reciprocal decision.
        lock = services.safety_actions_for_new_case(case, actor) or list(
            SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE, status="open")
        )
        for action in lock:
            services.safety_action_complete(
                action=action,
                actor=actor,
                evidence_note="Locks changed by the contractor (demo job 1001).",
                done_at=min(now, action.starts_at + timedelta(hours=6)),
            )
            tally["actions"] += 1
        risk_assessment_record(case=case, actor=actor, answers=_answers(16), police_callouts=2)
        tally["assessments"] += 1
        marac_referral_record(case=case, actor=actor, area_code="E06000035", referred_on=timezone.localdate())
        tally["marac_referrals"] += 1
        consent_record(
            case=case,
            actor=actor,
            purpose=ConsentPurpose.AGENCY_REFERRAL,
            basis=ConsentBasis.CONSENT,
            how_given="Verbally, on the safe phone number",
        )
        services.agency_referral_create(
            case=case, actor=actor, agency=agencies[AgencyKind.WOMENS_AID], purpose="Outreach support"
        )
        services.agency_referral_create(
            case=case, actor=actor, agency=agencies[AgencyKind.NCDV], purpose="Non-molestation order"
        )
        tally["agency_referrals"] += 2
        services.appraisal_save(
            case=case,
            actor=actor,
            options_considered=[Option.STAY_SANCTUARY, Option.OWN_STOCK_TRANSFER, Option.RECIPROCAL, Option.REFUGE],
            own_stock_unsuitable=True,
            own_stock_reason="All our homes are within two miles of the perpetrator's family.",
            priorities=[Priority.SUPPORT_NETWORK, Priority.SCHOOLS],
            priorities_other="",
            tenant_wishes="Stay in Kent, close enough for the children to keep their school.",
            decision=Option.RECIPROCAL,
            decision_reason="She cannot be made safe in our stock; she chose a reciprocal move.",
        )
        for code in [code for code in KENT_AND_MEDWAY if code != "E06000035"][:6]:
            services.place_add(case=case, actor=actor, kind=PlaceKind.NEAR, area_code=code)
        services.place_add(case=case, actor=actor, kind=PlaceKind.AVOID, area_code="E06000035")
        services.place_add(
            case=case,
            actor=actor,
            kind=PlaceKind.AVOID,
            label="Perpetrator's workplace",
            postcode="ME14 1XX",
            radius_km="8",
        )
        tally["appraisals"] += 1
    elif pattern == 1:
        # A lock change nobody has done: overdue, for the overdue page and the tick e-mail.
        open_locks = _open_lock_change(case)
        if open_locks:
            SafetyAction.objects.filter(pk__in=[a.pk for a in open_locks]).update(
                starts_at=now - timedelta(hours=30), due_at=now - timedelta(hours=6)
            )
            refresh_next_due(case)
        else:
            services.safety_action_create(
                case=case, actor=actor, type_code=LOCK_CHANGE, starts_at=now - timedelta(hours=30)
            )
        tally["actions"] += 1
        risk_assessment_record(case=case, actor=actor, answers=_answers(11), police_callouts=1)
        tally["assessments"] += 1
    elif pattern == 2 and not case.perpetrators.filter(lives_at_address=True).exists():
        # Staying safely at home (never while the perpetrator lives there): the tenant chose
        # to stay and we agreed, the survey done, measures and reviews on their clocks.
        services.sanctuary_agreement_save(
            case=case,
            actor=actor,
            tenant_chooses_to_stay=True,
            tenant_choice_note="In person at the office, with the IDVA (demo).",
            landlord_agrees=True,
            landlord_agreement_note="The perpetrator has left and is barred by an order; the home can be made safe.",
        )
        survey = services.safety_action_create(
            case=case, actor=actor, type_code=SANCTUARY_SURVEY, starts_at=now - timedelta(days=3)
        )
        services.safety_action_complete(
            action=survey, actor=actor, evidence_note="Survey by the sanctuary contractor (demo).", done_at=now
        )
        tally["actions"] += 4
        risk_assessment_record(case=case, actor=actor, answers=_answers(4), police_callouts=0)
        tally["assessments"] += 1
    else:
        # Below the high score, but escalated by police call-outs: "MARAC referral required".
        risk_assessment_record(case=case, actor=actor, answers=_answers(9), police_callouts=4)
        tally["assessments"] += 1


def seed_demo_risk_and_safety() -> RiskSafetySeedReport:
    """Add risk assessments, safety actions, agencies, referrals and appraisals to the demo cases."""
    tally = {"cases": 0, "assessments": 0, "marac_referrals": 0, "actions": 0, "agency_referrals": 0, "appraisals": 0}
    with scopes_disabled():
        organisation_ids = list(
            Organisation.objects.filter(memberships__user__is_demo=True).distinct().values_list("pk", flat=True)
        )
    for organisation_id in organisation_ids:
        with organisation_scope(organisation_id), transaction.atomic():
            cases = list(
                Case.objects.filter(organisation_id=organisation_id)
                .exclude(status=CaseStatus.CLOSED)
                .select_related("assigned_officer", "organisation")
                .order_by("reference")
            )
            seeded = set(RiskAssessment.objects.filter(case__in=cases).values_list("case_id", flat=True))
            agencies: dict[str, Agency] | None = None
            for index, case in enumerate(cases):
                if case.pk in seeded:
                    continue
                actor = _worker(case)
                if actor is None:
                    continue
                agencies = agencies or _agencies(organisation_id, actor)
                _seed_case(index, case, actor, agencies, tally)
                tally["cases"] += 1
    return RiskSafetySeedReport(**tally)
