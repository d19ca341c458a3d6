"""Safety actions: the catalogue, creating, completing, cancelling and passing them on."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_case_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case, Perpetrator
from safemoves.cases.services import perpetrator_keys_cleared, refresh_next_due
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.extensions import Handover, handover_sentence
from safemoves.organisations.models import Membership, Role
from safemoves.reports.services import time_to_safety_refresh
from safemoves.safety.catalogue import (
    AFTER_SURVEY,
    CATALOGUE,
    LOCK_CHANGE,
    SANCTUARY_MEASURES,
    SANCTUARY_SURVEY,
)
from safemoves.safety.clocks import due_at
from safemoves.safety.codes import (
    ActionStatus,
    RelativeTo,
)
from safemoves.safety.models import (
    SafetyAction,
    SafetyActionType,
    SanctuaryAgreement,
)
from safemoves.safety.selectors import action_owners


@unaudited("seeds the shared catalogue of action types: no organisation or case data")
def ensure_action_catalogue() -> None:
    """Create any catalogue type that is missing (the data migration normally has).

    Only missing codes are added: a type an operator has deactivated stays deactivated.
    """
    present = set(SafetyActionType.objects.values_list("code", flat=True))
    SafetyActionType.objects.bulk_create(
        [SafetyActionType(**item) for item in CATALOGUE if item["code"] not in present], ignore_conflicts=True
    )


def _catalogue_type(code: str) -> SafetyActionType | None:
    found = SafetyActionType.objects.filter(code=code).first()
    if found is None and any(item["code"] == code for item in CATALOGUE):
        ensure_action_catalogue()
        found = SafetyActionType.objects.filter(code=code).first()
    return found if found is not None and found.is_active else None


def _action_type(code: str) -> SafetyActionType:
    action_type = _catalogue_type(code)
    if action_type is None:
        raise ValidationError({"action_type": "Choose a safety action from the list."})
    return action_type


def _check_owner(case: Case, owner: User) -> None:
    worker = Membership.objects.filter(
        user=owner, organisation_id=case.organisation_id, is_active=True, role__in=[Role.OFFICER, Role.MANAGER]
    ).exists()
    if not worker:
        raise ValidationError({"owner": "Choose an officer or manager of your organisation."})


def _clock_start(case: Case, action_type: SafetyActionType, starts_at: datetime | None) -> datetime:
    if starts_at is not None:
        # A move can be booked ahead; every other clock starts from something that has happened.
        if starts_at > timezone.now() and action_type.relative_to != RelativeTo.MOVE_DATE:
            raise ValidationError({"starts_at": "The clock cannot start in the future."})
        return starts_at
    if action_type.relative_to == RelativeTo.REFERRAL:
        return case.received_at
    if action_type.relative_to == RelativeTo.CREATED:
        return timezone.now()
    what = RelativeTo(action_type.relative_to).label.lower()
    raise ValidationError({"starts_at": f"Enter when the clock starts ({what})."})


def _create_action(
    *,
    case: Case,
    actor: User | None,
    action_type: SafetyActionType,
    owner: User | None,
    starts_at: datetime,
    follows: SafetyAction | None = None,
) -> SafetyAction:
    if SafetyAction.objects.filter(case=case, action_type=action_type, status=ActionStatus.OPEN).exists():
        raise ValidationError({"action_type": f"“{action_type.label}” is already open on this case."})
    action = SafetyAction.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        action_type=action_type,
        owner=owner,
        starts_at=starts_at,
        due_at=due_at(clock_kind=action_type.clock_kind, amount=action_type.amount, starts_at=starts_at),
        follows=follows,
        created_by=actor,
    )
    record_case_event(
        action="safety.action_set",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["action_type", "owner", "due_at"],
        reason=f"action {action.pk}: {action_type.code}",
    )
    return action


PERPETRATOR_AT_HOME = (
    "Sanctuary is not safe while the perpetrator lives at the address: a survey or measures cannot be set. "
    "Record that they have left the address first."
)


NO_SANCTUARY_AGREEMENT = (
    "Record the tenant's choice to stay at home and the landlord's agreement (Sanctuary: choice and agreement) "
    "before sanctuary measures are set."
)


def _check_sanctuary(case: Case, code: str) -> None:
    """Sanctuary only where it is safe, chosen by the tenant and agreed by the landlord."""
    if code not in (SANCTUARY_SURVEY, SANCTUARY_MEASURES):
        return
    if Perpetrator.objects.filter(case=case, lives_at_address=True).exists():
        raise ValidationError(PERPETRATOR_AT_HOME)
    if code == SANCTUARY_MEASURES:
        agreement = SanctuaryAgreement.objects.filter(case=case).first()
        if agreement is None or not agreement.is_in_place:
            raise ValidationError(NO_SANCTUARY_AGREEMENT)


@audited("safety.action_set")
@transaction.atomic
def safety_action_create(
    *, case: Case, actor: User, type_code: str, owner: User | None = None, starts_at: datetime | None = None
) -> SafetyAction:
    """Set a safety action on its clock; ``starts_at`` is needed for survey- or move-relative clocks."""
    if case.is_closed:
        raise ValidationError("A closed case has no open safety actions.")
    action_type = _action_type(type_code)
    _check_sanctuary(case, action_type.code)
    owner = owner or case.assigned_officer or actor
    _check_owner(case, owner)
    action = _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=owner,
        starts_at=_clock_start(case, action_type, starts_at),
    )
    refresh_next_due(case)
    return action


@audited("safety.action_set")
@transaction.atomic
def safety_actions_for_new_case(case: Case, actor: User | None) -> list[SafetyAction]:
    """The first-day actions of a new case: the lock change, due 24 hours from the referral.

    Safe to call more than once: an action type already on the case is not set again.
    """
    action_type = _catalogue_type(LOCK_CHANGE)
    if action_type is None or case.is_closed:
        return []
    if SafetyAction.objects.filter(case=case, action_type=action_type).exists():
        return []
    action = _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=case.assigned_officer,
        starts_at=case.received_at,
    )
    refresh_next_due(case)
    return [action]


@audited("safety.action_done", "safety.action_set")
@transaction.atomic
def safety_action_complete(
    *, action: SafetyAction, actor: User, evidence_note: str, done_at: datetime | None = None
) -> list[SafetyAction]:
    """Mark the action done with its evidence; a sanctuary survey sets the measures and reviews.

    Returns the follow-up actions it set.
    """
    current = SafetyAction.objects.select_for_update().select_related("action_type", "case").get(pk=action.pk)
    if current.status != ActionStatus.OPEN:
        raise ValidationError(f"This action is already {current.get_status_display().lower()}.")
    if not evidence_note.strip():
        raise ValidationError(
            {"evidence_note": "Say what was done (for example: locks changed by the contractor, job number)."}
        )
    now = timezone.now()
    done_at = done_at or now
    if done_at > now:
        raise ValidationError({"done_at": "The time it was done cannot be in the future."})
    if current.action_type.code == SANCTUARY_SURVEY:
        # Completing the survey sets the measures on their clock: both must be allowed now.
        _check_sanctuary(current.case, SANCTUARY_SURVEY)
        _check_sanctuary(current.case, SANCTUARY_MEASURES)
    current.status = ActionStatus.DONE
    current.done_at = done_at
    current.evidence_note = evidence_note.strip()
    current.save(update_fields=["status", "done_at", "evidence_note"])
    record_case_event(
        action="safety.action_done",
        actor=actor,
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        fields=["status", "done_at", "evidence_note"],
        reason=f"action {current.pk}: {current.action_type.code}{' late' if current.done_late else ''}",
    )
    if current.action_type.code == LOCK_CHANGE:
        time_to_safety_refresh(case_id=current.case_id)
        perpetrator_keys_cleared(case=current.case, actor=actor, reason=f"locks changed, action {current.pk}")
    follow_ups: list[SafetyAction] = []
    if current.action_type.code == SANCTUARY_SURVEY:
        for code in AFTER_SURVEY:
            action_type = _catalogue_type(code)
            if action_type is None:
                continue
            follow_ups.append(
                _create_action(
                    case=current.case,
                    actor=actor,
                    action_type=action_type,
                    owner=current.owner,
                    starts_at=done_at,
                    follows=current,
                )
            )
    refresh_next_due(current.case)
    action.refresh_from_db()
    return follow_ups


@audited("safety.action_cancelled")
@transaction.atomic
def safety_action_cancel(*, action: SafetyAction, actor: User, reason: str) -> None:
    current = SafetyAction.objects.select_for_update().select_related("action_type", "case").get(pk=action.pk)
    if current.status != ActionStatus.OPEN:
        raise ValidationError(f"This action is already {current.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is no longer needed."})
    current.status = ActionStatus.CANCELLED
    current.evidence_note = reason.strip()
    current.save(update_fields=["status", "evidence_note"])
    record_case_event(
        action="safety.action_cancelled",
        actor=actor,
        organisation_id=current.organisation_id,
        case_id=current.case_id,
        fields=["status", "evidence_note"],
        reason=f"action {current.pk}: {current.action_type.code}",
    )
    refresh_next_due(current.case)
    action.refresh_from_db()


@audited("safety.action_reassigned")
@transaction.atomic
def safety_actions_of_departing_member(membership: Membership, actor: User) -> str:
    """Departure hook (``organisations.extensions``, ADR 0031): when a member is deactivated or
    moves to a role that cannot hold cases, each open safety action they own at that landlord
    passes to the person :class:`Handover` names (the case's officer, else a manager), so it
    shows in someone's work. A breach already notified is not notified again: that notice went
    to the case's managers, not to the owner. A closed case's actions stay as they are (its
    clocks have stopped). Runs inside the organisation service's transaction."""
    takers: list[User] = []
    with organisation_scope(membership.organisation_id):
        handover = Handover(membership, actor)
        actions = list(
            SafetyAction.objects.select_for_update(of=("self",))
            .select_related("case", "action_type")
            .filter(owner_id=membership.user_id, status=ActionStatus.OPEN)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("due_at", "pk")
        )
        for action in actions:
            taker = handover.taker(action.case.assigned_officer_id)
            _pass_on(action, taker, actor, why="its owner no longer does casework here")
            takers.append(taker)
    return handover_sentence(takers, actor=actor, one="open safety action", many="open safety actions")


@audited("safety.action_reassigned")
def safety_actions_follow_the_case(case: Case, previous_officer_id: int | None, officer: User, actor: User) -> None:
    """Assignment hook (``cases.extensions``, ADR 0031): the case's open safety actions that its
    previous officer owned pass to its new officer; out of the triage inbox (no previous
    officer), every open action on the case does, including those a manager held while it
    waited. Runs inside the assignment's transaction."""
    actions = SafetyAction.objects.select_for_update(of=("self",)).filter(case_id=case.pk, status=ActionStatus.OPEN)
    if previous_officer_id is not None:
        actions = actions.filter(owner_id=previous_officer_id)
    for action in actions.exclude(owner_id=officer.pk).select_related("action_type").order_by("due_at", "pk"):
        _pass_on(action, officer, actor, why="with the case")


@audited("safety.action_reassigned")
@transaction.atomic
def safety_action_reassign(*, action: SafetyAction, actor: User, owner: User) -> bool:
    """Hand an open safety action to another officer or manager of the landlord who can read
    the case (on a restricted case, someone named on it). False: it was already theirs, and
    nothing is written (an unchanged save changes nothing)."""
    current = (
        SafetyAction.objects.select_for_update(of=("self",)).select_related("action_type", "case").get(pk=action.pk)
    )
    if current.case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed: its actions stay as they are.")
    if current.status != ActionStatus.OPEN:
        raise ValidationError("Only an open action can be handed on.")
    if not action_owners(current.case).filter(pk=owner.pk).exists():
        named = " named on this restricted case" if current.case.restricted else ""
        raise ValidationError({"owner": f"Choose an officer or manager of your organisation{named}."})
    if current.owner_id == owner.pk:
        return False
    _pass_on(current, owner, actor, why="handed on")
    action.owner = owner
    return True


def _pass_on(action: SafetyAction, owner: User, actor: User, *, why: str) -> None:
    """Give an open action a new owner, with its event (the breach notice is not repeated)."""
    action.owner = owner
    action.save(update_fields=["owner"])
    record_case_event(
        action="safety.action_reassigned",
        actor=actor,
        organisation_id=action.organisation_id,
        case_id=action.case_id,
        fields=["owner"],
        reason=f"action {action.pk}: {action.action_type.code}, to user {owner.pk}, {why}",
    )


@unaudited("reads only")
def next_open_due(case: Case) -> datetime | None:
    """Clock source for ``Case.next_due_at``: the earliest open safety action."""
    first = SafetyAction.objects.filter(case_id=case.pk, status=ActionStatus.OPEN).order_by("due_at").first()
    return first.due_at if first else None


# --- breach notices (``safemoves tick``) --------------------------------------------------
