"""Who may do what with tasks, one rule per line."""

from __future__ import annotations

from safemoves.cases.models import Case
from safemoves.cases.policies import can_view_case, can_work_case
from safemoves.organisations.models import Membership


def can_see_tasks(membership: Membership, case: Case) -> bool:
    # Whoever may read the case reads its tasks (auditors included).
    return can_view_case(membership, case)


def can_work_tasks(membership: Membership, case: Case) -> bool:
    # Setting, changing, completing and reopening tasks is case work (officers and managers, open cases).
    return can_work_case(membership, case)
