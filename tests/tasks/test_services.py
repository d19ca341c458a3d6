"""Tasks on a case: create, edit (round trip, versioned), complete, reopen, review cycle, overdue notice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case
from safemoves.cases.services import EditConflict
from safemoves.common.clock import LONDON
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.notifications.models import Notification
from safemoves.organisations.models import Role
from safemoves.tasks import services
from safemoves.tasks.codes import TaskKind, TaskStatus
from safemoves.tasks.models import Task
from tests.cases.factories import make_case
from tests.factories import World

pytestmark = pytest.mark.django_db

# Monday 4 January 2027 is a working day; Saturday 2 January and Monday 28 December 2026 are not.
MONDAY = date(2027, 1, 4)


SATURDAY_MESSAGE = "Saturday 02 January 2027 is not a working day; the next working day is Monday 04 January 2027."
BANK_HOLIDAY_MESSAGE = "Monday 28 December 2026 is not a working day; the next working day is Tuesday 29 December 2026."
REPEAT_MESSAGE = "Enter how often the plan is reviewed: 1 to 12 months."
NO_REPEAT_MESSAGE = "Only a support plan review repeats; leave this empty for a task."


def _values(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "kind": TaskKind.TASK,
        "title": "Ring the school about the pick-up plan",
        "notes": "Ask for the head teacher",
        "owner": world.a[Role.OFFICER],
        "due_on": MONDAY,
        "repeat_every_months": None,
        **changes,
    }


def _case(world: World) -> Case:
    return make_case(world.a, assigned_to=world.a[Role.OFFICER])


def _events(case: Case, action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(object_id=str(case.pk), action=action).order_by("seq"))


def test_create_sets_the_due_time_and_the_case_clock(world: World) -> None:
    case = _case(world)
    with organisation_scope(world.a.organisation.pk):
        task = services.task_create(case=case, actor=world.a[Role.OFFICER], values=_values(world))
        case.refresh_from_db()
    assert task.due_at == datetime(2027, 1, 4, 17, 0, tzinfo=LONDON)
    assert task.status == TaskStatus.OPEN
    assert case.next_due_at == min(task.due_at, case.first_contact_due_at)
    [event] = _events(case, "task.created")
    assert event.fields == ["due_on", "kind", "notes", "owner", "title"]
    assert "Ring" not in event.reason


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Say what needs doing."),
        ({"due_on": date(2027, 1, 2)}, "due_on", SATURDAY_MESSAGE),
        ({"due_on": date(2026, 12, 28)}, "due_on", BANK_HOLIDAY_MESSAGE),
        ({"kind": TaskKind.SUPPORT_PLAN_REVIEW}, "repeat_every_months", REPEAT_MESSAGE),
        ({"repeat_every_months": 3}, "repeat_every_months", NO_REPEAT_MESSAGE),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(world: World, changes: dict[str, Any], field: str, message: str) -> None:
    case = _case(world)
    with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
        services.task_create(case=case, actor=world.a[Role.OFFICER], values=_values(world, **changes))
    assert caught.value.message_dict == {field: [message]}
    with scopes_disabled():
        assert Task.objects.count() == 0


def test_the_owner_must_work_cases_at_the_same_landlord(world: World) -> None:
    case = _case(world)
    for owner in (world.b[Role.OFFICER], world.a[Role.LETTINGS_OFFICER]):
        with organisation_scope(world.a.organisation.pk), pytest.raises(ValidationError) as caught:
            services.task_create(case=case, actor=world.a[Role.OFFICER], values=_values(world, owner=owner))
        assert caught.value.message_dict == {"owner": ["Choose an officer or manager of your organisation."]}


def test_edit_round_trips_every_field_and_an_unchanged_save_changes_nothing(world: World) -> None:
    case = _case(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        task = services.task_create(case=case, actor=officer, values=_values(world))
        assert services.task_update(task=task, actor=officer, expected_version=1, values=_values(world)) == []
        assert task.version == 1
        new = _values(
            world,
            kind=TaskKind.SUPPORT_PLAN_REVIEW,
            title="Review the support plan",
            notes="",
            owner=world.a[Role.MANAGER],
            due_on=date(2027, 1, 5),
            repeat_every_months=3,
        )
        changed = services.task_update(task=task, actor=officer, expected_version=1, values=new)
        assert changed == list(services.TASK_FIELDS)
        stored = Task.objects.get(pk=task.pk)
        assert {name: getattr(stored, name) for name in services.TASK_FIELDS} == new
        assert (stored.version, stored.due_at) == (2, datetime(2027, 1, 5, 17, 0, tzinfo=LONDON))
        with pytest.raises(EditConflict):
            services.task_update(task=task, actor=officer, expected_version=1, values=_values(world))
    [event] = _events(case, "task.updated")
    assert event.fields == sorted(services.TASK_FIELDS)


def test_complete_and_reopen(world: World) -> None:
    case = _case(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        task = services.task_create(case=case, actor=officer, values=_values(world))
        assert services.task_complete(task=task, actor=officer) is None
        assert (task.status, task.completed_by) == (TaskStatus.DONE, officer)
        with pytest.raises(ValidationError):
            services.task_complete(task=task, actor=officer)
        services.task_reopen(task=task, actor=officer)
        assert (task.status, task.completed_at, task.version) == (TaskStatus.OPEN, None, 3)
    assert [len(_events(case, name)) for name in ("task.completed", "task.reopened")] == [1, 1]


def test_a_support_plan_review_sets_the_next_one_on_a_working_day(world: World) -> None:
    case = _case(world)
    officer = world.a[Role.OFFICER]
    values = _values(world, kind=TaskKind.SUPPORT_PLAN_REVIEW, title="Review the support plan", repeat_every_months=1)
    # 4 January + 1 month is Thursday 4 February 2027, a working day.
    with organisation_scope(world.a.organisation.pk):
        review = services.task_create(case=case, actor=officer, values={**values, "due_on": date(2027, 1, 4)})
        follow_up = services.task_complete(task=review, actor=officer)
        assert follow_up is not None
        assert (follow_up.due_on, follow_up.follows_id, follow_up.title) == (date(2027, 2, 4), review.pk, review.title)
        # A review that falls on a Saturday rolls to the Monday.
        assert services.next_working_day(date(2027, 3, 6)) == date(2027, 3, 8)
        # Reopening the review takes back the untouched next one.
        services.task_reopen(task=review, actor=officer)
        assert not Task.objects.filter(pk=follow_up.pk).exists()


def test_overdue_tasks_notify_their_owner_once(world: World) -> None:
    case = _case(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        task = services.task_create(case=case, actor=officer, values=_values(world))
    later = task.due_at + timedelta(minutes=1)
    assert services.tasks_overdue_notify(now=later) == [str(task.pk)]
    assert services.tasks_overdue_notify(now=later) == []
    with organisation_scope(world.a.organisation.pk):
        [notice] = Notification.objects.all()
    assert (notice.recipient, notice.kind, notice.reference) == (officer, "task_overdue", case.reference)
    assert notice.link == f"/cases/{case.pk}/"


def test_a_closed_case_takes_no_task(world: World) -> None:
    from safemoves.cases.services import case_close

    case = _case(world)
    with organisation_scope(world.a.organisation.pk):
        case_close(case=case, actor=world.a[Role.MANAGER], outcome="safe_at_home")
        with pytest.raises(ValidationError):
            services.task_create(case=case, actor=world.a[Role.MANAGER], values=_values(world))
