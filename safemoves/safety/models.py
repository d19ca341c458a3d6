"""Safety actions on clocks, the agency directory, agency referrals and the options appraisal.

Personal values (evidence notes, reasons, places a survivor goes or avoids, their postcodes
and coordinates) are encrypted (ADR 0006). ONS area codes are plain: they name council
districts, not people.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.geo import area_name, is_known_area
from safemoves.safety.codes import (
    ActionStatus,
    AgencyKind,
    ClockKind,
    Option,
    PlaceKind,
    ReferralStatus,
    RelativeTo,
)


class SafetyActionType(models.Model):
    """The catalogue of safety actions and their default clocks (shared reference data)."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    clock_kind = models.CharField(max_length=16, choices=ClockKind.choices)
    amount = models.PositiveSmallIntegerField()
    relative_to = models.CharField(max_length=16, choices=RelativeTo.choices)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label

    @property
    def clock_label(self) -> str:
        unit = {ClockKind.HOURS: "hours", ClockKind.WORKING_DAYS: "working days", ClockKind.MONTHS: "months"}
        return f"{self.amount} {unit[ClockKind(self.clock_kind)]} from {RelativeTo(self.relative_to).label.lower()}"


class SafetyAction(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_actions")
    action_type = models.ForeignKey(SafetyActionType, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The moment the clock started (referral, survey done, move...) and when it runs out.
    starts_at = models.DateTimeField()
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence_note = EncryptedTextField(blank=True, default="")
    # Set when managers were told of the breach, so each breach is reported once.
    breach_notified_at = models.DateTimeField(null=True, blank=True)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="safety_action_due_idx"),
            models.Index(fields=["case", "status"], name="safety_action_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action_type_id} on {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def done_late(self) -> bool:
        return self.done_at is not None and self.done_at > self.due_at


class Agency(OrganisationOwned):
    """A support service in a landlord's directory; contact details are the service's, not a person's."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=AgencyKind.choices)
    # ONS district codes the service covers; empty means everywhere.
    area_codes = models.JSONField(default=list, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    notes = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="agency_name_unique")]

    def __str__(self) -> str:
        return self.name


class AgencyReferral(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    # The consent decision (or lawful basis) in force when it was sent.
    consent = models.ForeignKey("cases.Consent", on_delete=models.PROTECT, related_name="+")
    sharing_basis = models.CharField(max_length=32)
    purpose = EncryptedTextField(blank=True, default="")
    decline_reason = EncryptedTextField(blank=True, default="")
    sent_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class OptionsAppraisal(OrganisationOwned):
    """The options weighed with the tenant, her priorities and the decision (one per case)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="options_appraisal")
    options_considered = models.JSONField(default=list)
    own_stock_unsuitable = models.BooleanField(default=False)
    own_stock_reason = EncryptedTextField(blank=True, default="")
    priorities = models.JSONField(default=list)
    priorities_other = EncryptedTextField(blank=True, default="")
    tenant_wishes = EncryptedTextField(blank=True, default="")
    decision = models.CharField(max_length=24, choices=Option.choices, blank=True)
    decision_reason = EncryptedTextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"options appraisal of {self.case_id}"


class Place(OrganisationOwned):
    """A place she wants to be near or must avoid: a point (postcode) with a radius, or a whole area."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(OptionsAppraisal, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=8, choices=PlaceKind.choices)
    label = EncryptedTextField(blank=True, default="")
    postcode = EncryptedTextField(blank=True, default="")
    # Exact coordinates of a place linked to a person: encrypted, kept as decimal text.
    lat = EncryptedTextField(blank=True, default="")
    lon = EncryptedTextField(blank=True, default="")
    radius_km = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    area_code = models.CharField(max_length=9)
    is_area = models.BooleanField(default=False, help_text="The whole council area, not a point.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return f"place {self.pk}"

    @property
    def area_label(self) -> str:
        return area_name(self.area_code) if is_known_area(self.area_code) else self.area_code


class SanctuaryAgreement(OrganisationOwned):
    """The tenant's choice to stay at home with sanctuary measures, and the landlord's agreement.

    Sanctuary measures are fitted only on both: the tenant chose to stay (never pressed to) and
    the landlord agreed the home can be made safe (one per case).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sanctuary_agreement")
    tenant_chooses_to_stay = models.BooleanField(default=False)
    # How and when the tenant said so (e.g. "in person at the office, 3 March, with the IDVA").
    tenant_choice_note = EncryptedTextField(blank=True, default="")
    landlord_agrees = models.BooleanField(default=False)
    landlord_agreement_note = EncryptedTextField(blank=True, default="")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sanctuary agreement of {self.case_id}"

    @property
    def is_in_place(self) -> bool:
        return self.tenant_chooses_to_stay and self.landlord_agrees
