"""Writes of tasks. Each is atomic and audited as a write to its case (field names only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_case_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.cases.services import refresh_next_due
from safemoves.common.clock import LONDON, ClockError, due_after_months, due_after_working_days, is_working_day
from safemoves.common.editing import refuse_if_stale
from safemoves.common.scoping import organisation_scope
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.extensions import Handover, handover_sentence
from safemoves.organisations.models import Membership, Organisation, Role
from safemoves.tasks.codes import TaskKind, TaskStatus
from safemoves.tasks.models import Task

# A task is due by the end of its working day.
END_OF_DAY = time(17, 0)
TASK_FIELDS = ("kind", "title", "notes", "owner", "due_on", "repeat_every_months")
MAX_REPEAT_MONTHS = 12


@unaudited("computes a time; reads and writes nothing")
def due_at_for(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


@unaudited("computes a date; reads and writes nothing")
def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the next one (the working-day clock)."""
    return due_after_working_days(datetime.combine(day, time(0, 0), tzinfo=LONDON), 0).date()


def _check(case: Case, values: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values["kind"] not in TaskKind.values:
        errors["kind"] = "Choose the kind of task."
    if not str(values["title"]).strip():
        errors["title"] = "Say what needs doing."
    owner = values["owner"]
    if (
        owner is None
        or not Membership.objects.filter(
            user=owner, organisation_id=case.organisation_id, is_active=True, role__in=[Role.OFFICER, Role.MANAGER]
        ).exists()
    ):
        errors["owner"] = "Choose an officer or manager of your organisation."
    due_on = values["due_on"]
    if not isinstance(due_on, date):
        errors["due_on"] = "Enter the date the task is due."
    else:
        try:
            working = is_working_day(due_on)
        except ClockError as error:
            errors["due_on"] = str(error)
        else:
            if not working:
                errors["due_on"] = (
                    f"{due_on:%A %d %B %Y} is not a working day; the next working day is "
                    f"{next_working_day(due_on):%A %d %B %Y}."
                )
    repeat = values["repeat_every_months"]
    if values["kind"] == TaskKind.SUPPORT_PLAN_REVIEW:
        if not isinstance(repeat, int) or not 1 <= repeat <= MAX_REPEAT_MONTHS:
            errors["repeat_every_months"] = f"Enter how often the plan is reviewed: 1 to {MAX_REPEAT_MONTHS} months."
    elif repeat is not None:
        errors["repeat_every_months"] = "Only a support plan review repeats; leave this empty for a task."
    if errors:
        raise ValidationError(errors)


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {name: values.get(name) for name in TASK_FIELDS}
    cleaned["title"] = str(cleaned["title"] or "").strip()
    cleaned["notes"] = str(cleaned["notes"] or "").strip()
    return cleaned


def _event(task: Task, *, action: str, actor: User | None, fields: list[str], reason: str = "") -> None:
    record_case_event(
        action=action,
        actor=actor,
        organisation_id=task.organisation_id,
        case_id=task.case_id,
        fields=fields,
        reason=f"task {task.pk}{': ' + reason if reason else ''}",
    )


@audited("task.created")
@transaction.atomic
def task_create(*, case: Case, actor: User, values: Mapping[str, Any], follows: Task | None = None) -> Task:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed.")
    cleaned = _clean(values)
    _check(case, cleaned)
    task = Task.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        due_at=due_at_for(cleaned["due_on"]),
        follows=follows,
        created_by=actor,
        updated_by=actor,
        **cleaned,
    )
    _event(task, action="task.created", actor=actor, fields=[name for name in TASK_FIELDS if cleaned[name]])
    refresh_next_due(case)
    return task


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("case").get(pk=task.pk)


@audited("task.updated")
@transaction.atomic
def task_update(*, task: Task, actor: User, expected_version: int, values: Mapping[str, Any]) -> list[str]:
    """Save the changed fields, refusing if the task changed since ``expected_version``."""
    current = _lock(task)
    refuse_if_stale(current_version=current.version, expected_version=expected_version, row=current)
    if not current.is_open:
        raise ValidationError("A done task cannot be changed; reopen it first.")
    cleaned = _clean({**{name: getattr(current, name) for name in TASK_FIELDS}, **values})
    _check(current.case, cleaned)
    changed = [name for name in TASK_FIELDS if getattr(current, name) != cleaned[name]]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, cleaned[name])
    current.due_at = due_at_for(current.due_on)
    if "due_on" in changed:
        current.overdue_notified_at = None
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=[*changed, "due_at", "overdue_notified_at", "version", "updated_at", "updated_by"])
    _event(current, action="task.updated", actor=actor, fields=changed)
    refresh_next_due(current.case)
    task.refresh_from_db()
    return changed


@audited("task.completed", "task.created")
@transaction.atomic
def task_complete(*, task: Task, actor: User) -> Task | None:
    """Mark the task done; a support plan review sets its next review. Returns that next one."""
    current = _lock(task)
    if not current.is_open:
        raise ValidationError("This task is already done.")
    current.status = TaskStatus.DONE
    current.completed_at = timezone.now()
    current.completed_by = actor
    current.version += 1
    current.updated_at = current.completed_at
    current.updated_by = actor
    current.save(update_fields=["status", "completed_at", "completed_by", "version", "updated_at", "updated_by"])
    _event(current, action="task.completed", actor=actor, fields=["status"])
    follow_up = None
    if current.repeat_every_months and not current.case.is_closed:
        due = due_after_months(due_at_for(current.due_on), current.repeat_every_months).date()
        follow_up = task_create(
            case=current.case,
            actor=actor,
            values={**{name: getattr(current, name) for name in TASK_FIELDS}, "due_on": next_working_day(due)},
            follows=current,
        )
    refresh_next_due(current.case)
    task.refresh_from_db()
    return follow_up


