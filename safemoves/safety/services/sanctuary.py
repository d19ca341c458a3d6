"""The sanctuary agreement of a case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.common.editing import apply_changes, field_changes
from safemoves.safety.models import (
    SanctuaryAgreement,
)


@audited("safety.sanctuary_agreement_saved")
@transaction.atomic
def sanctuary_agreement_save(
    *,
    case: Case,
    actor: User,
    tenant_chooses_to_stay: bool,
    tenant_choice_note: str,
    landlord_agrees: bool,
    landlord_agreement_note: str,
) -> SanctuaryAgreement:
    """Record the tenant's choice to stay at home and the landlord's agreement to sanctuary."""
    errors: dict[str, str] = {}
    if tenant_chooses_to_stay and not tenant_choice_note.strip():
        errors["tenant_choice_note"] = "Say how and when the tenant told us they choose to stay."
    if landlord_agrees and not tenant_chooses_to_stay:
        errors["landlord_agrees"] = "The landlord can agree to sanctuary only once the tenant has chosen to stay."
    if landlord_agrees and not landlord_agreement_note.strip():
        errors["landlord_agreement_note"] = "Give the reasons for agreeing (for example, the home can be made safe)."
    if errors:
        raise ValidationError(errors)
    if case.is_closed:
        raise ValidationError("This case is closed.")
    agreement = SanctuaryAgreement.objects.select_for_update().filter(case=case).first()
    if agreement is None:
        agreement = SanctuaryAgreement(organisation_id=case.organisation_id, case=case, version=0)
    values = {
        "tenant_chooses_to_stay": tenant_chooses_to_stay,
        "tenant_choice_note": tenant_choice_note.strip() if tenant_chooses_to_stay else "",
        "landlord_agrees": landlord_agrees,
        "landlord_agreement_note": landlord_agreement_note.strip() if landlord_agrees else "",
    }
    changed = field_changes(agreement, values)
    if not changed and agreement.pk and agreement.version:
        return agreement
    apply_changes(agreement, values, changed)
    if "landlord_agrees" in changed:
        agreement.agreed_by = actor if landlord_agrees else None
        agreement.agreed_at = timezone.now() if landlord_agrees else None
    agreement.version += 1
    agreement.updated_at = timezone.now()
    agreement.save()
    record_case_event(
        action="safety.sanctuary_agreement_saved",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=changed,
        reason=f"agreement {agreement.pk}: {'in place' if agreement.is_in_place else 'not in place'}",
    )
    return agreement
