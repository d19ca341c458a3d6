"""The one table of reports: a summary kept exactly, so the time to safety reads few index pages.

ADR 0024: the scheme's time to safety is a median and 90th percentile over every case
referred across the scheme in the period (about 330,000 a year at 1,000,000 cases). Computed
from the cases and their actions it joins and sorts one row per case of millions; this table
holds the one value per case already, narrow, ordered by landlord and referral day.
"""

from __future__ import annotations

from django.db import models

from safemoves.cases.models import Case
from safemoves.common.scoping import OrganisationOwned


class TimeToSafety(OrganisationOwned):
    """One row per case whose locks have been changed: its landlord, its referral day (UTC) and
    the whole seconds from the referral to the first lock change done.

    Written only by ``reports.services.time_to_safety_refresh`` (called by every service that
    completes a lock change) and ``time_to_safety_rebuild`` (migration, bench, repair command),
    both from the same SQL, so it equals the direct computation (``scheme.time_to_safety_direct``).
    Nothing personal: no name, reference or text; the case's own row says more.
    """

    # The composite index below serves every read; a second one on the landlord alone would
    # only slow the rebuild.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="+")
    referred_on = models.DateField()
    seconds = models.BigIntegerField()

    class Meta:
        indexes = [
            # Every read is one landlord's range of referral days; the value rides in the index
            # (an index-only scan on PostgreSQL).
            models.Index(fields=["organisation", "referred_on", "seconds"], name="reports_safety_org_day"),
        ]

    def __str__(self) -> str:
        return f"time to safety of {self.case_id}"
