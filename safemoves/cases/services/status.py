"""Assignment, restriction and closing of a case."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases import extensions
from safemoves.cases.codes import (
    CaseOutcome,
    CaseStatus,
    NoteKind,
)
from safemoves.cases.models import (
    Case,
    CaseNote,
)
from safemoves.cases.policies import CASE_WORKERS
from safemoves.cases.selectors import case_readers
from safemoves.cases.services.editing import _lock
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Membership


@audited("case.assigned")
@transaction.atomic
def case_assign(*, case: Case, actor: User, officer: User) -> None:
    membership = Membership.objects.filter(
        user=officer, organisation_id=case.organisation_id, is_active=True, role__in=CASE_WORKERS
    ).first()
    if membership is None:
        raise ValidationError({"officer": "Choose an officer or manager of your organisation."})
    current = _lock(case)
    if current.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be assigned.")
    if current.assigned_officer_id == officer.pk and current.status != CaseStatus.NEW:
        return  # Already theirs: an unchanged save changes nothing.
    previous_officer_id = current.assigned_officer_id
    current.assigned_officer = officer
    current.assigned_at = timezone.now()
    if current.status == CaseStatus.NEW:
        current.status = CaseStatus.OPEN
    if current.restricted:
        current.named_staff.add(officer)
    current.version += 1
    current.save(update_fields=["assigned_officer", "assigned_at", "status", "version"])
    record_case_event(
        action="case.assigned",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["assigned_officer", "status"],
        reason=f"to user {officer.pk}",
    )
    # The case's open tasks and safety actions follow it to its new officer (ADR 0031).
    for hook in extensions.assign_hooks():
        hook(current, previous_officer_id, officer, actor)
    case.refresh_from_db()


@audited("case.returned_to_triage")
def cases_of_departing_member(membership: Membership, actor: User) -> str:
    """Departure hook (``organisations.extensions``): when a member is deactivated or moves to a
    role that cannot hold cases, each of their open cases at that landlord goes back to the
    triage inbox, unassigned, for a manager to assign again. Without this the cases stayed with
    someone who could no longer sign in, and left the caseloads page, which lists active staff
    only. Runs inside the organisation service's transaction."""
    with organisation_scope(membership.organisation_id):
        cases = list(
            Case.objects.select_for_update()
            .filter(assigned_officer_id=membership.user_id)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("pk")
        )
        for case in cases:
            case.assigned_officer = None
            case.assigned_at = None
            case.status = CaseStatus.NEW
            case.version += 1
            case.save(update_fields=["assigned_officer", "assigned_at", "status", "version"])
            record_case_event(
                action="case.returned_to_triage",
                actor=actor,
                organisation_id=case.organisation_id,
                case_id=case.pk,
                fields=["assigned_officer", "status"],
                reason="its officer no longer does casework here",
            )
    if not cases:
        return ""
    count = f"{len(cases)} open case" if len(cases) == 1 else f"{len(cases)} open cases"
    return f"{count} went back to the triage inbox for a manager to assign."


@audited("case.restriction_changed")
@transaction.atomic
def case_restrict(*, case: Case, actor: User, restricted: bool, named_staff: Iterable[User]) -> None:
    staff = list(named_staff)
    if restricted and staff:
        # Only people who could read the case may be named on it: never another landlord's
        # staff, a lettings officer, or someone who has left.
        readers = set(
            case_readers(case.organisation_id).filter(pk__in=[user.pk for user in staff]).values_list("pk", flat=True)
        )
        if any(user.pk not in readers for user in staff):
            raise ValidationError(
                {"named_staff": "Name only active officers, managers or auditors of your organisation."}
            )
    if restricted and actor not in staff:
        # The manager restricting the case keeps sight of it, or nobody could lift the restriction.
        staff.append(actor)
    if restricted and case.assigned_officer is not None and case.assigned_officer not in staff:
        staff.append(case.assigned_officer)
    current = _lock(case)
    wanted = {user.pk for user in staff} if restricted else set()
    if current.restricted == restricted and set(current.named_staff.values_list("pk", flat=True)) == wanted:
        return  # An unchanged save changes nothing.
    current.restricted = restricted
    current.version += 1
    current.save(update_fields=["restricted", "version"])
    current.named_staff.set(staff if restricted else [])
    record_case_event(
        action="case.restriction_changed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["restricted", "named_staff"],
        reason=f"restricted to {len(staff)} named staff" if restricted else "restriction lifted",
    )
    case.refresh_from_db()


@audited("case.closed")
@transaction.atomic
def case_close(*, case: Case, actor: User, outcome: str, note: str = "") -> None:
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    current = _lock(case)
    if current.status == CaseStatus.CLOSED:
        raise ValidationError("This case is already closed.")
    current.status = CaseStatus.CLOSED
    current.outcome = outcome
    current.closed_at = timezone.now()
    current.next_due_at = None
    current.version += 1
    current.save(update_fields=["status", "outcome", "closed_at", "next_due_at", "version"])
    # Other apps end their open work on the case (a move request leaves the pool, ...).
    for hook in extensions.close_hooks():
        hook(current, actor)
    if note.strip():
        CaseNote.objects.create(
            organisation_id=case.organisation_id, case=current, kind=NoteKind.NOTE, body=note.strip(), author=actor
        )
    record_case_event(
        action="case.closed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["status", "outcome"],
        reason=outcome,
    )
    case.refresh_from_db()
