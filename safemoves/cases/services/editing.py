"""Versioned edits of the case and its safe-contact rules.

Audit events name the fields that changed, never their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.models import AuditEvent
from safemoves.audit.services import record_event
from safemoves.cases.models import (
    Case,
    SafeContactRules,
)
from safemoves.cases.selectors import last_change
from safemoves.cases.services.base import (
    CASE_FIELDS,
    CONTACT_RULE_FIELDS,
    INDEXED_CASE_FIELDS,
    EditConflict,
    _index_case,
)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_version(*, current_version: int, expected_version: int, case: Case) -> None:
    if current_version == expected_version:
        return

    change = last_change(case)
    raise EditConflict(
        changed_by=change.actor if change else case.updated_by,
        changed_at=change.occurred_at if change else case.updated_at,
        fields=list(change.fields) if change else [],
    )


@transaction.atomic
def case_update(*, case: Case, actor: User, expected_version: int, changes: Mapping[str, Any]) -> list[str]:
    """Save changed case details, refusing if the case changed since ``expected_version``."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    current = _lock(case)
    _check_version(current_version=current.version, expected_version=expected_version, case=case)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, changes[name])
    if not current.lead_name.strip():
        raise ValidationError({"lead_name": "Enter the tenant's name."})
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    if INDEXED_CASE_FIELDS.intersection(changed):
        _index_case(current)
    record_event(
        action="case.updated",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
    )
    case.refresh_from_db()
    return changed


@transaction.atomic
def contact_rules_update(
    *, case: Case, actor: User, expected_version: int | None, changes: Mapping[str, Any]
) -> list[str]:
    unknown = set(changes) - set(CONTACT_RULE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    rules = SafeContactRules.objects.select_for_update().filter(case=case).first()
    if rules is None:
        rules = SafeContactRules(organisation_id=case.organisation_id, case=case, version=0)
        current_version = 0
    else:
        current_version = rules.version
    if expected_version is not None and current_version != expected_version:
        change = _rule_changes(case).first()
        raise EditConflict(
            changed_by=change.actor if change else rules.updated_by,
            changed_at=change.occurred_at if change else rules.updated_at,
            fields=list(change.fields) if change else [],
        )
    changed = [name for name, value in changes.items() if getattr(rules, name) != value]
    if not changed and rules.pk and current_version:
        return []
    for name in changed:
        setattr(rules, name, changes[name])
    rules.version = current_version + 1
    rules.updated_at = timezone.now()
    rules.updated_by = actor
    rules.save()
    if "safe_phone" in changed:
        _index_case(case)
    record_event(
        action="case.contact_rules_updated",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
    )
    return changed


def _rule_changes(case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=str(case.pk),
        action="case.contact_rules_updated",
    ).order_by("-seq")
