"""Kinds of emergency and temporary accommodation, the tenant's decision and the reasons for refusing."""

from __future__ import annotations

from django.db import models


class AccommodationKind(models.TextChoices):
    REFUGE = "refuge", "Refuge"
    EMERGENCY = "emergency", "Emergency accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"


class Decision(models.TextChoices):
    PENDING = "pending", "Waiting for the tenant's answer"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class RefusalReason(models.TextChoices):
    TOO_FAR_SUPPORT_NETWORK = "too_far_support_network", "Too far from the tenant's support network"
    TOO_FAR_SCHOOL = "too_far_school", "Too far from the children's school"
    TOO_FAR_WORK = "too_far_work", "Too far from the tenant's work"
    UNSAFE_AREA = "unsafe_area", "Unsafe area"
    UNSUITABLE_FOR_NEEDS = "unsuitable_for_needs", "Unsuitable for the household's needs"
    OTHER = "other", "Other (say why)"
