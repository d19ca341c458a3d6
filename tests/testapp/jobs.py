"""A slow test-only job kind, so that a worker can be killed in the middle of one."""

from __future__ import annotations

import json
import time

from safemoves.jobs.kinds import JobKind, Progress, register_job_kind
from safemoves.jobs.models import Job

SLOW = "test_slow_writes"


def _slow_writes(job: Job, progress: Progress) -> tuple[str, str]:
    from safemoves.properties.models import HomeImport

    spec = json.loads(job.payload)
    for number in range(spec["rows"]):
        HomeImport.objects.create(
            organisation_id=job.organisation_id,
            imported_by=job.owner,
            file_name=f"{spec['label']}-{number}",
            mode="all_or_nothing",
        )
        progress(100 * (number + 1) // spec["rows"])
        time.sleep(spec["pause"])
    return "", ""


def register() -> None:
    register_job_kind(JobKind(name=SLOW, label="Slow test writes", handler=_slow_writes))
