"""The tasks section of the case page, and the tasks part of the subject-access export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from safemoves.cases.models import Case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.tasks import selectors
from safemoves.tasks.models import Task
from safemoves.tasks.policies import can_work_tasks

# The columns the tasks section shows (ADR 0030): not the encrypted notes, nor the owner's other columns.
PANEL_TASK_FIELDS = (
    "pk",
    "organisation",
    "kind",
    "title",
    "repeat_every_months",
    "due_at",
    "status",
    "completed_at",
    "owner",
    "owner__full_name",
)


def _panel_tasks(case_id: UUID) -> QuerySet[Task]:
    return selectors.tasks_of_case_id(case_id).only(*PANEL_TASK_FIELDS)


def tasks_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("tasks.panel", _panel_tasks, {"case_id": case.pk})]


def tasks_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (tasks,) = tasks_panel_reads(case)
    return {
        "case": case,
        "tasks": list(tasks.queryset()),
        "can_work_tasks": can_work_tasks(request.membership, case),
    }


def export_section(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "kind": task.get_kind_display(),
            "title": task.title,
            "notes": task.notes,
            "owner": task.owner.full_name,
            "due_on": task.due_on.isoformat(),
            "repeat_every_months": task.repeat_every_months,
            "status": task.get_status_display(),
            "completed_at": task.completed_at.isoformat() if task.completed_at else None,
        }
        for task in selectors.tasks_of_case(case)
    ]
