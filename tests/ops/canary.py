"""Rows of the jobs app for the canary scan (tests/cases/test_canary.py)."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job
from safemoves.organisations.models import Role
from tests.factories import World


def job_rows(world: World) -> dict[str, list[Any]]:
    # A queued homes import: its payload (the uploaded file, which names addresses) is encrypted.
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(
            organisation=world.a.organisation,
            owner=world.a[Role.LETTINGS_OFFICER],
            kind="homes_import",
            payload="placeholder",
        )
    return {"jobs.job": [job]}
