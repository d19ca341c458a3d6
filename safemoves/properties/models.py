"""Void homes each landlord lists for the reciprocal scheme, and the record of each import.

A void home's address is not personal while it stands empty, but once a household moves in
through the scheme it is a protected address, so address and postcode are encrypted from
the start. The plain coordinates are rounded to about 100 m for matching and cleared when
the home is let, and so is the UPRN (ADR 0008; database constraints hold both rules).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safemoves.cases.codes import CoreTenancy
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.organisations.models import Organisation
from safemoves.properties import importing
from safemoves.properties.codes import HomeStatus, ImportMode, WheelchairStandard

# Statuses in which a home is still on the landlord's books as a void (UPRNs must not repeat).
LISTED_STATUSES = (HomeStatus.AVAILABLE, HomeStatus.OFFERED)


class HomeImport(OrganisationOwned):
    """One upload of a homes file: who, when, how, and how many rows went in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    # A file name may say more than it should ("mrs x new home.xlsx"), so it is encrypted too.
    file_name = EncryptedTextField()
    mode = models.CharField(max_length=16, choices=ImportMode.choices)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    file_rejected = models.BooleanField(default=False, help_text="The file itself could not be read.")

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"home import {self.pk}"


class Home(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="homes")
    status = models.CharField(max_length=16, choices=HomeStatus.choices, default=HomeStatus.AVAILABLE)

    address = EncryptedTextField()
    postcode = EncryptedTextField()
    uprn = models.CharField(
        max_length=12, blank=True, validators=[RegexValidator(r"^\d{1,12}$", "A UPRN is up to 12 digits.")]
    )
    area_code = models.CharField(max_length=9, validators=[RegexValidator(r"^[EWSN]\d{8}$")])
    # Rounded to importing.COORDINATE_DECIMALS; null once let (the address is then protected).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # How far the true home may lie from (latitude, longitude): matching treats the home as this
    # whole disc (contract v2 `uncertainty_km`), so a rounded or approximate position never
    # passes as safe when some point of it is not (ADR 0010).
    position_uncertainty_km = models.FloatField(
        default=0.1, validators=[MinValueValidator(0.0), MaxValueValidator(50.0)]
    )

    bedrooms = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(importing.MAX_BEDROOMS)]
    )
    floor = models.PositiveSmallIntegerField(default=0, help_text="0 is the ground floor.")
    has_lift = models.BooleanField(default=False)
    step_free = models.BooleanField(default=False)
    wheelchair_standard = models.CharField(
        max_length=1, choices=WheelchairStandard.choices, default=WheelchairStandard.NONE
    )
    pets_allowed = models.BooleanField(default=False)
    weekly_rent = models.DecimalField(max_digits=7, decimal_places=2)
    tenancy_offered = models.CharField(max_length=2, choices=CoreTenancy.choices)
    available_from = models.DateField()

    source_import = models.ForeignKey(HomeImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["available_from", "created_at"]
        constraints = [
            # Once let, the home is someone's protected address: no plain location may remain.
            models.CheckConstraint(
                condition=~Q(status=HomeStatus.LET) | Q(latitude__isnull=True, longitude__isnull=True),
                name="home_let_has_no_coordinates",
            ),
            # The UPRN names the exact dwelling: once let it would point at the protected address.
            models.CheckConstraint(condition=~Q(status=HomeStatus.LET) | Q(uprn=""), name="home_let_has_no_uprn"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="home_coordinates_paired",
            ),
            models.CheckConstraint(
                condition=Q(bedrooms__gte=1, bedrooms__lte=importing.MAX_BEDROOMS), name="home_bedrooms_range"
            ),
            models.CheckConstraint(condition=Q(weekly_rent__gt=0), name="home_rent_positive"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "available_from"], name="home_list_idx"),
            models.Index(fields=["organisation", "uprn"], name="home_uprn_idx"),
        ]

    def __str__(self) -> str:
        return f"home {self.pk}"

    @property
    def is_listed(self) -> bool:
        return self.status in LISTED_STATUSES

    @property
    def address_is_protected(self) -> bool:
        """A let home is where a household now lives: its address is not shown here."""
        return self.status == HomeStatus.LET
