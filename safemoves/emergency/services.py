"""Writes of emergency and temporary accommodation offers.

An offer is a case write: each service validates first, writes, and records its audit event
(ids, codes and field names only) in the same transaction. The distances to the tenant's
own places are worked out on every save, from the places the options appraisal holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.emergency.codes import AccommodationKind, Decision, RefusalReason
from safemoves.emergency.models import EmergencyOffer
from safemoves.geo import PostcodeError, area_centroid, area_name, haversine_km, is_known_area, lookup_postcode
from safemoves.safety.codes import PlaceKind
from safemoves.safety.selectors import places

OFFER_FIELDS = (
    "kind",
    "provider",
    "postcode",
    "area_code",
    "offered_on",
    "decision",
    "refusal_reason",
    "decision_note",
)


@dataclass(frozen=True)
class OfferDetails:
    """What the officer records of one offer and the tenant's answer."""

    kind: str
    provider: str
    offered_on: date
    postcode: str = ""
    area_code: str = ""
    decision: str = Decision.PENDING
    refusal_reason: str = ""
    decision_note: str = ""


@dataclass(frozen=True)
class _Located:
    postcode: str
    area_code: str
    lat: str
    lon: str


def _validate(details: OfferDetails) -> _Located:
    errors: dict[str, str] = {}
    if details.kind not in AccommodationKind.values:
        errors["kind"] = "Choose refuge, emergency or temporary accommodation."
    if not details.provider.strip():
        errors["provider"] = "Enter who offered the place (for example, the Women's Aid refuge service)."
    if details.offered_on > timezone.localdate():
        errors["offered_on"] = "The date offered cannot be in the future."
    if details.decision not in Decision.values:
        errors["decision"] = "Choose the tenant's decision."
    if details.decision == Decision.REFUSED:
        if details.refusal_reason not in RefusalReason.values:
            errors["refusal_reason"] = "Choose why the tenant refused the place."
        elif details.refusal_reason == RefusalReason.OTHER and not details.decision_note.strip():
            errors["decision_note"] = "Say why the tenant refused the place."
    elif details.refusal_reason:
        errors["refusal_reason"] = "Give a reason for refusing only when the tenant refused the place."
    postcode, area_code = details.postcode.strip(), details.area_code.strip()
    located = _Located(postcode="", area_code=area_code, lat="", lon="")
    if postcode:
        try:
            found = lookup_postcode(postcode)
        except PostcodeError:
            errors["postcode"] = "Enter a full UK postcode that exists, like ME1 1AA; this one was not found."
        else:
            if area_code and area_code != found.area_code:
                errors["area_code"] = (
                    f"That postcode is in {area_name(found.area_code)}: choose that district or leave it blank."
                )
            located = _Located(
                postcode=found.postcode, area_code=found.area_code, lat=f"{found.lat:.6f}", lon=f"{found.lon:.6f}"
            )
    elif not area_code:
        errors["area_code"] = "Choose the district the place is in, or enter its postcode."
    elif not is_known_area(area_code):
        errors["area_code"] = "Choose the district from the list."
    if errors:
        raise ValidationError(errors)
    return located


@unaudited("computes distances; reads and writes nothing")
def place_distances(case: Case, *, lat: str, lon: str, area_code: str) -> list[dict[str, object]]:
    """Distances (km, one decimal) from the offered place to each place the tenant wants to be near."""
    exact = bool(lat and lon)
    origin = (float(lat), float(lon)) if exact else area_centroid(area_code)
    found: list[dict[str, object]] = []
    for place in places(case).filter(kind=PlaceKind.NEAR):
        if place.lat and place.lon:
            target, approximate = (float(place.lat), float(place.lon)), not exact
        elif is_known_area(place.area_code):
            target, approximate = area_centroid(place.area_code), True
        else:
            continue
        label = place.label or place.postcode or place.area_label
        km = round(haversine_km(origin[0], origin[1], target[0], target[1]), 1)
        found.append({"label": label, "km": km, "approximate": approximate})
    return found


def _values(case: Case, details: OfferDetails, located: _Located) -> dict[str, object]:
    refused = details.decision == Decision.REFUSED
    return {
        "kind": details.kind,
        "provider": details.provider.strip(),
        "postcode": located.postcode,
        "area_code": located.area_code,
        "lat": located.lat,
        "lon": located.lon,
        "offered_on": details.offered_on,
        "decision": details.decision,
        "refusal_reason": details.refusal_reason if refused else "",
        "decision_note": details.decision_note.strip(),
        "distances": json.dumps(
            place_distances(case, lat=located.lat, lon=located.lon, area_code=located.area_code), sort_keys=True
        ),
    }


def _check_case(case: Case) -> None:
    if case.is_closed:
        raise ValidationError("This case is closed.")


@audited("emergency.offer_recorded")
@transaction.atomic
def emergency_offer_record(*, case: Case, actor: User, details: OfferDetails) -> EmergencyOffer:
    """Record an offer of a refuge, emergency or temporary place, and the tenant's answer so far."""
    located = _validate(details)
    _check_case(case)
    offer = EmergencyOffer(organisation_id=case.organisation_id, case=case, created_by=actor)
    for name, value in _values(case, details, located).items():
        setattr(offer, name, value)
    offer.save()
    record_case_event(
        action="emergency.offer_recorded",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=[name for name in OFFER_FIELDS if getattr(offer, name)],
        reason=f"offer {offer.pk}: {offer.kind}, {offer.decision}",
    )
    return offer


@audited("emergency.offer_updated")
@transaction.atomic
def emergency_offer_update(
    *, case: Case, actor: User, offer: EmergencyOffer, details: OfferDetails, expected_version: int | None = None
) -> list[str]:
    """Correct an offer or record the tenant's decision. An unchanged save changes nothing."""
    if offer.case_id != case.pk:
        raise ValidationError("That offer is not on this case.")
    located = _validate(details)
    _check_case(case)
    current = EmergencyOffer.objects.select_for_update().get(pk=offer.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError("Someone else changed this offer while you were editing it: check it and save again.")
    values = _values(case, details, located)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    # The distances follow from the places; only what the officer changed is named.
    named = [name for name in changed if name in OFFER_FIELDS]
    if named:
        record_case_event(
            action="emergency.offer_updated",
            actor=actor,
            organisation_id=case.organisation_id,
            case_id=case.pk,
            fields=named,
            reason=f"offer {current.pk}: {current.kind}, {current.decision}",
        )
    offer.refresh_from_db()
    return named
