"""The scheme's policy: each change a new version, the old versions kept."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.organisations.models import Membership, Role
from safemoves.reciprocal.codes import (
    UnreasonableRefusal,
)
from safemoves.reciprocal.models import (
    SchemePolicy,
)
from safemoves.reciprocal.pool.access import policy_in_force
from safemoves.reciprocal.pool.services.base import _scheme_for

POLICY_LIMITS = {
    "live_offer_limit": (1, 5),
    "minimum_areas": (1, 20),
    "offer_expiry_days": (1, 60),
    "circulation_working_days": (1, 30),
    "max_offers": (1, 10),
    "waiting_alert_days": (1, 365),
}


POLICY_CHOICES = {"unreasonable_refusal": UnreasonableRefusal}


@audited("reciprocal.policy_changed")
@transaction.atomic
def policy_update(*, membership: Membership, values: dict[str, int | str]) -> SchemePolicy:
    """A new version of the scheme's policy (the coordinator's edit); the old versions stay."""
    if membership.role != Role.COORDINATOR:
        raise ValidationError("Only the scheme coordinator can change the scheme policy.")
    scheme_id = _scheme_for(membership.organisation_id)
    errors = {}
    for name, (low, high) in POLICY_LIMITS.items():
        value = values.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"Enter a whole number from {low} to {high}."
    for name, choices in POLICY_CHOICES.items():
        if values.get(name) not in choices.values:
            errors[name] = "Choose one of the options."
    if errors:
        raise ValidationError(errors)
    previous = policy_in_force(scheme_id)
    names = [*POLICY_LIMITS, *POLICY_CHOICES]
    changed = [name for name in names if getattr(previous, name) != values[name]]
    if not changed:
        return previous
    version = (SchemePolicy.objects.filter(scheme_id=scheme_id).aggregate(top=Max("version"))["top"] or 0) + 1
    policy = SchemePolicy.objects.create(
        scheme_id=scheme_id,
        version=version,
        created_by=membership.user,
        **{name: values[name] for name in names},
    )
    record_event(
        action="reciprocal.policy_changed",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="scheme_policy",
        object_id=policy.pk,
        fields=changed,
        reason=f"scheme {scheme_id} version {version}",
    )
    return policy
