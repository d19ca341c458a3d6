from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safemoves.accounts.models import User
from safemoves.cases.models import Case
from safemoves.cases.selectors import get_case
from safemoves.common.editing import EditConflict
from safemoves.common.forms import act, submit
from safemoves.common.http import StaffRequest
from safemoves.organisations.models import Role
from safemoves.tasks import selectors, services
from safemoves.tasks.forms import TaskForm
from safemoves.tasks.models import Task
from safemoves.tasks.policies import can_work_tasks


def _case(request: StaffRequest, case_id: UUID) -> Case:
    """The case if this member may work its tasks; else 404, with nothing logged."""
    return get_case(request.membership, case_id, policy=can_work_tasks)


def _owners(case: Case) -> QuerySet[User]:
    return User.objects.filter(
        membership__organisation_id=case.organisation_id,
        membership__is_active=True,
        membership__role__in=[Role.OFFICER, Role.MANAGER],
        is_active=True,
    ).order_by("full_name")


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"case_id": case.pk}) + "#tasks-heading")


def _values(form: TaskForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.TASK_FIELDS}


@require_http_methods(["GET", "POST"])
def task_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    initial = {"owner": case.assigned_officer_id or request.user.pk}
    form = TaskForm(request.POST if request.method == "POST" else None, owners=_owners(case), initial=initial)
    if request.method == "POST" and (
        created := submit(form, lambda data: services.task_create(case=case, actor=request.user, values=_values(form)))
    ):
        messages.success(request, f"Task set, due by 17:00 on {created.result.due_on:%A %d %B %Y}.")
        return _back(case)
    return render(request, "tasks/form.html", {"case": case, "form": form, "title": "Set a task", "submit": "Set task"})


@require_http_methods(["GET", "POST"])
def task_edit_view(request: StaffRequest, case_id: UUID, task_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    task: Task = selectors.get_task(case, task_id)
    initial = {name: getattr(task, name) for name in services.TASK_FIELDS}
    initial["owner"] = task.owner_id
    initial["version"] = task.version
    form = TaskForm(request.POST if request.method == "POST" else None, owners=_owners(case), initial=initial)
    if request.method == "POST":
        try:
            saved = submit(
                form,
                lambda data: services.task_update(
                    task=task, actor=request.user, expected_version=data["version"] or 0, values=_values(form)
                ),
            )
        except EditConflict as error:
            form.add_error(None, str(error))
        else:
            if saved:
                messages.success(request, "Task saved." if saved.result else "Nothing changed.")
                return _back(case)
    return render(
        request, "tasks/form.html", {"case": case, "form": form, "title": "Change a task", "submit": "Save task"}
    )


@require_POST
def task_complete_view(request: StaffRequest, case_id: UUID, task_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    task = selectors.get_task(case, task_id)
    act(
        request,
        lambda: services.task_complete(task=task, actor=request.user),
        lambda follow_up: (
            "Task marked done." + ("" if follow_up is None else f" Next review set for {follow_up.due_on:%A %d %B %Y}.")
        ),
    )
    return _back(case)


@require_POST
def task_reopen_view(request: StaffRequest, case_id: UUID, task_id: UUID) -> HttpResponse:
    case = _case(request, case_id)
    task = selectors.get_task(case, task_id)
    act(request, lambda: services.task_reopen(task=task, actor=request.user), "Task reopened.")
    return _back(case)
