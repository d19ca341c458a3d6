"""DASH risk assessments, per-area risk settings and MARAC referrals.

Answers and comments are about a person, so they are encrypted (ADR 0006); the score and
bands are plain so caseloads can be ordered and counted by risk.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.codes import ConsentBasis
from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.geo import area_name, is_known_area
from safemoves.organisations.models import Organisation


class RiskBand(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RiskSettings(OrganisationOwned):
    """Banding and escalation for one MARAC area of a landlord; a blank area is its default."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # ONS local authority district code of the MARAC area; "" is the landlord's default.
    area_code = models.CharField(max_length=9, blank=True, default="")
    high_threshold = models.PositiveSmallIntegerField(default=14)
    medium_threshold = models.PositiveSmallIntegerField(default=10)
    escalation_callouts = models.PositiveSmallIntegerField(default=3)
    escalation_window_months = models.PositiveSmallIntegerField(default=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area_code"], name="risk_settings_area_unique"),
        ]

    def __str__(self) -> str:
        return f"risk settings of {self.organisation_id} for {self.area_code or 'default'}"


class RiskAssessment(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    question_set_version = models.CharField(max_length=32)
    # JSON {"q1": "yes" | "no" | "not_known", ...} and {"q1": "comment", ...}, encrypted.
    answers = EncryptedTextField()
    comments = EncryptedTextField(blank=True, default="")
    score = models.PositiveSmallIntegerField()
    computed_band = models.CharField(max_length=8, choices=RiskBand.choices)
    judgement_band = models.CharField(max_length=8, choices=RiskBand.choices, blank=True)
    judgement_reason = EncryptedTextField(blank=True, default="")
    final_band = models.CharField(max_length=8, choices=RiskBand.choices)
    # The thresholds and rule in force for the area when assessed, kept for the record.
    area_code = models.CharField(max_length=9, blank=True)
    high_threshold = models.PositiveSmallIntegerField()
    medium_threshold = models.PositiveSmallIntegerField()
    police_callouts = models.PositiveSmallIntegerField(null=True, blank=True)
    callout_window_months = models.PositiveSmallIntegerField()
    escalation_callouts = models.PositiveSmallIntegerField()
    escalated = models.BooleanField(default=False)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_at"]
        indexes = [models.Index(fields=["organisation", "case", "assessed_at"], name="risk_assessment_case_idx")]

    def __str__(self) -> str:
        return f"DASH {self.pk}"

    @property
    def marac_required(self) -> bool:
        return self.final_band == RiskBand.HIGH or self.escalated

    @property
    def raised_on_judgement(self) -> bool:
        return bool(self.judgement_band) and self.judgement_band != self.computed_band


class MaracReferral(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="marac_referrals")
    assessment = models.ForeignKey(RiskAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # ONS code of the local authority district whose MARAC takes the case.
    area_code = models.CharField(max_length=9)
    referred_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True)
    actions_agreed = EncryptedTextField(blank=True, default="")
    # Why sharing with the MARAC is lawful: her consent, or (without it) high risk.
    sharing_basis = models.CharField(max_length=32, choices=ConsentBasis.choices)
    # Referred again within 12 months of a previous referral of the same case.
    is_repeat = models.BooleanField(default=False)
    # MARAC-to-MARAC transfer: the referral this one continues, and where this one went on to.
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transferred_to"
    )
    transferred_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-created_at"]

    def __str__(self) -> str:
        return f"MARAC referral {self.pk}"

    @property
    def area_label(self) -> str:
        return area_name(self.area_code) if is_known_area(self.area_code) else self.area_code

    @property
    def is_transferred_out(self) -> bool:
        return self.transferred_on is not None
