"""Rows of the jobs app for the canary scan (tests/cases/test_canary.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job, JobOutput
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
        # A finished job's sealed file (a report table or a matching run).
        output = JobOutput.objects.create(
            organisation=world.a.organisation,
            job=job,
            file_name="table.csv",
            content_type="text/csv",
            size_bytes=11,
            data="placeholder",
            created_at=timezone.now(),
            expires_at=timezone.now() + timedelta(hours=24),
        )
    return {"jobs.job": [job], "jobs.joboutput": [output]}
