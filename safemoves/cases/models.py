"""The domestic-abuse case and everything personal around it.

Every personal value is an encrypted field (ADR 0006); rows carry a UUID key
assigned in Python so each value is bound to its row and field. Every model is
scoped to its organisation (ADR 0001).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.codes import (
    CaseOutcome,
    CaseSource,
    CaseStatus,
    ConsentBasis,
    ConsentPurpose,
    ContactChannel,
    CoreTenancy,
    CourtOrderType,
    MemberKind,
    NoteKind,
    Relationship,
)
from safemoves.common.fields import EncryptedDateField, EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.organisations.models import Organisation


class Case(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW)
    outcome = models.CharField(max_length=32, choices=CaseOutcome.choices, blank=True)
    source = models.CharField(max_length=32, choices=CaseSource.choices)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases"
    )
    restricted = models.BooleanField(default=False, help_text="Only the named staff may see this case.")
    named_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="named_cases")

    received_at = models.DateTimeField(default=timezone.now)
    first_contact_due_at = models.DateTimeField()
    first_contact_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The earliest open clock on the case (first contact, safety actions): orders caseloads.
    next_due_at = models.DateTimeField(null=True, blank=True)

    lead_name = EncryptedTextField()
    lead_date_of_birth = EncryptedDateField(null=True, blank=True)
    address = EncryptedTextField(blank=True, default="")
    postcode = EncryptedTextField(blank=True, default="")
    referral_summary = EncryptedTextField(blank=True, default="")
    referrer_details = EncryptedTextField(blank=True, default="")

    tenure = models.CharField(max_length=2, choices=CoreTenancy.choices, blank=True)
    tenancy_start = models.DateField(null=True, blank=True)
    introductory_period_ends = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="case_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "next_due_at"], name="case_queue_idx"),
            models.Index(fields=["organisation", "assigned_officer", "status"], name="case_officer_idx"),
            # Lists show open cases by next due date (ADR 0015): partial indexes hold only
            # open cases, in the lists' order (PostgreSQL's ascending b-tree puts NULLs last,
            # as the lists do), so a page reads its rows without scanning closed cases or sorting.
            models.Index(
                fields=["organisation", "next_due_at", "reference"],
                condition=~models.Q(status="closed"),
                name="case_open_due_idx",
            ),
            models.Index(
                fields=["organisation", "assigned_officer", "next_due_at", "reference"],
                condition=~models.Q(status="closed"),
                name="case_open_officer_due_idx",
            ),
            # The triage inbox: new, unassigned cases by first-contact deadline.
            models.Index(
                fields=["organisation", "first_contact_due_at", "reference"],
                condition=models.Q(status="new", assigned_officer__isnull=True),
                name="case_triage_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def first_contact_overdue(self) -> bool:
        return self.first_contact_at is None and self.first_contact_due_at < timezone.now()


class CaseSearchToken(OrganisationOwned):
    """Keyed blind-index tokens of a case's name and reference, usable only inside its landlord."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["organisation", "token"], name="case_token_idx")]

    def __str__(self) -> str:
        return f"token of {self.case_id}"


class HouseholdMember(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household")
    kind = models.CharField(max_length=8, choices=MemberKind.choices)
    name = EncryptedTextField()
    date_of_birth = EncryptedDateField(null=True, blank=True)
    relationship_to_lead = EncryptedTextField(blank=True, default="")
    school = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return f"household member {self.pk}"

    def age_on(self, day: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Perpetrator(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedTextField()
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    lives_at_address = models.BooleanField(default=False)
    joint_tenant = models.BooleanField(default=False)
    has_key = models.BooleanField(default=False)
    known_address = EncryptedTextField(blank=True, default="")
    description = EncryptedTextField(blank=True, default="")
    # Blind index of the whole normalised name under the landlord's own key ("" when not
    # known): finds the same person on the landlord's other cases (cases/finding.py).
    name_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organisation", "name_index"], name="perpetrator_name_index_idx")]

    def __str__(self) -> str:
        return f"perpetrator {self.pk}"


class CourtOrder(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="court_orders")
    order_type = models.CharField(max_length=24, choices=CourtOrderType.choices)
    made_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    conditions = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.order_type} {self.pk}"

    @property
    def is_current(self) -> bool:
        return self.expires_on is None or self.expires_on >= timezone.localdate()


class SafeContactRules(OrganisationOwned):
    """How, when and where it is safe to contact the tenant. Absent means: do not contact."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact_rules")
    is_safe_to_talk_checked = models.BooleanField(
        default=False, help_text="We asked: is it safe to talk now? Is this number safe to call?"
    )
    safe_phone = EncryptedTextField(blank=True, default="")
    safe_email = EncryptedTextField(blank=True, default="")
    safe_postal_address = EncryptedTextField(blank=True, default="")
    safe_times = EncryptedTextField(blank=True, default="")
    code_word = EncryptedTextField(blank=True, default="")
    phone_ok = models.BooleanField(default=False)
    sms_ok = models.BooleanField(default=False)
    voicemail_ok = models.BooleanField(default=False)
    email_ok = models.BooleanField(default=False)
    letter_ok = models.BooleanField(default=False)
    visit_ok = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"contact rules of {self.case_id}"


class Consent(OrganisationOwned):
    """One decision about sharing for one purpose; the newest per purpose is in force."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    basis = models.CharField(max_length=32, choices=ConsentBasis.choices)
    recorded_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    # Encrypted: people write where and on whose phone consent was given.
    how_given = EncryptedTextField(blank=True, default="", help_text="e.g. signed form, verbal on the phone")
    notes = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.basis}"


class CaseNote(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=NoteKind.choices, default=NoteKind.NOTE)
    channel = models.CharField(max_length=16, choices=ContactChannel.choices, blank=True)
    body = EncryptedTextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class CaseSettings(OrganisationOwned):
    """Per-landlord case settings (triage clock, retention)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="case_settings")
    first_contact_working_days = models.PositiveSmallIntegerField(default=1)
    retention_months_after_closure = models.PositiveSmallIntegerField(default=72)
    caseload_flag = models.PositiveSmallIntegerField(default=30)
    reference_prefix = models.CharField(max_length=8, default="DA")
    next_reference = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"case settings of {self.organisation_id}"
