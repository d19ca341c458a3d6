"""The lock change a case's facts call for (on opening and when a perpetrator is recorded)."""

from __future__ import annotations

from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.cases.codes import Answer, CaseSource
from safemoves.cases.extensions import CaseOpened
from safemoves.cases.models import Case, Perpetrator
from safemoves.cases.services import refresh_next_due
from safemoves.safety.catalogue import (
    LOCK_CHANGE,
)
from safemoves.safety.codes import (
    ActionStatus,
)
from safemoves.safety.models import (
    SafetyAction,
)
from safemoves.safety.services.actions import _catalogue_type, _create_action, safety_actions_for_new_case

# Who opened the case does not matter: these facts put the lock change on the first day.
LOCK_CHANGE_ANSWERS = (Answer.YES, Answer.NOT_KNOWN)


@unaudited("a rule on answers; reads and writes nothing")
def lock_change_needed(*, source: str, perpetrator_at_address: str, perpetrator_has_key: str) -> bool:
    """A police report, or a perpetrator who has (or had, or may have) a key or lives at the address."""
    return (
        source == CaseSource.POLICE
        or perpetrator_at_address in LOCK_CHANGE_ANSWERS
        or perpetrator_has_key in LOCK_CHANGE_ANSWERS
    )


@audited("safety.action_set")
def lock_change_on_case_opened(event: CaseOpened) -> None:
    """Case-opened hook: the lock change on its 24-hour clock from the referral, when needed."""
    if lock_change_needed(
        source=event.case.source,
        perpetrator_at_address=event.perpetrator_at_address,
        perpetrator_has_key=event.perpetrator_has_key,
    ):
        safety_actions_for_new_case(event.case, event.actor)


@audited("safety.action_set")
def lock_change_on_perpetrator(case: Case, perpetrator: Perpetrator, actor: User | None) -> None:
    """Perpetrator hook: one with a key or living at the address, on an open case whose locks
    are not changed or being changed, sets the lock change, due 24 hours from now (when we learnt it)."""
    if case.is_closed or not (perpetrator.has_key or perpetrator.lives_at_address):
        return
    action_type = _catalogue_type(LOCK_CHANGE)
    if action_type is None:
        return
    if SafetyAction.objects.filter(
        case=case, action_type=action_type, status__in=[ActionStatus.OPEN, ActionStatus.DONE]
    ).exists():
        return
    _create_action(
        case=case,
        actor=actor,
        action_type=action_type,
        owner=case.assigned_officer or actor,
        starts_at=timezone.now(),
    )
    refresh_next_due(case)
