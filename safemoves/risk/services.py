"""Writes of risk assessments, risk settings and MARAC referrals.

Each service is atomic and writes its audit event in the same transaction; events carry
ids, codes and field names only, never answers or comments.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.codes import ConsentBasis, ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import consent_in_force
from safemoves.geo import area_name, is_known_area
from safemoves.risk import scoring
from safemoves.risk.models import MaracReferral, RiskAssessment, RiskBand, RiskSettings
from safemoves.risk.questions import CURRENT_VERSION, question_set
from safemoves.risk.selectors import default_rules, latest_assessment, marac_area_for, risk_rules_for

REPEAT_WINDOW_MONTHS = 12


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@audited("risk.assessed")
@transaction.atomic
def risk_assessment_record(
    *,
    case: Case,
    actor: User,
    answers: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
    police_callouts: int | None = None,
    judgement_band: str = "",
    judgement_reason: str = "",
    version: str = CURRENT_VERSION,
) -> RiskAssessment:
    """Score a completed DASH checklist and keep it; a case may have several over time."""
    try:
        questions = question_set(version)
    except KeyError as exc:
        raise ValidationError({"version": str(exc.args[0])}) from None
    keys = questions.keys
    missing = [key for key in keys if answers.get(key) not in scoring.ANSWERS]
    if missing:
        raise ValidationError(
            {key: f"Answer question {key[1:]}: yes, no or not known." for key in missing},
        )
    if judgement_band and judgement_band not in RiskBand.values:
        raise ValidationError({"judgement_band": "Choose a risk level from the list."})
    if police_callouts is not None and police_callouts < 0:
        raise ValidationError({"police_callouts": "Enter the number of call-outs, 0 or more."})
    area_code = marac_area_for(case)
    thresholds, rule = risk_rules_for(organisation_id=case.organisation_id, area_code=area_code)
    try:
        result = scoring.assess(
            {key: answers[key] for key in keys},
            keys,
            thresholds=thresholds,
            rule=rule,
            judgement=scoring.Band(judgement_band) if judgement_band else None,
            judgement_reason=judgement_reason,
            police_callouts=police_callouts,
        )
    except scoring.JudgementError as exc:
        field = "judgement_reason" if "reason" in str(exc) else "judgement_band"
        raise ValidationError({field: str(exc)}) from None
    kept_comments = {key: text.strip() for key, text in (comments or {}).items() if key in keys and text.strip()}
    raised = result.final_band != result.computed_band
    assessment = RiskAssessment.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        question_set_version=questions.version,
        answers=json.dumps({key: answers[key] for key in keys}, sort_keys=True),
        comments=json.dumps(kept_comments, sort_keys=True) if kept_comments else "",
        score=result.score,
        computed_band=result.computed_band.value,
        judgement_band=result.final_band.value if raised else "",
        judgement_reason=judgement_reason.strip() if raised else "",
        final_band=result.final_band.value,
        area_code=area_code,
        high_threshold=thresholds.high,
        medium_threshold=thresholds.medium,
        police_callouts=police_callouts,
        callout_window_months=rule.window_months,
        escalation_callouts=rule.callouts,
        escalated=result.escalated,
        assessor=actor,
    )
    record_case_event(
        action="risk.assessed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=[
            "answers",
            *(["comments"] if kept_comments else []),
            *(["judgement_band", "judgement_reason"] if raised else []),
            *(["police_callouts"] if police_callouts is not None else []),
        ],
        reason=f"assessment {assessment.pk}: {result.final_band.value}{' escalated' if result.escalated else ''}",
    )
    return assessment


def _sharing_basis(case: Case) -> str:
    consent = consent_in_force(case, ConsentPurpose.AGENCY_REFERRAL)
    if consent is not None:
        return str(consent.basis)
    latest = latest_assessment(case)
    if latest is not None and latest.marac_required:
        return ConsentBasis.MARAC_HIGH_RISK
    raise ValidationError(
        "A MARAC referral needs the tenant's consent to referrals, or a high-risk (or escalated) DASH on the case: "
        "record one of them first."
    )


def _check_area(area_code: str, field: str = "area_code") -> None:
    if not is_known_area(area_code):
        raise ValidationError({field: "Choose the MARAC area from the list."})


@audited("risk.marac_referred")
@transaction.atomic
def marac_referral_record(
    *,
    case: Case,
    actor: User,
    area_code: str,
    referred_on: date,
    meeting_on: date | None = None,
    actions_agreed: str = "",
) -> MaracReferral:
    _check_area(area_code)
    today = timezone.localdate()
    if referred_on > today:
        raise ValidationError({"referred_on": "The referral date cannot be in the future."})
    if meeting_on is not None and meeting_on < referred_on:
        raise ValidationError({"meeting_on": "The meeting date must be on or after the referral date."})
    basis = _sharing_basis(case)
    previous = (
        MaracReferral.objects.filter(
            case=case,
            referred_on__lte=referred_on,
            referred_on__gt=_months_before(referred_on, REPEAT_WINDOW_MONTHS),
        )
        .order_by("-referred_on")
        .first()
    )
    latest = latest_assessment(case)
    referral = MaracReferral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        assessment=latest,
        area_code=area_code,
        referred_on=referred_on,
        meeting_on=meeting_on,
        actions_agreed=actions_agreed.strip(),
        sharing_basis=basis,
        is_repeat=previous is not None,
        created_by=actor,
    )
    record_case_event(
        action="risk.marac_referred",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=[
            "area_code",
            "referred_on",
            *(["meeting_on"] if meeting_on else []),
            *(["actions_agreed"] if actions_agreed.strip() else []),
        ],
        reason=f"marac referral {referral.pk}: {area_code}, {basis}{', repeat' if referral.is_repeat else ''}",
    )
    return referral


@audited("risk.marac_updated")
@transaction.atomic
def marac_referral_update(
    *, referral: MaracReferral, actor: User, meeting_on: date | None, actions_agreed: str
) -> list[str]:
    """Record the meeting date and the actions the MARAC agreed."""
    current = MaracReferral.objects.select_for_update().get(pk=referral.pk)
    if meeting_on is not None and meeting_on < current.referred_on:
        raise ValidationError({"meeting_on": "The meeting date must be on or after the referral date."})
    changed = []
    if current.meeting_on != meeting_on:
        current.meeting_on = meeting_on
        changed.append("meeting_on")
    if current.actions_agreed != actions_agreed.strip():
        current.actions_agreed = actions_agreed.strip()
        changed.append("actions_agreed")
    if not changed:
        return []
    current.save(update_fields=changed)
    record_case_event(
        action="risk.marac_updated",
        actor=actor,
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        fields=changed,
        reason=f"marac referral {current.pk}",
    )
    referral.refresh_from_db()
    return changed


@audited("risk.marac_transferred")
@transaction.atomic
def marac_transfer(*, referral: MaracReferral, actor: User, to_area_code: str, transferred_on: date) -> MaracReferral:
    """MARAC-to-MARAC transfer when the household moves area: the receiving MARAC's referral
    continues this one (same repeat status); this one is marked transferred."""
    _check_area(to_area_code, "to_area_code")
    current = MaracReferral.objects.select_for_update().get(pk=referral.pk)
    if current.transferred_on is not None:
        raise ValidationError("This referral has already been transferred to another MARAC.")
    if to_area_code == current.area_code:
        raise ValidationError(
            {"to_area_code": f"The case is already with the {area_name(current.area_code)} MARAC; choose the new area."}
        )
    if transferred_on < current.referred_on:
        raise ValidationError({"transferred_on": "The transfer date must be on or after the referral date."})
    if transferred_on > timezone.localdate():
        raise ValidationError({"transferred_on": "The transfer date cannot be in the future."})
    current.transferred_on = transferred_on
    current.save(update_fields=["transferred_on"])
    receiving = MaracReferral.objects.create(
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        assessment=current.assessment,
        area_code=to_area_code,
        referred_on=transferred_on,
        sharing_basis=current.sharing_basis,
        is_repeat=current.is_repeat,
        transferred_from=current,
        created_by=actor,
    )
    record_case_event(
        action="risk.marac_transferred",
        actor=actor,
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        fields=["area_code", "transferred_on"],
        reason=f"marac referral {current.pk} to {receiving.pk}: {current.area_code} to {to_area_code}",
    )
    referral.refresh_from_db()
    return receiving


@audited("risk.settings_saved")
@transaction.atomic
def risk_settings_save(
    *,
    organisation_id: int,
    actor: User,
    area_code: str,
    high_threshold: int,
    medium_threshold: int,
    escalation_callouts: int,
    escalation_window_months: int,
) -> RiskSettings:
    """Banding and escalation for one MARAC area ("" for the landlord's default).

    Settings can only make the rules stricter than the built-in default (ADR 0014): a lower
    high-risk or medium threshold, fewer call-outs or a longer window, never the reverse.
    """
    if area_code:
        _check_area(area_code)
    default_thresholds, default_rule = default_rules(area_code)
    errors: dict[str, str] = {}
    if high_threshold > default_thresholds.high:
        errors["high_threshold"] = (
            f"The high-risk threshold can be lowered, never raised above {default_thresholds.high}: "
            "a higher threshold would leave high-risk cases without a MARAC referral."
        )
    elif high_threshold < 1:
        errors["high_threshold"] = "The high-risk threshold must be at least 1."
    if medium_threshold > default_thresholds.medium:
        errors["medium_threshold"] = (
            f"The medium threshold can be lowered, never raised above {default_thresholds.medium}."
        )
    elif not 1 <= medium_threshold <= high_threshold:
        errors["medium_threshold"] = "The medium threshold must be at least 1 and no higher than the high threshold."
    if escalation_callouts > default_rule.callouts:
        errors["escalation_callouts"] = (
            f"The escalation count can be lowered, never raised above {default_rule.callouts} call-outs."
        )
    elif escalation_callouts < 1:
        errors["escalation_callouts"] = "Escalation needs at least 1 call-out."
    if escalation_window_months < default_rule.window_months:
        errors["escalation_window_months"] = (
            f"The escalation window can be lengthened, never shortened below {default_rule.window_months} months"
            f"{' for this area' if area_code else ' for the default setting, which may apply to any area'}."
        )
    elif escalation_window_months > 120:
        errors["escalation_window_months"] = "The escalation window can be at most 120 months."
    if errors:
        raise ValidationError(errors)
    row, _ = RiskSettings.objects.update_or_create(
        organisation_id=organisation_id,
        area_code=area_code,
        defaults={
            "high_threshold": high_threshold,
            "medium_threshold": medium_threshold,
            "escalation_callouts": escalation_callouts,
            "escalation_window_months": escalation_window_months,
        },
    )
    record_event(
        action="risk.settings_saved",
        actor=actor,
        organisation_id=organisation_id,
        object_type="risk_settings",
        object_id=row.pk,
        fields=["high_threshold", "medium_threshold", "escalation_callouts", "escalation_window_months"],
        reason=area_code or "default",
    )
    return row
