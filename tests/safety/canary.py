"""Rows of every risk and safety model with personal fields, for the plaintext canary test
(`tests/cases/test_canary.py`: add ``risk_and_safety_rows`` to its ``ROW_BUILDERS``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.risk.services import marac_referral_record, risk_assessment_record
from safemoves.safety import services
from safemoves.safety.codes import Option, PlaceKind
from tests.factories import World
from tests.safety.factories import answers, give_consent, make_case


def risk_and_safety_rows(world: World) -> dict[str, list[Any]]:
    officer = world.a[Role.OFFICER]
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        assessment = risk_assessment_record(
            case=case,
            actor=officer,
            answers=answers(8),
            comments={"q1": "placeholder"},
            judgement_band="high",
            judgement_reason="placeholder",
        )
        marac = marac_referral_record(
            case=case, actor=officer, area_code="E06000035", referred_on=timezone.localdate(), actions_agreed="x"
        )
        [action] = services.safety_actions_for_new_case(case, officer)
        services.safety_action_complete(action=action, actor=officer, evidence_note="placeholder")
        give_consent(case, officer)
        agency = services.agency_create(
            organisation_id=world.a.organisation.pk, actor=world.a[Role.MANAGER], name="Aid", kind="idva", phone="1"
        )
        referral = services.agency_referral_create(case=case, actor=officer, agency=agency, purpose="placeholder")
        services.agency_referral_transition(referral=referral, actor=officer, to_status="declined", reason="x")
        appraisal = services.appraisal_save(
            case=case,
            actor=officer,
            options_considered=[Option.OWN_STOCK_TRANSFER, Option.RECIPROCAL],
            own_stock_unsuitable=True,
            own_stock_reason="placeholder",
            priorities=["other"],
            priorities_other="placeholder",
            tenant_wishes="placeholder",
            decision=Option.RECIPROCAL,
            decision_reason="placeholder",
        )
        place = services.place_add(
            case=case, actor=officer, kind=PlaceKind.AVOID, label="x", postcode="ME14 1XX", radius_km="5"
        )
        sanctuary = services.sanctuary_agreement_save(
            case=case,
            actor=officer,
            tenant_chooses_to_stay=True,
            tenant_choice_note="placeholder",
            landlord_agrees=True,
            landlord_agreement_note="placeholder",
        )
        action.refresh_from_db()
        referral.refresh_from_db()
        appraisal.refresh_from_db()
    return {
        "risk.riskassessment": [assessment],
        "risk.maracreferral": [marac],
        "safety.safetyaction": [action],
        "safety.agencyreferral": [referral],
        "safety.optionsappraisal": [appraisal],
        "safety.place": [place],
        "safety.sanctuaryagreement": [sanctuary],
    }
