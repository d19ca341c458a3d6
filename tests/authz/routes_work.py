"""Routes of the officer's working day (issue 14): tasks, notifications, recovery codes and resets.

Tasks target a case of landlord A assigned to A's officer. A notification is one person's
own: the target is a notification of A's officer, so everyone else is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.models import Role
from safemoves.tasks import services as task_services
from safemoves.tasks.models import Task
from tests.authz.matrix import ALL_ROLES, PUBLIC, Route
from tests.cases.factories import make_case
from tests.factories import World

WORKERS = frozenset({Role.OFFICER, Role.MANAGER})
OWNER = frozenset({Role.OFFICER})


def _task(world: World, *, done: bool = False) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        task = task_services.task_create(
            case=case,
            actor=officer,
            values={
                "kind": "task",
                "title": "Probe task",
                "notes": "",
                "owner": officer,
                "due_on": date(2027, 1, 4),
                "repeat_every_months": None,
            },
        )
        if done:
            task_services.task_complete(task=task, actor=officer)
    world.extra["task"] = task


def _task_kwargs(world: World) -> dict[str, Any]:
    task = world.extra["task"]
    assert isinstance(task, Task)
    return {"case_id": task.case_id, "task_id": task.pk}


def _case_kwargs(world: World) -> dict[str, Any]:
    return {"case_id": _task_kwargs(world)["case_id"]}


def _task_post(world: World) -> dict[str, Any]:
    return {
        "kind": "task",
        "title": "Probe task changed",
        "owner": world.a[Role.OFFICER].pk,
        "due_on": "2027-01-05",
        "version": "1",
    }


def _member_id(world: World) -> dict[str, Any]:
    from safemoves.common.scoping import scopes_disabled

    with scopes_disabled():
        return {"membership_id": world.a[Role.OFFICER].membership.pk}


def _notification(world: World) -> None:
    [notice] = notify(
        organisation_id=world.a.organisation.pk,
        recipients=[world.a[Role.OFFICER]],
        kind=NotificationKind.OFFER_RECEIVED,
        reference="KMR-PROBE",
        link="/",
    )
    world.extra["notification_id"] = notice.pk


ROUTES: tuple[Route, ...] = (
    # Accounts (item 11): recovery codes and the administrator's reset of a second factor.
    Route("accounts:recover", PUBLIC, methods=("GET", "POST")),
    Route("accounts:recovery_codes", ALL_ROLES),
    Route(
        "organisations:reset_second_factor",
        frozenset({Role.ADMIN}),
        kwargs=_member_id,
        methods=("GET", "POST"),
        targets_object=True,
    ),
    Route(
        "tasks:new",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        targets_object=True,
        setup=_task,
        post_data=_task_post,
    ),
    Route(
        "tasks:edit",
        WORKERS,
        kwargs=_task_kwargs,
        methods=("GET", "POST"),
        targets_object=True,
        setup=_task,
        post_data=_task_post,
    ),
    Route("tasks:complete", WORKERS, kwargs=_task_kwargs, methods=("POST",), targets_object=True, setup=_task),
    Route(
        "tasks:reopen",
        WORKERS,
        kwargs=_task_kwargs,
        methods=("POST",),
        targets_object=True,
        setup=lambda world: _task(world, done=True),
    ),
    Route("notifications:list", ALL_ROLES),
    Route("notifications:read_all", ALL_ROLES, methods=("POST",)),
    Route(
        "notifications:preferences",
        ALL_ROLES,
        methods=("GET", "POST"),
        post_data=lambda world: {"email_kinds": ["offer_received"]},
    ),
    Route(
        "notifications:open",
        OWNER,
        kwargs=lambda world: {"notification_id": world.extra["notification_id"]},
        methods=("POST",),
        targets_object=True,
        setup=_notification,
    ),
)
