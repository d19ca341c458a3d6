"""Move requests, the anonymised profile that crosses landlords, offers, moves and the ledger.

Only :class:`SharedProfile` is meant to be read by other members, and only through
``safemoves.reciprocal.pool``. The case, its people and its exact places stay with the
referring landlord. The new address of a move is a protected address: encrypted, shown only
to the rehousing landlord's staff and the case's named officer.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safemoves.cases.codes import CoreTenancy
from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned, OrganisationScopedManager
from safemoves.organisations.models import Organisation, Scheme
from safemoves.reciprocal.codes import (
    AccessNeed,
    CheckInOutcome,
    EndReason,
    LedgerReason,
    OfferStatus,
    ProposalStatus,
    RefusalReason,
    RequestStatus,
    UnreasonableRefusal,
    ViewingOutcome,
)

# The anonymised profile: exactly these keys, nothing else (ARCHITECTURE.md, "Data that
# crosses organisations"). A test fails if one is added; add one only after a privacy review.
SHARED_PROFILE_FIELDS: tuple[str, ...] = (
    "reference",
    "adults",
    "children_age_bands",
    "bedrooms_needed",
    "access_need",
    "pets",
    "safe_areas",
    "risk_band",
    "tenure_to_keep",
    "urgent",
    "days_waiting",
)


class AppendOnlyError(RuntimeError):
    pass


class SchemePolicy(models.Model):
    """The scheme's rules; versioned rows, the newest is in force. Schemes are shared, not scoped."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="reciprocal_policies")
    version = models.PositiveIntegerField()
    live_offer_limit = models.PositiveSmallIntegerField(default=1, help_text="Live offers one request may hold.")
    minimum_areas = models.PositiveSmallIntegerField(default=5, help_text="Safe areas a request must name.")
    offer_expiry_days = models.PositiveSmallIntegerField(default=7, help_text="Calendar days to decide on an offer.")
    circulation_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Working days from approval to circulation."
    )
    max_offers = models.PositiveSmallIntegerField(
        default=3, help_text="Offers one request may receive in total (withdrawn offers do not count)."
    )
    waiting_alert_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days a circulated request may wait with no offer before the coordinator is alerted."
    )
    unreasonable_refusal = models.CharField(
        max_length=12,
        choices=UnreasonableRefusal.choices,
        default=UnreasonableRefusal.REVIEW,
        help_text="What a refusal judged unreasonable does to the request.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "version"], name="scheme_policy_version_unique")]

    def __str__(self) -> str:
        return f"policy v{self.version} of scheme {self.scheme_id}"


class MoveRequest(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="move_requests")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    # Random and non-sequential ("KMR-7Q4K9"): it says nothing about the landlord, case or date.
    reference = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    nominating_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What the case does not hold; asked once here, never again.
    bedrooms_needed = models.PositiveSmallIntegerField()
    access_need = models.CharField(max_length=1, choices=AccessNeed.choices, default=AccessNeed.NONE)
    pets = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    circulation_due_at = models.DateTimeField(null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scheme", "status"], name="move_request_pool_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_final(self) -> bool:
        return self.status in (RequestStatus.MOVED, RequestStatus.WITHDRAWN, RequestStatus.CLOSED)


class SharedProfile(OrganisationOwned):
    """The anonymised snapshot other members see, taken at approval: allow-listed keys only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(MoveRequest, on_delete=models.CASCADE, related_name="profile")
    data = models.JSONField()
    taken_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"profile of {self.request_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A set, not an order: PostgreSQL's jsonb does not keep the keys' order.
        if not isinstance(self.data, dict) or set(self.data) != set(SHARED_PROFILE_FIELDS):
            raise ValidationError({"data": "The shared profile must hold exactly the allow-listed fields."})


class Offer(OrganisationOwned):
    """A home one member offers to a circulated request. Scoped to the offering landlord."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(MoveRequest, on_delete=models.CASCADE, related_name="offers")
    # The referring landlord, kept plain so its staff find offers on their requests in their scope.
    referring_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey("properties.Home", on_delete=models.PROTECT, related_name="+")
    # The tenancy the home is offered on, fixed when the offer is made: checked against her
    # current tenure at the offer and at acceptance, and the tenancy the move records.
    tenancy = models.CharField(max_length=2, choices=CoreTenancy.choices, blank=True)
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.OFFERED)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=24, choices=RefusalReason.choices, blank=True)
    reasonable_refusal = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.REFUSED) | ~Q(refusal_reason=""), name="offer_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED)


class OfferProposal(OrganisationOwned):
    """A coordinator's proposal of a home to a request. Scoped to the home's landlord, which
    alone commits its home: its lettings staff confirm (which makes the offer) or decline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(MoveRequest, on_delete=models.CASCADE, related_name="proposals")
    home = models.ForeignKey("properties.Home", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    offer = models.OneToOneField(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal")

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "home"],
                condition=Q(status=ProposalStatus.PROPOSED),
                name="offer_proposal_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class IdentityRelease(OrganisationOwned):
    """The household's identity released to the rehousing landlord: after acceptance, on consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The rehousing landlord, which reads the identity.
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="identity_release")
    # Deleted only with the whole case (retention), when the release goes with it.
    consent = models.ForeignKey("cases.Consent", on_delete=models.CASCADE, related_name="+")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"identity release of {self.offer_id}"


