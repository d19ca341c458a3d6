"""Household members and perpetrators."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases import extensions
from safemoves.cases.codes import (
    MemberKind,
    Relationship,
)
from safemoves.cases.finding import perpetrator_match_token
from safemoves.cases.models import (
    Case,
    HouseholdMember,
    Perpetrator,
)
from safemoves.cases.services.base import _index_case


@audited("case.household_member_added")
@transaction.atomic
def household_member_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    name: str,
    date_of_birth: date | None,
    relationship: str = "",
    school: str = "",
) -> HouseholdMember:
    if kind not in MemberKind.values:
        raise ValidationError({"kind": "Choose adult or child."})
    if not name.strip():
        raise ValidationError({"name": "Enter the name."})
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "The date of birth must be in the past."})
    member = HouseholdMember.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        name=name.strip(),
        date_of_birth=date_of_birth,
        relationship_to_lead=relationship.strip(),
        school=school.strip(),
    )
    record_case_event(
        action="case.household_member_added",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=[f for f, v in (("name", name), ("date_of_birth", date_of_birth), ("school", school)) if v],
        reason=f"member {member.pk}",
    )
    return member


@audited("case.household_member_removed")
@transaction.atomic
def household_member_remove(*, case: Case, actor: User, member: HouseholdMember) -> None:
    if member.case_id != case.pk:
        raise ValidationError("That person is not in this household.")
    member_id = member.pk
    member.delete()
    record_case_event(
        action="case.household_member_removed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        reason=f"member {member_id}",
    )


@audited("case.perpetrator_added")
@transaction.atomic
def perpetrator_add(
    *,
    case: Case,
    actor: User,
    name: str,
    relationship: str,
    lives_at_address: bool,
    joint_tenant: bool,
    has_key: bool,
    known_address: str = "",
    description: str = "",
) -> Perpetrator:
    if not name.strip():
        raise ValidationError({"name": "Enter the name, or 'Not known'."})
    perpetrator = Perpetrator.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        name=name.strip(),
        relationship=relationship,
        lives_at_address=lives_at_address,
        joint_tenant=joint_tenant,
        has_key=has_key,
        known_address=known_address.strip(),
        description=description.strip(),
        name_index=perpetrator_match_token(case.organisation_id, name),
    )
    _index_case(case)
    record_case_event(
        action="case.perpetrator_added",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["name", "relationship", "lives_at_address", "joint_tenant", "has_key", "known_address"],
        reason=f"perpetrator {perpetrator.pk}",
    )
    for hook in extensions.perpetrator_hooks():
        hook(case, perpetrator, actor)
    return perpetrator


PERPETRATOR_FIELDS = (
    "name",
    "relationship",
    "lives_at_address",
    "joint_tenant",
    "has_key",
    "known_address",
    "description",
)


@audited("case.perpetrator_updated")
@transaction.atomic
def perpetrator_update(*, case: Case, actor: User, perpetrator: Perpetrator, changes: Mapping[str, Any]) -> list[str]:
    """Correct what is known of a perpetrator (moved out, gave the key back, new address)."""
    unknown = set(changes) - set(PERPETRATOR_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if perpetrator.case_id != case.pk:
        raise ValidationError("That person is not on this case.")
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": "Enter the name, or 'Not known'."})
    if "relationship" in changes and changes["relationship"] not in Relationship.values:
        raise ValidationError({"relationship": "Choose the relationship from the list."})
    current = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    changed = [name for name, value in cleaned.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, cleaned[name])
    update_fields = list(changed)
    if "name" in changed:
        current.name_index = perpetrator_match_token(case.organisation_id, current.name)
        update_fields.append("name_index")
    current.save(update_fields=update_fields)
    if "name" in changed:
        _index_case(case)
    record_case_event(
        action="case.perpetrator_updated",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=changed,
        reason=f"perpetrator {current.pk}",
    )
    for hook in extensions.perpetrator_hooks():
        hook(case, current, actor)
    perpetrator.refresh_from_db()
    return changed


@audited("case.perpetrator_key_cleared")
@transaction.atomic
def perpetrator_keys_cleared(*, case: Case, actor: User | None, reason: str) -> list[Perpetrator]:
    """The locks were changed: no perpetrator on the case still has a key. Returns those updated."""
    holders = list(Perpetrator.objects.select_for_update().filter(case=case, has_key=True))
    for perpetrator in holders:
        perpetrator.has_key = False
        perpetrator.save(update_fields=["has_key"])
        record_case_event(
            action="case.perpetrator_key_cleared",
            actor=actor,
            organisation_id=case.organisation_id,
            case_id=case.pk,
            fields=["has_key"],
            reason=f"perpetrator {perpetrator.pk}: {reason}",
        )
    return holders
