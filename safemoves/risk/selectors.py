"""Reads of risk assessments and MARAC referrals, always through a case already checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.bound import Read
from safemoves.geo import KENT_AND_MEDWAY, PostcodeError, is_known_area, lookup_postcode
from safemoves.risk.models import MaracReferral, RiskAssessment, RiskSettings
from safemoves.risk.scoring import EscalationRule, Thresholds

# SafeLives counts 3 call-outs in 12 months; the Kent and Medway MARAC protocol counts 6 months.
DEFAULT_WINDOW_MONTHS = 12
KENT_AND_MEDWAY_WINDOW_MONTHS = 6


def default_window_months(area_code: str) -> int:
    """The built-in escalation window of a MARAC area ("" may stand for any area: the longest)."""
    return KENT_AND_MEDWAY_WINDOW_MONTHS if area_code in KENT_AND_MEDWAY else DEFAULT_WINDOW_MONTHS


def default_rules(area_code: str) -> tuple[Thresholds, EscalationRule]:
    """The built-in (and least strict allowed) thresholds and escalation rule of the area."""
    return Thresholds(), EscalationRule(window_months=default_window_months(area_code))


def risk_rules_for(*, organisation_id: int, area_code: str) -> tuple[Thresholds, EscalationRule]:
    """Thresholds and escalation rule of the MARAC area: the landlord's setting for the area,
    else its default setting, else the built-in default for the area.

    A setting can only make the rules stricter (ADR 0014): a stored value laxer than the
    built-in default (from before that rule) is read as the default.
    """
    rows = {row.area_code: row for row in RiskSettings.objects.filter(organisation_id=organisation_id)}
    row = rows.get(area_code) if area_code else None
    row = row or rows.get("")
    thresholds, rule = default_rules(area_code)
    if row is None:
        return thresholds, rule
    high = min(row.high_threshold, thresholds.high)
    return (
        Thresholds(high=high, medium=min(row.medium_threshold, thresholds.medium, high)),
        EscalationRule(
            callouts=min(row.escalation_callouts, rule.callouts),
            window_months=max(row.escalation_window_months, rule.window_months),
        ),
    )


def risk_settings(organisation_id: int) -> list[RiskSettings]:
    return sorted(RiskSettings.objects.filter(organisation_id=organisation_id), key=lambda row: row.area_code)


def marac_area_for(case: Case) -> str:
    """The district of the case's address (offline lookup), else the landlord's only area, else ""."""
    if case.postcode:
        try:
            area = lookup_postcode(case.postcode).area_code
        except PostcodeError:
            area = ""
        if area and is_known_area(area):
            return area
    areas = [code for code in case.organisation.area_codes if is_known_area(code)]
    return areas[0] if areas else ""


def assessments(case: Case) -> QuerySet[RiskAssessment]:
    return assessments_of_case_id(case.pk)


def assessments_of_case_id(case_id: Any) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(case_id=case_id).select_related("assessor").order_by("-assessed_at")


def latest_assessment(case: Case) -> RiskAssessment | None:
    return assessments(case).first()


def get_assessment(case: Case, assessment_id: Any) -> RiskAssessment:
    assessment = assessments(case).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    return assessment


def marac_referrals(case: Case) -> QuerySet[MaracReferral]:
    return MaracReferral.objects.filter(case=case).select_related("created_by").order_by("-referred_on", "-created_at")


def get_marac_referral(case: Case, referral_id: Any) -> MaracReferral:
    referral = marac_referrals(case).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


def marac_required(case: Case, latest: RiskAssessment | None = None) -> bool:
    """The latest assessment calls for MARAC and no referral was made on or after its date."""
    latest = latest if latest is not None else latest_assessment(case)
    if latest is None or not latest.marac_required:
        return False
    assessed_on = timezone.localdate(latest.assessed_at)
    return not MaracReferral.objects.filter(case=case, referred_on__gte=assessed_on).exists()


@dataclass(frozen=True)
class RiskSummary:
    latest: RiskAssessment | None
    assessment_count: int
    marac_required: bool
    referrals: list[MaracReferral]

    @property
    def current_referral(self) -> MaracReferral | None:
        live = [referral for referral in self.referrals if not referral.is_transferred_out]
        return live[0] if live else None


# The columns the risk panel shows of the latest assessment and of the MARAC referrals (ADR 0030):
# not the encrypted answers and comments, nor who recorded a referral.
PANEL_ASSESSMENT_FIELDS = (
    "pk",
    "organisation",
    "score",
    "computed_band",
    "judgement_band",
    "final_band",
    "police_callouts",
    "callout_window_months",
    "escalated",
    "assessed_at",
    "assessor",
    "assessor__full_name",
    "assessor__email",
)
PANEL_REFERRAL_FIELDS = ("pk", "organisation", "area_code", "referred_on", "meeting_on", "is_repeat", "transferred_on")


def _panel_assessments(case_id: UUID) -> QuerySet[RiskAssessment]:
    return assessments_of_case_id(case_id).only(*PANEL_ASSESSMENT_FIELDS)


def _panel_referrals(case_id: UUID) -> QuerySet[MaracReferral]:
    return (
        MaracReferral.objects.filter(case_id=case_id)
        .only(*PANEL_REFERRAL_FIELDS)
        .order_by("-referred_on", "-created_at")
    )


def risk_summary_reads(case: Case) -> list[Read[Any]]:
    return [
        Read("risk.panel.assessments", _panel_assessments, {"case_id": case.pk}),
        Read("risk.panel.marac", _panel_referrals, {"case_id": case.pk}),
    ]


def risk_summary(case: Case) -> RiskSummary:
    """The risk panel's facts in two narrow queries (the rule of :func:`marac_required`, on the lists)."""
    assessments_read, referrals_read = risk_summary_reads(case)
    assessed = list(assessments_read.queryset())
    referrals = list(referrals_read.queryset())
    latest = assessed[0] if assessed else None
    required = False
    if latest is not None and latest.marac_required:
        assessed_on = timezone.localdate(latest.assessed_at)
        required = not any(referral.referred_on >= assessed_on for referral in referrals)
    return RiskSummary(latest=latest, assessment_count=len(assessed), marac_required=required, referrals=referrals)