class Move(OrganisationOwned):
    """The new tenancy. Scoped to the rehousing landlord, which holds it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referring_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(MoveRequest, on_delete=models.CASCADE, related_name="move")
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="move")
    home = models.ForeignKey("properties.Home", on_delete=models.PROTECT, related_name="+")
    move_date = models.DateField()
    old_tenure = models.CharField(max_length=2, choices=CoreTenancy.choices)
    new_tenure = models.CharField(max_length=2, choices=CoreTenancy.choices)
    # A remaining introductory or starter period carries over to the new tenancy.
    introductory_period_ends = models.DateField(null=True, blank=True)
    # The protected address: the rehousing landlord's staff and the case's named officer only.
    new_address = EncryptedTextField()
    new_postcode = EncryptedTextField()
    new_area_code = models.CharField(max_length=9)
    old_area_code = models.CharField(max_length=9, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    check_in_due_at = models.DateTimeField()
    check_in_done_at = models.DateTimeField(null=True, blank=True)
    check_in_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_in_outcome = models.CharField(max_length=12, choices=CheckInOutcome.choices, blank=True)
    # Free text about her and her new home: encrypted like every other personal note.
    check_in_notes = EncryptedTextField(null=True, blank=True)
    # Set when the move's ledger pair is posted: on the move date, not when a move is typed ahead.
    ledger_posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-move_date"]

    def __str__(self) -> str:
        return f"move {self.pk}"


class AppendOnlyQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Ledger entries cannot be changed; post a correction.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger entries cannot be deleted; post a correction.")


class LedgerManager(OrganisationScopedManager["LedgerEntry"]):
    _queryset_class = AppendOnlyQuerySet


class LedgerEntry(OrganisationOwned):
    """One line of the central pot: +1 the landlord gave a home, -1 it received one. Append-only."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    # Plain ids, not foreign keys: the ledger outlives the case records (retention) unchanged.
    move_id = models.UUIDField(null=True, blank=True)
    request_reference = models.CharField(max_length=12)
    delta = models.SmallIntegerField()
    bedrooms = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=16, choices=LedgerReason.choices)
    correction_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[LedgerManager] = LedgerManager()

    class Meta:
        ordering = ["posted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(delta__in=[-1, 1]), name="ledger_delta_one_home"),
        ]

    def __str__(self) -> str:
        return f"ledger {self.pk}: {self.organisation_id} {self.delta:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries cannot be changed; post a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger entries cannot be deleted; post a correction.")


# --- the move itself (issue 14 item 8; ADR 0028) -------------------------------------------


class Viewing(OrganisationOwned):
    """A viewing of the offered home, arranged by the rehousing landlord. Scoped to it; the
    referring landlord sees the time and the outcome only (``moving.moving_view``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referring_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="viewings")
    starts_at = models.DateTimeField()
    # Where to meet and with whom: may name the home's street, so encrypted and not shared.
    place_note = EncryptedTextField(blank=True, default="")
    outcome = models.CharField(max_length=12, choices=ViewingOutcome.choices, default=ViewingOutcome.ARRANGED)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField(default=timezone.now)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"viewing {self.pk}"


class SignUp(OrganisationOwned):
    """The date the new tenancy is signed, recorded by the rehousing landlord; both sides see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="sign_up")
    sign_up_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sign-up of {self.offer_id}"


class HandoverConsent(OrganisationOwned):
    """The tenant's consent to hand the case over to the rehousing landlord. Scoped to the
    referring landlord, which records it; who gave it and how are encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="handover_consent")
    given_by = EncryptedTextField()
    given_on = models.DateField()
    how_given = EncryptedTextField()
    # What the referring officer adds for the new landlord: support and access needs only.
    support_needs = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"handover consent of {self.offer_id}"


class Handover(OrganisationOwned):
    """The handed-over case at the rehousing landlord: the minimal handover set, copied when the
    move is recorded with consent, and the safe address and contact rules after the move.
    Scoped to the rehousing landlord; the referring landlord never reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    move = models.OneToOneField(Move, on_delete=models.CASCADE, related_name="handover")
    consent = models.OneToOneField(HandoverConsent, on_delete=models.CASCADE, related_name="handover")
    # The handover set: household composition (JSON of kind, name, date of birth), needs,
    # safe-contact rules (JSON) and the current risk band. Nothing else crosses.
    lead_name = EncryptedTextField()
    household = EncryptedTextField()
    access_need = models.CharField(max_length=1, choices=AccessNeed.choices, default=AccessNeed.NONE)
    pets = models.BooleanField(default=False)
    support_needs = EncryptedTextField(blank=True, default="")
    contact_rules = EncryptedTextField()
    risk_band = models.CharField(max_length=16)
    # After the move: recorded by the rehousing landlord, never shown to the referring one.
    safe_address = EncryptedTextField(blank=True, default="")
    safe_postcode = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"handover of {self.move_id}"
