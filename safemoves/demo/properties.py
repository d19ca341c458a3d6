"""Fictional void homes for the demo consortium, at real postcodes of each landlord's districts.

Addresses are invented (street names that do not exist at those postcodes); postcodes,
districts and coordinates are real, read offline from the ONS Postcode Directory.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.demo.consortium import LANDLORDS, demo_email
from safemoves.geo.postcodes import read_letter_columns
from safemoves.organisations.models import Membership, Organisation, Role
from safemoves.properties.importing import HomeInput
from safemoves.properties.models import Home
from safemoves.properties.services import home_create

# Every Kent and Medway postcode area (ME, CT, TN, DA) starts with one of these letters.
KENT_LETTERS = ("C", "D", "M", "T")
KENT_PREFIXES = ("ME", "CT", "TN", "DA")
STREETS = (
    "Orchard Row",
    "Hopfield Close",
    "Oast Lane",
    "Cobnut Walk",
    "Marsh View",
    "Chalk Pit Road",
    "Wealden Way",
    "Shingle Terrace",
    "Kingfisher Court",
    "Bramley Gardens",
    "Saxon Rise",
    "Lantern Yard",
)
# (bedrooms, floor, lift, step free, wheelchair standard, pets): a varied, plausible mix.
SHAPES: tuple[tuple[int, int, bool, bool, str, bool], ...] = (
    (1, 2, True, True, "2", False),
    (2, 0, False, True, "1", True),
    (3, 0, False, False, "3", True),
    (2, 1, False, False, "3", False),
    (1, 0, False, True, "0", False),
    (4, 0, False, False, "3", True),
    (2, 3, True, True, "3", False),
    (3, 0, False, True, "2", True),
)
TENANCIES = ("7", "2", "2", "7", "6", "8")


def postcodes_by_area(area_codes: Sequence[str]) -> dict[str, list[str]]:
    """Real, located postcodes of the given Kent and Medway districts, sorted."""
    wanted = set(area_codes)
    found: dict[str, list[str]] = {code: [] for code in area_codes}
    for letter in KENT_LETTERS:
        columns = read_letter_columns(letter)
        for pcd, area, easting in zip(columns["pcd"], columns["laua"], columns["oseast1m"], strict=True):
            if area in wanted and pcd.startswith(KENT_PREFIXES) and easting == easting:  # NaN: no location
                compact = pcd.replace(" ", "")
                found[area].append(f"{compact[:-3]} {compact[-3:]}")
    return {code: sorted(postcodes) for code, postcodes in found.items()}


def _sample(postcodes: list[str], count: int, offset: int) -> list[str]:
    """``count`` postcodes spread evenly through the sorted list (deterministic)."""
    if not postcodes:
        return []
    step = max(len(postcodes) // count, 1)
    return [postcodes[(offset + index * step) % len(postcodes)] for index in range(count)]


@transaction.atomic
def seed_demo_homes(*, per_landlord: int = 8) -> int:
    """Give every demo landlord ``per_landlord`` void homes; returns how many were created.

    Idempotent: a landlord that already has homes is left alone. Needs the demo consortium
    (``seed_demo_consortium``) first; landlords missing from the database are skipped.
    """
    with scopes_disabled():
        organisations = {org.slug: org for org in Organisation.objects.filter(slug__in=[x.slug for x in LANDLORDS])}
    all_areas = sorted({code for landlord in LANDLORDS for code in landlord.areas})
    postcodes = postcodes_by_area(all_areas)
    today = timezone.localdate()
    created = 0
    for landlord_index, landlord in enumerate(LANDLORDS):
        organisation = organisations.get(landlord.slug)
        if organisation is None:
            continue
        with organisation_scope(organisation.pk):
            if Home.objects.filter(organisation=organisation).exists():
                continue
            membership = Membership.objects.select_related("user").get(
                organisation=organisation, user__email=demo_email(landlord, Role.LETTINGS_OFFICER)
            )
            for number in range(per_landlord):
                area = landlord.areas[number % len(landlord.areas)]
                share = -(-per_landlord // len(landlord.areas))
                postcode = _sample(postcodes[area], share, offset=landlord_index * 97)[number // len(landlord.areas)]
                bedrooms, floor, lift, step_free, wheelchair, pets = SHAPES[(number + landlord_index) % len(SHAPES)]
                flat = f"Flat {number + 1}, " if floor else ""
                home_create(
                    membership=membership,
                    data=HomeInput(
                        address=f"{flat}{(landlord_index * 13 + number * 7) % 90 + 1} "
                        f"{STREETS[(landlord_index + number) % len(STREETS)]}",
                        postcode=postcode,
                        bedrooms=bedrooms,
                        floor=floor,
                        has_lift=lift,
                        step_free=step_free,
                        wheelchair_standard=wheelchair,
                        pets_allowed=pets,
                        weekly_rent=Decimal(85 + bedrooms * 18 + (number * 3) % 11) + Decimal("0.50"),
                        tenancy_offered=TENANCIES[(number + landlord_index) % len(TENANCIES)],
                        available_from=today + datetime.timedelta(days=(number * 5 + landlord_index) % 45),
                    ),
                )
                created += 1
    return created
