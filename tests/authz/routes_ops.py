"""Routes of operations: the readiness probe and the background jobs a member started."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job
from safemoves.organisations.models import Role
from tests.authz.matrix import ALL_ROLES, PUBLIC, Route
from tests.factories import World


def _job(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(organisation=world.a.organisation, owner=world.a[Role.OFFICER], kind="homes_import")
    world.extra["job_id"] = job.pk


def _job_kwargs(world: World) -> dict[str, Any]:
    return {"job_id": world.extra["job_id"]}


ROUTES: tuple[Route, ...] = (
    Route("readyz", PUBLIC),
    Route("jobs:list", ALL_ROLES),
    # A job is its starter's: everyone else, the starter's manager included, gets "not found".
    Route("jobs:detail", frozenset({Role.OFFICER}), kwargs=_job_kwargs, targets_object=True, setup=_job),
)