@audited("task.reopened")
@transaction.atomic
def task_reopen(*, task: Task, actor: User) -> None:
    """Open a done task again; the next review its completion set, if still untouched, goes."""
    current = _lock(task)
    if current.is_open:
        raise ValidationError("This task is already open.")
    if current.case.is_closed:
        raise ValidationError("This case is closed.")
    removed = [item.pk for item in current.follow_ups.filter(status=TaskStatus.OPEN, version=1)]
    current.follow_ups.filter(pk__in=removed).delete()
    current.status = TaskStatus.OPEN
    current.completed_at = None
    current.completed_by = None
    current.overdue_notified_at = None
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(
        update_fields=[
            "status",
            "completed_at",
            "completed_by",
            "overdue_notified_at",
            "version",
            "updated_at",
            "updated_by",
        ]
    )
    _event(
        current,
        action="task.reopened",
        actor=actor,
        fields=["status"],
        reason=f"next review {removed[0]} removed" if removed else "",
    )
    refresh_next_due(current.case)
    task.refresh_from_db()


@audited("task.reassigned")
@transaction.atomic
def tasks_of_departing_member(membership: Membership, actor: User) -> str:
    """Departure hook (``organisations.extensions``, ADR 0031): when a member is deactivated or
    moves to a role that cannot hold cases, each open task they own at that landlord passes to
    the person :class:`Handover` names (the case's officer, else a manager), so it shows in
    someone's work. A task already reported overdue is reported again, once, to its new owner.
    A closed case's tasks stay as they are (its clocks have stopped). Runs inside the
    organisation service's transaction."""
    takers: list[User] = []
    with organisation_scope(membership.organisation_id):
        handover = Handover(membership, actor)
        tasks = list(
            Task.objects.select_for_update(of=("self",))
            .select_related("case")
            .filter(owner_id=membership.user_id, status=TaskStatus.OPEN)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("due_at", "pk")
        )
        for task in tasks:
            taker = handover.taker(task.case.assigned_officer_id)
            _pass_on(task, taker, actor, why="its owner no longer does casework here")
            takers.append(taker)
    return handover_sentence(takers, actor=actor, one="open task", many="open tasks")


@audited("task.reassigned")
def tasks_follow_the_case(case: Case, previous_officer_id: int | None, officer: User, actor: User) -> None:
    """Assignment hook (``cases.extensions``, ADR 0031): the case's open tasks that its previous
    officer owned pass to its new officer. A case assigned out of the triage inbox has no
    previous officer: every open task on it passes, including those a manager held while it
    waited there (the departure hook hands a leaver's tasks to a manager). A task someone else
    owns on a case that had an officer stays with them. Runs inside the assignment's transaction."""
    tasks = Task.objects.select_for_update(of=("self",)).filter(case_id=case.pk, status=TaskStatus.OPEN)
    if previous_officer_id is not None:
        tasks = tasks.filter(owner_id=previous_officer_id)
    for task in tasks.exclude(owner_id=officer.pk).order_by("due_at", "pk"):
        _pass_on(task, officer, actor, why="with the case")


def _pass_on(task: Task, owner: User, actor: User, *, why: str) -> None:
    """Give an open task a new owner, with its event; an overdue notice is cleared, so the new
    owner is told once."""
    fields = ["overdue_notified_at", "owner"] if task.overdue_notified_at else ["owner"]
    task.owner = owner
    task.overdue_notified_at = None
    task.version += 1
    task.updated_at = timezone.now()
    task.updated_by = actor
    task.save(update_fields=["owner", "overdue_notified_at", "version", "updated_at", "updated_by"])
    _event(task, action="task.reassigned", actor=actor, fields=fields, reason=f"to user {owner.pk}, {why}")


@unaudited("reads only")
def next_open_task_due(case: Case) -> datetime | None:
    """Clock source for ``Case.next_due_at``: the earliest open task."""
    first = Task.objects.filter(case_id=case.pk, status=TaskStatus.OPEN).order_by("due_at").first()
    return first.due_at if first else None


@audited("task.overdue_notified")
def tasks_overdue_notify(*, now: datetime | None = None) -> list[str]:
    """Tell each owner, once, of every open task past its due time (``safemoves tick``).

    Each landlord is read inside its own scope (no cross-landlord query); each task is
    claimed in its own transaction, so a second run finds nothing new.
    """
    now = now or timezone.now()
    notified: list[str] = []
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        with organisation_scope(organisation_id):
            due = list(
                Task.objects.filter(status=TaskStatus.OPEN, overdue_notified_at__isnull=True, due_at__lt=now)
                .exclude(case__status=CaseStatus.CLOSED)
                .values_list("pk", flat=True)
            )
            for task_id in due:
                with transaction.atomic():
                    task = (
                        Task.objects.select_for_update()
                        .select_related("case", "owner")
                        .filter(pk=task_id, overdue_notified_at__isnull=True, status=TaskStatus.OPEN)
                        .first()
                    )
                    if task is None:
                        continue
                    Task.objects.filter(pk=task.pk).update(overdue_notified_at=now)
                    notify(
                        organisation_id=organisation_id,
                        recipients=[task.owner],
                        kind=NotificationKind.TASK_OVERDUE,
                        reference=task.case.reference,
                        link=reverse("cases:detail", kwargs={"case_id": task.case_id}),
                        once_key=f"task:{task.pk}:{task.version}",
                    )
                    _event(task, action="task.overdue_notified", actor=None, fields=["overdue_notified_at"])
                    notified.append(str(task.pk))
    return notified
