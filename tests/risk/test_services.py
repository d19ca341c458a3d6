from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.codes import ConsentBasis
from safemoves.common.fields import Sealed
from safemoves.organisations.models import Role
from safemoves.risk.models import MaracReferral, RiskAssessment
from safemoves.risk.selectors import marac_area_for, marac_required, risk_rules_for, risk_summary
from safemoves.risk.services import (
    marac_referral_record,
    marac_referral_update,
    marac_transfer,
    risk_assessment_record,
    risk_settings_save,
)
from tests.factories import World
from tests.safety.factories import answers, give_consent, make_case

MEDWAY = "E06000035"
MAIDSTONE = "E07000110"
WESTMINSTER = "E09000033"


def test_an_assessment_is_scored_banded_and_kept_encrypted(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    assessment = risk_assessment_record(
        case=case,
        actor=officer,
        answers=answers(14, rest="not_known"),
        comments={"q1": "Bruising to the arm", "q2": "  "},
        police_callouts=1,
    )
    assert (assessment.score, assessment.computed_band, assessment.final_band) == (14, "high", "high")
    assert assessment.area_code == MEDWAY
    assert assessment.escalated is False
    assert assessment.marac_required is True
    stored = RiskAssessment.objects.filter(pk=assessment.pk).values("answers", "comments").get()
    assert isinstance(stored["answers"], Sealed)
    assert "yes" not in stored["answers"]
    assert isinstance(stored["comments"], Sealed)
    reloaded = RiskAssessment.objects.get(pk=assessment.pk)
    assert json.loads(reloaded.answers)["q14"] == "yes"
    assert json.loads(reloaded.answers)["q15"] == "not_known"
    assert json.loads(reloaded.comments) == {"q1": "Bruising to the arm"}
    event = AuditEvent.objects.get(action="risk.assessed")
    assert event.fields == ["answers", "comments", "police_callouts"]
    assert event.reason == f"assessment {assessment.pk}: high"
    assert "Bruising" not in str(event.reason)


def test_thirteen_yes_is_medium_and_nine_is_standard(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    medium = risk_assessment_record(case=case, actor=officer, answers=answers(13))
    standard = risk_assessment_record(case=case, actor=officer, answers=answers(9))
    assert (medium.final_band, standard.final_band) == ("medium", "standard")
    assert RiskAssessment.objects.filter(case=case).count() == 2


def test_every_question_needs_an_answer(scoped: World) -> None:
    case = make_case(scoped)
    incomplete = answers(3)
    del incomplete["q7"]
    incomplete["q8"] = "maybe"
    with pytest.raises(ValidationError) as caught:
        risk_assessment_record(case=case, actor=scoped.a[Role.OFFICER], answers=incomplete)
    assert caught.value.message_dict == {
        "q7": ["Answer question 7: yes, no or not known."],
        "q8": ["Answer question 8: yes, no or not known."],
    }
    assert RiskAssessment.objects.count() == 0


def test_judgement_raises_with_a_reason_and_never_lowers(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    raised = risk_assessment_record(
        case=case,
        actor=officer,
        answers=answers(6),
        judgement_band="high",
        judgement_reason="Recent strangulation attempt and escalating stalking",
    )
    assert (raised.computed_band, raised.judgement_band, raised.final_band) == ("standard", "high", "high")
    assert raised.raised_on_judgement is True
    with pytest.raises(ValidationError) as no_reason:
        risk_assessment_record(case=case, actor=officer, answers=answers(6), judgement_band="medium")
    assert no_reason.value.message_dict == {
        "judgement_reason": ["Give the reason for raising the risk level on professional judgement."]
    }
    with pytest.raises(ValidationError) as lowered:
        risk_assessment_record(
            case=case, actor=officer, answers=answers(15), judgement_band="medium", judgement_reason="She minimises"
        )
    assert lowered.value.message_dict == {
        "judgement_band": ["Professional judgement cannot lower the risk level: the answers give high risk."]
    }
    assert RiskAssessment.objects.count() == 1


def test_kent_and_medway_escalate_on_three_call_outs_in_six_months(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    medway_case = make_case(scoped, postcode="ME4 4TR")
    london_case = make_case(scoped, postcode="SW1A 1AA")
    assert risk_rules_for(organisation_id=medway_case.organisation_id, area_code=MEDWAY)[1].window_months == 6
    in_medway = risk_assessment_record(case=medway_case, actor=officer, answers=answers(2), police_callouts=3)
    in_london = risk_assessment_record(case=london_case, actor=officer, answers=answers(2), police_callouts=2)
    assert (in_medway.area_code, in_medway.callout_window_months, in_medway.escalated) == (MEDWAY, 6, True)
    assert (in_london.area_code, in_london.callout_window_months, in_london.escalated) == (WESTMINSTER, 12, False)
    assert in_medway.final_band == "standard"
    assert marac_required(medway_case) is True
    assert marac_required(london_case) is False


def test_bands_and_escalation_are_configurable_per_marac_area(scoped: World) -> None:
    manager = scoped.a[Role.MANAGER]
    organisation_id = scoped.a.organisation.pk
    risk_settings_save(
        organisation_id=organisation_id,
        actor=manager,
        area_code=MEDWAY,
        high_threshold=12,
        medium_threshold=8,
        escalation_callouts=2,
        escalation_window_months=6,
    )
    case = make_case(scoped)
    assessment = risk_assessment_record(case=case, actor=scoped.a[Role.OFFICER], answers=answers(12), police_callouts=2)
    assert (assessment.final_band, assessment.high_threshold, assessment.escalated) == ("high", 12, True)
    other = make_case(scoped, postcode="SW1A 1AA")
    assert risk_assessment_record(case=other, actor=scoped.a[Role.OFFICER], answers=answers(12)).final_band == "medium"
    with pytest.raises(ValidationError) as caught:
        risk_settings_save(
            organisation_id=organisation_id,
            actor=manager,
            area_code="",
            high_threshold=9,
            medium_threshold=10,
            escalation_callouts=3,
            escalation_window_months=12,
        )
    assert list(caught.value.message_dict) == ["medium_threshold"]


def test_the_marac_area_falls_back_to_the_landlords_area(scoped: World) -> None:
    case = make_case(scoped, postcode="")
    assert marac_area_for(case) == MAIDSTONE


def test_high_risk_requires_marac_until_a_referral_exists(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    assert marac_required(case) is False
    risk_assessment_record(case=case, actor=officer, answers=answers(16))
    assert marac_required(case) is True
    referral = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=timezone.localdate())
    assert referral.sharing_basis == ConsentBasis.MARAC_HIGH_RISK
    assert referral.is_repeat is False
    assert marac_required(case) is False
    summary = risk_summary(case)
    assert summary.current_referral == referral
    assert summary.assessment_count == 1


def test_a_marac_referral_needs_high_risk_or_consent(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    risk_assessment_record(case=case, actor=officer, answers=answers(11))
    with pytest.raises(ValidationError, match="needs the tenant's consent to referrals, or a high-risk"):
        marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=timezone.localdate())
    assert MaracReferral.objects.count() == 0
    give_consent(case, officer)
    referral = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=timezone.localdate())
    assert referral.sharing_basis == ConsentBasis.CONSENT


def test_a_referral_within_twelve_months_of_the_last_is_a_repeat(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    risk_assessment_record(case=case, actor=officer, answers=answers(20))
    first = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=date(2024, 1, 10))
    # Exactly 12 months later is no longer "within 12 months".
    second = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=date(2025, 1, 10))
    third = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=date(2025, 12, 20))
    assert (first.is_repeat, second.is_repeat, third.is_repeat) == (False, False, True)


def test_referral_dates_are_checked(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    risk_assessment_record(case=case, actor=officer, answers=answers(20))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as future:
        marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=today + timedelta(days=1))
    assert future.value.message_dict == {"referred_on": ["The referral date cannot be in the future."]}
    with pytest.raises(ValidationError) as area:
        marac_referral_record(case=case, actor=officer, area_code="X123", referred_on=today)
    assert area.value.message_dict == {"area_code": ["Choose the MARAC area from the list."]}
    referral = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=today)
    with pytest.raises(ValidationError) as meeting:
        marac_referral_update(
            referral=referral, actor=officer, meeting_on=today - timedelta(days=1), actions_agreed="Police marker"
        )
    assert meeting.value.message_dict == {"meeting_on": ["The meeting date must be on or after the referral date."]}
    assert marac_referral_update(
        referral=referral, actor=officer, meeting_on=today + timedelta(days=7), actions_agreed="Police marker"
    ) == ["meeting_on", "actions_agreed"]
    assert MaracReferral.objects.get(pk=referral.pk).actions_agreed == "Police marker"


