"""Code lists of the reciprocal scheme. CORE codes are versioned data (2024/25 collection)."""

from __future__ import annotations

from django.db import models


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    CIRCULATED = "circulated", "Circulated"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Offer accepted"
    # After an unreasonable refusal, when the scheme's policy says so: out of the pool until the
    # referring landlord's manager reviews it and circulates it again (or ends it).
    REVIEW = "review", "Returned to its landlord for review"
    MOVED = "moved", "Moved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


# The legal moves of a move request; moved, withdrawn and closed are final.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.DRAFT: frozenset({RequestStatus.APPROVED, RequestStatus.WITHDRAWN}),
    RequestStatus.APPROVED: frozenset({RequestStatus.CIRCULATED, RequestStatus.WITHDRAWN}),
    RequestStatus.CIRCULATED: frozenset({RequestStatus.OFFERED, RequestStatus.WITHDRAWN, RequestStatus.CLOSED}),
    # A refused, expired or withdrawn offer sends the request back to circulation.
    RequestStatus.OFFERED: frozenset(
        {
            RequestStatus.CIRCULATED,
            RequestStatus.REVIEW,
            RequestStatus.ACCEPTED,
            RequestStatus.WITHDRAWN,
            RequestStatus.CLOSED,
        }
    ),
    RequestStatus.REVIEW: frozenset({RequestStatus.CIRCULATED, RequestStatus.WITHDRAWN, RequestStatus.CLOSED}),
    # A move that falls through after acceptance sends the request back to circulation.
    RequestStatus.ACCEPTED: frozenset({RequestStatus.MOVED, RequestStatus.CIRCULATED, RequestStatus.WITHDRAWN}),
    RequestStatus.MOVED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
    RequestStatus.CLOSED: frozenset(),
}

# Requests other members can see in the pool.
POOL_STATUSES = (RequestStatus.CIRCULATED, RequestStatus.OFFERED)
LIVE_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.APPROVED,
    RequestStatus.CIRCULATED,
    RequestStatus.OFFERED,
    RequestStatus.REVIEW,
    RequestStatus.ACCEPTED,
)


class EndReason(models.TextChoices):
    """Why a request was withdrawn or closed (codes only: free text could identify her)."""

    SAFE_AT_HOME = "safe_at_home", "The household can now be made safe at home"
    MOVED_ELSEWHERE = "moved_elsewhere", "The household moved another way"
    TENANT_WITHDREW = "tenant_withdrew", "The tenant no longer wants to move"
    NO_CONTACT = "no_contact", "We lost contact with the tenant"
    NO_SUITABLE_HOME = "no_suitable_home", "No suitable home within the time agreed"
    ENTERED_IN_ERROR = "entered_in_error", "Raised in error"
    # Set by the service when the case itself is closed (not offered on the request form).
    CASE_CLOSED = "case_closed", "The case was closed"


# What a refusal the nominating officer judged unreasonable does to the request (scheme policy).
class UnreasonableRefusal(models.TextChoices):
    RECIRCULATE = "recirculate", "The request circulates again"
    REVIEW = "review", "The request returns to its landlord for review before it circulates again"


class ProposalStatus(models.TextChoices):
    """A coordinator's proposal of another member's home: that home's landlord decides."""

    PROPOSED = "proposed", "Proposed, awaiting the home's landlord"
    CONFIRMED = "confirmed", "Confirmed: the offer is made"
    DECLINED = "declined", "Declined by the home's landlord"


class CheckInOutcome(models.TextChoices):
    """What the post-move check-in found."""

    SETTLED = "settled", "Settled and safe"
    CONCERNS = "concerns", "Settled, with concerns to follow up"
    NOT_SAFE = "not_safe", "Not safe: the safety plan needs review"
    NO_CONTACT = "no_contact", "Could not make safe contact"


class AccessNeed(models.TextChoices):
    """CORE `housingneeds_type` (2024/25): the access the household needs."""

    FULLY_ACCESSIBLE = "0", "Fully wheelchair accessible"
    ESSENTIAL_ROOMS = "1", "Wheelchair access to essential rooms"
    LEVEL_ACCESS = "2", "Level access"
    NONE = "3", "None of these"


# Which home wheelchair standards (CORE housingneeds_type of the home) meet each need.
ACCESS_MET_BY: dict[str, frozenset[str]] = {
    AccessNeed.FULLY_ACCESSIBLE: frozenset({"0"}),
    AccessNeed.ESSENTIAL_ROOMS: frozenset({"0", "1"}),
    AccessNeed.LEVEL_ACCESS: frozenset({"0", "1", "2"}),
    AccessNeed.NONE: frozenset({"0", "1", "2", "3"}),
}


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", "Under 5"
    FIVE_TO_TEN = "5-10", "5 to 10"
    ELEVEN_TO_FIFTEEN = "11-15", "11 to 15"
    SIXTEEN_TO_SEVENTEEN = "16-17", "16 or 17"
    UNKNOWN = "unknown", "Age not recorded"


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 5:
        return AgeBand.UNDER_5
    if age <= 10:
        return AgeBand.FIVE_TO_TEN
    if age <= 15:
        return AgeBand.ELEVEN_TO_FIFTEEN
    return AgeBand.SIXTEEN_TO_SEVENTEEN


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered, awaiting the tenant's decision"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn by the landlord"
    MOVED = "moved", "Moved in"


LIVE_OFFER_STATUSES = (OfferStatus.OFFERED, OfferStatus.ACCEPTED)


class RefusalReason(models.TextChoices):
    UNSAFE_LOCATION = "unsafe_location", "The location is not safe for the household"
    TOO_FAR = "too_far", "Too far from their support network, school or work"
    SIZE = "size", "Wrong size for the household"
    ACCESS = "access", "Does not meet the household's access needs"
    CONDITION = "condition", "Condition of the home"
    COST = "cost", "Rent the household cannot afford"
    CIRCUMSTANCES_CHANGED = "circumstances_changed", "The household's circumstances changed"
    OTHER = "other", "Other reason"


class LedgerReason(models.TextChoices):
    MOVE_OUT = "move_out", "A household moved out to another member (owes the pool one home)"
    MOVE_IN = "move_in", "A household moved into our stock (owed one home by the pool)"
    CORRECTION = "correction", "Correction of an earlier entry"


class ViewingOutcome(models.TextChoices):
    ARRANGED = "arranged", "Arranged"
    ATTENDED = "attended", "Attended"
    NOT_ATTENDED = "not_attended", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"
