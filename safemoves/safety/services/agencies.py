"""The agency directory and referrals to agencies."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.codes import ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import consent_in_force
from safemoves.geo import is_known_area
from safemoves.safety.codes import (
    REFERRAL_TRANSITIONS,
    AgencyKind,
    ReferralStatus,
)
from safemoves.safety.models import (
    Agency,
    AgencyReferral,
)


@audited("safety.agency_created")
@transaction.atomic
def agency_create(
    *,
    organisation_id: int,
    actor: User,
    name: str,
    kind: str,
    area_codes: Sequence[str] = (),
    phone: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
) -> Agency:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the service's name."
    elif Agency.objects.filter(organisation_id=organisation_id, name__iexact=name.strip()).exists():
        errors["name"] = "Your directory already has a service with this name."
    if kind not in AgencyKind.values:
        errors["kind"] = "Choose the kind of service."
    unknown = [code for code in area_codes if not is_known_area(code)]
    if unknown:
        errors["area_codes"] = "Choose the areas from the list."
    if not phone.strip() and not email.strip():
        errors["phone"] = "Enter the service's phone number or e-mail address."
    if errors:
        raise ValidationError(errors)
    agency = Agency.objects.create(
        organisation_id=organisation_id,
        name=name.strip(),
        kind=kind,
        area_codes=sorted(set(area_codes)),
        phone=phone.strip(),
        email=email.strip(),
        website=website.strip(),
        notes=notes.strip(),
    )
    record_event(
        action="safety.agency_created",
        actor=actor,
        organisation_id=organisation_id,
        object_type="agency",
        object_id=agency.pk,
        fields=["name", "kind", "area_codes", "phone", "email"],
    )
    return agency


@audited("safety.agency_referred")
@transaction.atomic
def agency_referral_create(*, case: Case, actor: User, agency: Agency, purpose: str = "") -> AgencyReferral:
    """Refer the household to a support agency, on her consent or a recorded lawful basis."""
    if case.is_closed:
        raise ValidationError("This case is closed.")
    if agency.organisation_id != case.organisation_id or not agency.is_active:
        raise ValidationError({"agency": "Choose a service from your directory."})
    consent = consent_in_force(case, ConsentPurpose.AGENCY_REFERRAL)
    if consent is None:
        raise ValidationError(
            "No consent to referrals is in force for this case. Record the tenant's consent, or the lawful basis "
            "for referring without it, before referring to an agency."
        )
    if AgencyReferral.objects.filter(
        case=case, agency=agency, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).exists():
        raise ValidationError({"agency": f"There is already a live referral to {agency.name}."})
    referral = AgencyReferral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        agency=agency,
        consent=consent,
        sharing_basis=consent.basis,
        purpose=purpose.strip(),
        created_by=actor,
    )
    record_case_event(
        action="safety.agency_referred",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["agency", *(["purpose"] if purpose.strip() else [])],
        reason=f"referral {referral.pk} to agency {agency.pk}: {consent.basis}",
    )
    return referral


@audited("safety.agency_referral_updated")
@transaction.atomic
def agency_referral_transition(
    *, referral: AgencyReferral, actor: User, to_status: str, reason: str = ""
) -> AgencyReferral:
    """Move a referral on: sent → accepted or declined (with reason) → done, or withdrawn."""
    current = AgencyReferral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if to_status not in ReferralStatus.values:
        raise ValidationError({"status": "Choose what happened from the list."})
    if to_status not in REFERRAL_TRANSITIONS[current.status]:
        raise ValidationError(
            {
                "status": f"A referral that is {current.get_status_display().lower()} cannot become "
                f"{ReferralStatus(to_status).label.lower()}."
            }
        )
    if to_status == ReferralStatus.DECLINED and not reason.strip():
        raise ValidationError({"reason": "Give the reason the agency declined."})
    fields = ["status"]
    current.status = to_status
    current.status_changed_at = timezone.now()
    if to_status == ReferralStatus.DECLINED:
        current.decline_reason = reason.strip()
        fields.append("decline_reason")
    current.save(update_fields=[*fields, "status_changed_at"])
    record_case_event(
        action="safety.agency_referral_updated",
        actor=actor,
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        fields=fields,
        reason=f"referral {current.pk}: {to_status}",
    )
    referral.refresh_from_db()
    return current


# --- options appraisal --------------------------------------------------------------------