def test_marac_to_marac_transfer_when_the_household_moves(scoped: World) -> None:
    officer = scoped.a[Role.OFFICER]
    case = make_case(scoped)
    risk_assessment_record(case=case, actor=officer, answers=answers(20))
    today = timezone.localdate()
    referral = marac_referral_record(case=case, actor=officer, area_code=MEDWAY, referred_on=today)
    with pytest.raises(ValidationError) as same:
        marac_transfer(referral=referral, actor=officer, to_area_code=MEDWAY, transferred_on=today)
    assert same.value.message_dict == {
        "to_area_code": ["The case is already with the Medway MARAC; choose the new area."]
    }
    receiving = marac_transfer(referral=referral, actor=officer, to_area_code="E07000106", transferred_on=today)
    assert receiving.transferred_from == referral
    assert (receiving.area_code, receiving.area_label, receiving.is_repeat) == ("E07000106", "Canterbury", False)
    assert referral.transferred_on == today
    assert risk_summary(case).current_referral == receiving
    with pytest.raises(ValidationError, match="already been transferred"):
        marac_transfer(referral=referral, actor=officer, to_area_code="E07000114", transferred_on=today)
    event = AuditEvent.objects.get(action="risk.marac_transferred")
    assert event.reason == f"marac referral {referral.pk} to {receiving.pk}: {MEDWAY} to E07000106"
