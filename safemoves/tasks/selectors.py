"""Reads of tasks, always through a case the member may see (or the member's own tasks)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safemoves.cases.models import Case
from safemoves.tasks.codes import TaskStatus
from safemoves.tasks.models import Task


def tasks_of_case(case: Case) -> QuerySet[Task]:
    return tasks_of_case_id(case.pk)


def tasks_of_case_id(case_id: Any) -> QuerySet[Task]:
    return Task.objects.filter(case_id=case_id).select_related("owner").order_by("status", "due_at")


def get_task(case: Case, task_id: Any) -> Task:
    task = Task.objects.filter(case=case, pk=task_id).select_related("owner", "case").first()
    if task is None:
        raise Http404
    return task


def open_tasks_of(organisation_id: int, user_id: int) -> QuerySet[Task]:
    return Task.objects.filter(organisation_id=organisation_id, owner_id=user_id, status=TaskStatus.OPEN)
