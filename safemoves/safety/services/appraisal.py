"""The options appraisal and its unsafe and required places."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.common.editing import apply_changes, field_changes
from safemoves.geo import PostcodeError, area_name, is_known_area, lookup_postcode
from safemoves.safety.codes import (
    Option,
    PlaceKind,
    Priority,
)
from safemoves.safety.models import (
    OptionsAppraisal,
    Place,
)

MAX_RADIUS_KM = Decimal("100")


# --- safety actions ---------------------------------------------------------------------


def _appraisal_for_update(case: Case) -> OptionsAppraisal:
    appraisal = OptionsAppraisal.objects.select_for_update().filter(case=case).first()
    if appraisal is None:
        appraisal = OptionsAppraisal.objects.create(organisation_id=case.organisation_id, case=case, version=0)
    return appraisal


@audited("safety.options_saved")
@transaction.atomic
def appraisal_save(
    *,
    case: Case,
    actor: User,
    options_considered: Iterable[str],
    own_stock_unsuitable: bool,
    own_stock_reason: str,
    priorities: Iterable[str],
    priorities_other: str,
    tenant_wishes: str,
    decision: str,
    decision_reason: str,
) -> OptionsAppraisal:
    """Record the options weighed with her, her priorities and (when made) the decision.

    A reciprocal move can be chosen only once a transfer in our own stock is recorded as
    unsuitable, with the reason.
    """
    options = sorted(set(options_considered))
    chosen_priorities = sorted(set(priorities))
    errors: dict[str, str] = {}
    if set(options) - set(Option.values):
        errors["options_considered"] = "Choose the options from the list."
    if set(chosen_priorities) - set(Priority.values):
        errors["priorities"] = "Choose the tenant's priorities from the list."
    if Priority.OTHER in chosen_priorities and not priorities_other.strip():
        errors["priorities_other"] = "Say what the other priority is."
    if own_stock_unsuitable and not own_stock_reason.strip():
        errors["own_stock_reason"] = "Say why a transfer within our own stock is not suitable."
    if decision:
        if decision not in Option.values:
            errors["decision"] = "Choose the decision from the list."
        elif decision not in options:
            errors["decision"] = "The decision must be one of the options considered."
        elif decision == Option.RECIPROCAL and not (own_stock_unsuitable and own_stock_reason.strip()):
            errors["decision"] = (
                "A reciprocal move can be chosen only once a transfer within our own stock is recorded "
                "as unsuitable, with the reason."
            )
        if not decision_reason.strip():
            errors["decision_reason"] = "Give the reasons for the decision."
    if errors:
        raise ValidationError(errors)
    if case.is_closed:
        raise ValidationError("This case is closed.")
    appraisal = _appraisal_for_update(case)
    values = {
        "options_considered": options,
        "own_stock_unsuitable": own_stock_unsuitable,
        "own_stock_reason": own_stock_reason.strip() if own_stock_unsuitable else "",
        "priorities": chosen_priorities,
        "priorities_other": priorities_other.strip() if Priority.OTHER in chosen_priorities else "",
        "tenant_wishes": tenant_wishes.strip(),
        "decision": decision,
        "decision_reason": decision_reason.strip() if decision else "",
    }
    changed = field_changes(appraisal, values)
    if not changed and appraisal.version:
        return appraisal  # An unchanged save changes nothing.
    apply_changes(appraisal, values, changed)
    if "decision" in changed or "decision_reason" in changed:
        appraisal.decided_by = actor if decision else None
        appraisal.decided_at = timezone.now() if decision else None
    appraisal.version += 1
    appraisal.updated_at = timezone.now()
    appraisal.save()
    record_case_event(
        action="safety.options_saved",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=changed,
        reason=f"appraisal {appraisal.pk}: {decision or 'no decision'}",
    )
    return appraisal


def _radius(radius_km: Decimal | str | None) -> Decimal:
    try:
        radius = Decimal(str(radius_km)) if radius_km not in (None, "") else None
    except InvalidOperation:
        radius = None
    if radius is None or not Decimal("0.1") <= radius <= MAX_RADIUS_KM:
        raise ValidationError({"radius_km": f"Enter a distance from 0.1 to {MAX_RADIUS_KM} km."})
    return radius.quantize(Decimal("0.1"))


@audited("safety.place_added")
@transaction.atomic
def place_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    label: str = "",
    postcode: str = "",
    area_code: str = "",
    radius_km: Decimal | str | None = None,
) -> Place:
    """A place she wants to be near, or must avoid: a postcode with a radius, or a whole council area.

    The postcode is resolved offline; the exact point stays encrypted inside this landlord.
    """
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": "Choose whether the tenant wants to be near this place or avoid it."})
    postcode, area_code = postcode.strip(), area_code.strip()
    if bool(postcode) == bool(area_code):
        raise ValidationError({"postcode": "Enter a postcode, or choose an area from the list (not both)."})
    if case.is_closed:
        raise ValidationError("This case is closed.")
    if postcode:
        try:
            found = lookup_postcode(postcode)
        except PostcodeError:
            raise ValidationError(
                {"postcode": "Enter a full UK postcode that exists, like ME1 1AA; this one was not found."}
            ) from None
        radius = _radius(radius_km)
        appraisal = _appraisal_for_update(case)
        place = Place.objects.create(
            organisation_id=case.organisation_id,
            appraisal=appraisal,
            kind=kind,
            label=label.strip(),
            postcode=found.postcode,
            lat=f"{found.lat:.6f}",
            lon=f"{found.lon:.6f}",
            radius_km=radius,
            area_code=found.area_code,
            is_area=False,
        )
        fields = ["kind", "label", "postcode", "lat", "lon", "radius_km", "area_code"]
    else:
        if not is_known_area(area_code):
            raise ValidationError({"area_code": "Choose the area from the list."})
        appraisal = _appraisal_for_update(case)
        if Place.objects.filter(appraisal=appraisal, is_area=True, area_code=area_code).exists():
            raise ValidationError({"area_code": f"{area_name(area_code)} is already on the list."})
        place = Place.objects.create(
            organisation_id=case.organisation_id,
            appraisal=appraisal,
            kind=kind,
            label=label.strip(),
            area_code=area_code,
            is_area=True,
        )
        fields = ["kind", "area_code", *(["label"] if label.strip() else [])]
    record_case_event(
        action="safety.place_added",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=fields,
        reason=f"place {place.pk}: {kind}",
    )
    return place


@audited("safety.place_removed")
@transaction.atomic
def place_remove(*, case: Case, actor: User, place: Place) -> None:
    if place.appraisal.case_id != case.pk:
        raise ValidationError("That place is not on this case.")
    place_id = place.pk
    place.delete()
    record_case_event(
        action="safety.place_removed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        reason=f"place {place_id}",
    )
