"""Code lists of the safety app."""

from __future__ import annotations

from django.db import models


class ClockKind(models.TextChoices):
    HOURS = "hours", "Hours (real time, weekends included)"
    WORKING_DAYS = "working_days", "Working days (England and Wales)"
    MONTHS = "months", "Calendar months"


class RelativeTo(models.TextChoices):
    REFERRAL = "referral", "The referral"
    SURVEY_DONE = "survey_done", "The sanctuary survey being done"
    MOVE_DATE = "move_date", "The move"
    CREATED = "created", "The action being set"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class AgencyKind(models.TextChoices):
    WOMENS_AID = "womens_aid", "Women's Aid"
    NCDV = "ncdv", "National Centre for Domestic Violence (injunctions)"
    IDVA = "idva", "IDVA service"
    POLICE = "police", "Police"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    REFUGE = "refuge", "Refuge"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    DONE = "done", "Done"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The legal moves of an agency referral; declined, done and withdrawn are final.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.DONE, ReferralStatus.WITHDRAWN}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.DONE: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}


class Option(models.TextChoices):
    STAY_SANCTUARY = "stay_sanctuary", "Stay at home with sanctuary measures"
    OWN_STOCK_TRANSFER = "own_stock_transfer", "Transfer within our own stock"
    RECIPROCAL = "reciprocal", "Reciprocal move to another landlord"
    REFUGE = "refuge", "Refuge or emergency accommodation"
    PRIVATE_RENTED = "private_rented", "Private rented home"


class Priority(models.TextChoices):
    SUPPORT_NETWORK = "support_network", "Near their support network"
    SCHOOLS = "schools", "Near the children's schools"
    WORK = "work", "Near their work"
    OTHER = "other", "Other"


class PlaceKind(models.TextChoices):
    NEAR = "near", "Safe place to be near"
    AVOID = "avoid", "Unsafe place or area to avoid"
