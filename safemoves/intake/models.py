"""Agency referral links: the one model of intake (its table was created by the cases app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.codes import CaseSource
from safemoves.common.scoping import OrganisationOwned
from safemoves.organisations.models import Organisation


class ReferralLink(OrganisationOwned):
    """A per-agency link to the referral form; only the SHA-256 of its token is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referral_links")
    agency_name = models.CharField(max_length=200)
    source = models.CharField(max_length=32, choices=CaseSource.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table keeps the name it had when the cases app defined the model (ADR 0029).
        db_table = "cases_referrallink"
        ordering = ["agency_name"]

    def __str__(self) -> str:
        return self.agency_name
