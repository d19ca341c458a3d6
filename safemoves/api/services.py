"""Writes of the API app: issuing and revoking tokens, and recording an agency's API referral.

Each service is atomic and writes its audit event in the same transaction; no audit event
or log line ever holds a token's secret.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.api import policies
from safemoves.api.models import ApiReferral, ApiToken, TokenPurpose
from safemoves.api.tokens import new_token, token_digest
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.intake.models import ReferralLink
from safemoves.intake.services import AgencyReferral, agency_referral_submit
from safemoves.organisations.models import Membership

MAX_DAYS = 366
MAX_RATE = 6000


@audited("api_token.created")
@transaction.atomic
def api_token_create(
    *,
    membership: Membership,
    name: str,
    purpose: str,
    days: int,
    acting_member: Membership | None = None,
    referral_link: ReferralLink | None = None,
    rate_per_minute: int = 120,
) -> tuple[ApiToken, str]:
    """Issue a token; the secret is returned once and only its digest is kept."""
    if not policies.can_manage_api_tokens(membership):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter a name that says which system uses the token."
    if purpose not in TokenPurpose.values:
        errors["purpose"] = "Choose what the token is for."
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"A token lasts from 1 to {MAX_DAYS} days."
    if not 1 <= rate_per_minute <= MAX_RATE:
        errors["rate_per_minute"] = f"Allow from 1 to {MAX_RATE} requests a minute."
    if purpose == TokenPurpose.AGENCY:
        if referral_link is None or referral_link.organisation_id != membership.organisation_id:
            errors["referral_link"] = "Choose the agency's referral link."
        elif not referral_link.is_active:
            errors["referral_link"] = "That referral link no longer works; choose an active one."
        acting_member = None
    elif purpose in TokenPurpose.values:
        referral_link = None
        if (
            acting_member is None
            or acting_member.organisation_id != membership.organisation_id
            or not policies.token_may_act_as(purpose, acting_member)
        ):
            errors["acting_member"] = (
                "Choose the member of staff the token acts for: a lettings officer or manager for a housing "
                "system, an officer, manager or auditor for staff."
            )
    if errors:
        raise ValidationError(errors)
    prefix, secret = new_token()
    token = ApiToken.objects.create(
        organisation_id=membership.organisation_id,
        name=name.strip(),
        purpose=purpose,
        membership=acting_member,
        referral_link=referral_link,
        prefix=prefix,
        digest=token_digest(secret),
        rate_per_minute=rate_per_minute,
        created_by=membership.user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_event(
        action="api_token.created",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="api_token",
        object_id=token.pk,
        reason=f"{purpose}, prefix {prefix}",
    )
    return token, secret


@audited("api_token.revoked")
@transaction.atomic
def api_token_revoke(*, membership: Membership, token: ApiToken) -> None:
    if not policies.can_revoke_token(membership, token):
        raise PermissionDenied
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is not None:
        return  # Already revoked: nothing changes.
    current.revoked_at = timezone.now()
    current.revoked_by = membership.user
    current.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        action="api_token.revoked",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="api_token",
        object_id=token.pk,
        fields=["revoked_at"],
    )
    token.refresh_from_db()


@audited("case.referred", "case.household_member_added", "case.perpetrator_added", "case.contact_rules_updated")
@transaction.atomic
def api_referral_create(*, token: ApiToken, referral: AgencyReferral) -> ApiReferral:
    """An agency's referral through the API: the same service, rules and records as its web form."""
    link = token.referral_link
    if token.purpose != TokenPurpose.AGENCY or link is None:
        raise PermissionDenied
    case = agency_referral_submit(link=link, referral=referral, via=f"API token {token.prefix}, referral link")
    return ApiReferral.objects.create(organisation_id=token.organisation_id, referral_link=link, token=token, case=case)
