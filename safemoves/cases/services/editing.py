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
from safemoves.audit.models import CASE_OBJECT_TYPE, AuditEvent
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import (
    Case,
    SafeContactRules,
)
from safemoves.cases.selectors import last_change
from safemoves.cases.services.base import (
    CASE_FIELDS,
    CONTACT_RULE_FIELDS,
    INDEXED_CASE_FIELDS,
    _index_case,
)
from safemoves.common.editing import apply_changes, field_changes, refuse_if_stale


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@audited("case.updated")
@transaction.atomic
def case_update(*, case: Case, actor: User, expected_version: int, changes: Mapping[str, Any]) -> list[str]:
    """Save changed case details, refusing if the case changed since ``expected_version``."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    current = _lock(case)
    refuse_if_stale(
        current_version=current.version,
        expected_version=expected_version,
        row=case,
        last_change=lambda: last_change(case),
    )
    changed = field_changes(current, changes)
    if not changed:
        return []
    apply_changes(current, changes, changed)
    if not current.lead_name.strip():
        raise ValidationError({"lead_name": "Enter the tenant's name."})
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    if INDEXED_CASE_FIELDS.intersection(changed):
        _index_case(current)
    record_case_event(
        action="case.updated",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=changed,
    )
    case.refresh_from_db()
    return changed


@audited("case.contact_rules_updated")
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
    refuse_if_stale(
        current_version=current_version,
        expected_version=expected_version,
        row=rules,
        last_change=lambda: _rule_changes(case).first(),
    )
    changed = field_changes(rules, changes)
    if not changed and rules.pk and current_version:
        return []
    apply_changes(rules, changes, changed)
    rules.version = current_version + 1
    rules.updated_at = timezone.now()
    rules.updated_by = actor
    rules.save()
    if "safe_phone" in changed:
        _index_case(case)
    record_case_event(
        action="case.contact_rules_updated",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=changed,
    )
    return changed


def _rule_changes(case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organisation_id=case.organisation_id,
        object_type=CASE_OBJECT_TYPE,
        object_id=str(case.pk),
        action="case.contact_rules_updated",
    ).order_by("-seq")
