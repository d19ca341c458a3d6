"""Offers of a refuge, emergency or temporary place made to the tenant, and the answer.

These run in parallel with the case (DOMAIN: not the reciprocal scheme). Personal values
(the provider, the exact postcode and point, notes and the distances to the tenant's own
places, which could locate them) are encrypted (ADR 0006); the district is kept in clear so
offers can be counted by area.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.emergency.codes import AccommodationKind, Decision, RefusalReason
from safemoves.geo import area_name, is_known_area


@dataclass(frozen=True)
class PlaceDistance:
    """How far the offered place is from one of the tenant's own places."""

    label: str
    km: float
    # True when either end is a whole district (its centre), not a postcode.
    approximate: bool


class EmergencyOffer(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_offers")
    kind = models.CharField(max_length=16, choices=AccommodationKind.choices)
    provider = EncryptedTextField()
    # The council district the place is in (from the postcode when one is given).
    area_code = models.CharField(max_length=9)
    postcode = EncryptedTextField(blank=True, default="")
    lat = EncryptedTextField(blank=True, default="")
    lon = EncryptedTextField(blank=True, default="")
    offered_on = models.DateField()
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    refusal_reason = models.CharField(max_length=32, choices=RefusalReason.choices, blank=True)
    decision_note = EncryptedTextField(blank=True, default="")
    # JSON list of {"label", "km", "approximate"}, computed from the tenant's places on save.
    distances = EncryptedTextField(blank=True, default="[]")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-offered_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "offered_on"], name="emergency_offer_date_idx")]

    def __str__(self) -> str:
        return f"emergency offer {self.pk}"

    @property
    def area_label(self) -> str:
        return area_name(self.area_code) if is_known_area(self.area_code) else self.area_code

    @property
    def place_distances(self) -> list[PlaceDistance]:
        return [
            PlaceDistance(label=str(item["label"]), km=float(item["km"]), approximate=bool(item["approximate"]))
            for item in json.loads(self.distances or "[]")
        ]
