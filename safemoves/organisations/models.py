from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.common.rows import DirectFromDb
from safemoves.common.scoping import OrganisationOwned


class Organisation(DirectFromDb, models.Model):
    """A member landlord. Names and covered areas are shared within the scheme."""

    class Kind(models.TextChoices):
        HOUSING_ASSOCIATION = "housing_association", "Housing association"
        COUNCIL = "council", "Council landlord"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # Unique across every landlord, so case references ("DA-MR-2026-00001") are unambiguous in
    # the scheme. Set from the name's initials when the landlord is created.
    short_code = models.CharField(max_length=6, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # ONS local authority district codes (e.g. E07000110) where the landlord holds stock.
    area_codes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.short_code:
            self.short_code = free_short_code(self.name, Organisation.objects.exclude(pk=self.pk))
        super().save(*args, **kwargs)


def free_short_code(name: str, others: models.QuerySet[Organisation]) -> str:
    """The name's initials (up to four letters), with a number added if another landlord has them."""
    letters = "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()[:4] or "L"
    taken = set(others.filter(short_code__startswith=letters).values_list("short_code", flat=True))
    code, number = letters, 1
    while code in taken:
        number += 1
        code = f"{letters}{number}"
    return code


class Scheme(models.Model):
    """A consortium of landlords running a reciprocal rehousing scheme."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    members = models.ManyToManyField(Organisation, through="SchemeMembership", related_name="schemes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchemeMembership(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="scheme_memberships")
    joined_on = models.DateField(default=timezone.localdate)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="scheme_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in scheme {self.scheme_id}"


class Role(models.TextChoices):
    OFFICER = "officer", "Tenancy services officer"
    MANAGER = "manager", "Manager"
    LETTINGS_OFFICER = "lettings_officer", "Lettings officer"
    COORDINATOR = "coordinator", "Scheme coordinator"
    AUDITOR = "auditor", "Auditor / data protection officer"
    ADMIN = "admin", "Organisation administrator"


class Membership(OrganisationOwned):
    """A member of staff's place in one landlord, with one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.role}) at {self.organisation_id}"


class Invitation(OrganisationOwned):
    """An invitation for a new member of staff; only the SHA-256 of its token is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
