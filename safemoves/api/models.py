"""API tokens, the referrals each agency sent through the API, and idempotent writes.

A token's secret is shown once; only a keyed digest of it is kept, with a short prefix to
find the row (ADR 0026). Every model is scoped to its organisation (ADR 0001).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.intake.models import ReferralLink
from safemoves.organisations.models import Membership, Organisation


class TokenPurpose(models.TextChoices):
    AGENCY = "agency", "Agency (sends referrals, reads their status)"
    HOUSING_SYSTEM = "housing_system", "Housing system (lists void homes, reads offers)"
    STAFF = "staff", "Staff (reads cases)"


class ApiToken(OrganisationOwned):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=200)
    purpose = models.CharField(max_length=16, choices=TokenPurpose.choices)
    # The staff member a housing-system or staff token acts as: their role and cases bound it.
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The agency an agency token refers for (its referral link gives the source and landlord).
    referral_link = models.ForeignKey(
        ReferralLink, null=True, blank=True, on_delete=models.PROTECT, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    rate_per_minute = models.PositiveIntegerField(default=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose="agency") | models.Q(referral_link__isnull=False),
                name="api_token_agency_has_link",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="agency") | models.Q(membership__isnull=False),
                name="api_token_member_tokens_have_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ApiReferral(OrganisationOwned):
    """A case an agency opened through the API: the agency may read its status, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral_link = models.ForeignKey(ReferralLink, on_delete=models.PROTECT, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"api referral {self.pk}"


class IdempotencyRecord(OrganisationOwned):
    """The first response to a write with this token and ``Idempotency-Key``, replayed to repeats.

    The row is inserted before the write, in the same transaction: a concurrent request with
    the same key waits on the unique constraint and then replays the committed response.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # A response may name a home's address: encrypted like every other copy of it.
    response_body = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"idempotency record {self.pk}"
