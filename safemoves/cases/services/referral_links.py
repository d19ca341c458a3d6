"""Agency referral links: create and deactivate (the token is stored hashed)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.cases.codes import (
    AGENCY_SOURCES,
)
from safemoves.cases.models import (
    ReferralLink,
)
from safemoves.organisations.models import Membership


@unaudited("computes a hash; reads and writes nothing")
def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@audited("referral_link.created")
@transaction.atomic
def referral_link_create(*, membership: Membership, agency_name: str, source: str) -> tuple[ReferralLink, str]:
    if source not in AGENCY_SOURCES:
        raise ValidationError({"source": "Choose the kind of agency."})
    if not agency_name.strip():
        raise ValidationError({"agency_name": "Enter the agency's name."})
    token = secrets.token_urlsafe(24)
    link = ReferralLink.objects.create(
        organisation_id=membership.organisation_id,
        agency_name=agency_name.strip(),
        source=source,
        token_hash=hash_link_token(token),
        created_by=membership.user,
    )
    record_event(
        action="referral_link.created",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="referral_link",
        object_id=link.pk,
    )
    return link, token


@audited("referral_link.deactivated")
@transaction.atomic
def referral_link_deactivate(*, membership: Membership, link: ReferralLink) -> None:
    link.is_active = False
    link.save(update_fields=["is_active"])
    record_event(
        action="referral_link.deactivated",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="referral_link",
        object_id=link.pk,
        fields=["is_active"],
    )
