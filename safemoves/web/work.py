"""The home page of work: what is due for the signed-in person, by role (issue 14, item 1).

Each panel is a fixed number of queries whatever the number of rows, scoped to the
person's landlord (the scheme panels read through ``reciprocal.pool.work`` / ``waiting``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safemoves.cases import selectors as case_selectors
from safemoves.cases.models import Case
from safemoves.cases.services import case_settings_for
from safemoves.common.bound import Read
from safemoves.common.clock import LONDON
from safemoves.geo.areas import AREA_NAMES
from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.pool import waiting, work
from safemoves.safety.codes import ActionStatus
from safemoves.safety.models import SafetyAction
from safemoves.tasks.codes import TaskStatus
from safemoves.tasks.models import Task

LIMIT = 10


@dataclass
class Due:
    """One thing with a deadline on a case: a safety action or a task."""

    label: str
    case: Case
    due_at: datetime
    kind: str

    @property
    def is_overdue(self) -> bool:
        return self.due_at < timezone.now()


@dataclass
class Work:
    role: str
    panels: dict[str, Any] = field(default_factory=dict)


def _end_of_today() -> datetime:
    return datetime.combine(timezone.now().astimezone(LONDON).date(), time(23, 59, 59), tzinfo=LONDON)


# The home pages' due items, bound (ADR 0033): the open items of the member's visible open
# cases, the earliest due first, LIMIT of each; the deadline is applied to those rows (a time
# cannot be bound). Ordered by the due time, the earliest LIMIT items due by the deadline are
# the earliest LIMIT items, less those due after it: what the query with the deadline reads.
def _open_actions(visible: QuerySet[Case]) -> QuerySet[SafetyAction]:
    return (
        SafetyAction.objects.filter(status=ActionStatus.OPEN, case__in=visible.values("pk"))
        .select_related("action_type", "case")
        .order_by("due_at", "pk")
    )


def _open_tasks(visible: QuerySet[Case]) -> QuerySet[Task]:
    return (
        Task.objects.filter(status=TaskStatus.OPEN, case__in=visible.values("pk"))
        .select_related("case")
        .order_by("due_at", "pk")
    )


def _officers_open_actions(organisation_id: int, user_id: int) -> QuerySet[SafetyAction]:
    actions = _open_actions(case_selectors.officers_open_cases(organisation_id, user_id))
    return actions.filter(Q(owner_id=user_id) | Q(case__assigned_officer_id=user_id))[:LIMIT]


def _officers_open_tasks(organisation_id: int, user_id: int) -> QuerySet[Task]:
    return _open_tasks(case_selectors.officers_open_cases(organisation_id, user_id)).filter(owner_id=user_id)[:LIMIT]


def _overseen_open_actions(organisation_id: int, user_id: int) -> QuerySet[SafetyAction]:
    return _open_actions(case_selectors.overseers_open_cases(organisation_id, user_id))[:LIMIT]


def _overseen_open_tasks(organisation_id: int, user_id: int) -> QuerySet[Task]:
    return _open_tasks(case_selectors.overseers_open_cases(organisation_id, user_id))[:LIMIT]


def _due_reads(membership: Membership) -> tuple[Read[SafetyAction], Read[Task]] | None:
    """The bound reads of an officer's own due items, or of what a manager or an auditor
    oversees; None for a role that sees no cases."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    if membership.role == Role.OFFICER:
        return (
            Read("home.due.actions.own", _officers_open_actions, ids),
            Read("home.due.tasks.own", _officers_open_tasks, ids),
        )
    if membership.role in (Role.MANAGER, Role.AUDITOR):
        return (
            Read("home.due.actions.overseen", _overseen_open_actions, ids),
            Read("home.due.tasks.overseen", _overseen_open_tasks, ids),
        )
    return None


def _due_items(membership: Membership, *, until: datetime) -> list[Due]:
    """Open safety actions and tasks due by ``until``: an officer's own, or on the cases a
    manager or an auditor oversees (two queries)."""
    reads = _due_reads(membership)
    if reads is None:
        return []
    actions, tasks = reads
    items = [
        Due(action.action_type.label, action.case, action.due_at, "safety action")
        for action in actions.queryset()
        if action.due_at <= until
    ]
    items += [Due(task.title, task.case, task.due_at, "task") for task in tasks.queryset() if task.due_at <= until]
    return sorted(items, key=lambda item: item.due_at)


def _officer(membership: Membership) -> dict[str, Any]:
    due = _due_items(membership, until=_end_of_today())
    return {
        "overdue": [item for item in due if item.is_overdue],
        "due_today": [item for item in due if not item.is_overdue],
        "new_cases": list(case_selectors.officers_new_cases_read(membership).queryset()),
        "offers_waiting": work.offers_awaiting_tenant(membership),
        "circulation_near": work.requests_near_circulation(membership),
    }


def work_reads(membership: Membership) -> list[Read[Any]]:
    """The bound reads of the member's home page panels, to send in one round trip (ADR 0035)."""
    if membership.role == Role.OFFICER:
        return [
            *(_due_reads(membership) or ()),
            case_selectors.officers_new_cases_read(membership),
            work.near_circulation_read(membership),
        ]
    if membership.role == Role.MANAGER:
        return [
            *case_selectors.triage_head_reads(membership),
            *(_due_reads(membership) or ()),
            case_selectors.caseloads_read(membership),
        ]
    return []


def _manager(membership: Membership) -> dict[str, Any]:
    head, count = case_selectors.triage_head_reads(membership)
    counted = list(count.queryset())
    limit = case_settings_for(membership.organisation_id).caseload_flag
    return {
        "triage": list(head.queryset()),
        "triage_count": int(counted[0]) if counted else 0,
        "breaches": _due_items(membership, until=timezone.now()),
        "loads": case_selectors.caseloads(membership, limit=limit),
        "limit": limit,
    }


def _lettings(membership: Membership) -> dict[str, Any]:
    voids = Home.objects.filter(organisation_id=membership.organisation_id, status=HomeStatus.AVAILABLE)
    return {
        "voids": [
            {"home": home, "area": AREA_NAMES.get(home.area_code, home.area_code)}
            for home in voids.order_by("available_from", "created_at").only(
                "pk", "organisation_id", "bedrooms", "area_code", "available_from"
            )[:LIMIT]
        ],
        "void_count": voids.count(),
        "offers_waiting": work.own_offers_awaiting_reply(membership),
        "proposals": work.proposals_to_confirm(membership),
    }


def _coordinator(membership: Membership) -> dict[str, Any]:
    schemes = pool.member_scheme_ids(membership.organisation_id)
    return {
        "waiting": waiting.waiting_requests(schemes[0], limit=LIMIT) if schemes else [],
        "alert_days": pool.policy_in_force(schemes[0]).waiting_alert_days if schemes else None,
        "proposals": work.scheme_proposals_open(schemes),
    }


BUILDERS = {
    Role.OFFICER: _officer,
    Role.MANAGER: _manager,
    Role.LETTINGS_OFFICER: _lettings,
    Role.COORDINATOR: _coordinator,
}


def work_for(membership: Membership) -> Work:
    builder = BUILDERS.get(Role(membership.role))
    return Work(role=membership.role, panels=builder(membership) if builder else {})
