"""Routes of operations: the readiness probe and the background jobs a member started."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job, JobState
from safemoves.jobs.services import job_output_store
from safemoves.organisations.models import Role
from tests.authz.matrix import ALL_ROLES, PUBLIC, Route
from tests.factories import World


def _job(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(organisation=world.a.organisation, owner=world.a[Role.OFFICER], kind="homes_import")
    world.extra["job_id"] = job.pk


def _job_with_file(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(
            organisation=world.a.organisation, owner=world.a[Role.OFFICER], kind="board_pack", state=JobState.SUCCEEDED
        )
        job.result_type, job.result_id = job_output_store(
            job=job, file_name="board-pack.pdf", content_type="application/pdf", content=b"%PDF-1.3"
        )
        job.save(update_fields=["result_type", "result_id"])
    world.extra["job_id"] = job.pk


def _job_kwargs(world: World) -> dict[str, Any]:
    return {"job_id": world.extra["job_id"]}


ROUTES: tuple[Route, ...] = (
    Route("readyz", PUBLIC),
    Route("jobs:list", ALL_ROLES),
    # A job is its starter's: everyone else, the starter's manager included, gets "not found".
    Route("jobs:detail", frozenset({Role.OFFICER}), kwargs=_job_kwargs, targets_object=True, setup=_job),
    # A job's file too: only its starter downloads it (a download is audited, a refusal changes nothing).
    Route("jobs:download", frozenset({Role.OFFICER}), kwargs=_job_kwargs, targets_object=True, setup=_job_with_file),
)
