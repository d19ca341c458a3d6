"""Rows of the tasks app for the canary scan (tests/cases/test_canary.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.tasks.services import task_create
from tests.cases.factories import make_case
from tests.factories import World


def task_rows(world: World) -> dict[str, list[Any]]:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, name="Task Canary", assigned_to=officer)
    with organisation_scope(world.a.organisation.pk):
        task = task_create(
            case=case,
            actor=officer,
            values={
                "kind": "task",
                "title": "placeholder",
                "notes": "placeholder",
                "owner": officer,
                "due_on": date(2027, 1, 4),
                "repeat_every_months": None,
            },
        )
    return {"tasks.task": [task]}
