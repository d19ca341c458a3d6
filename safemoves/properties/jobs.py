"""The homes import as a background job: the upload is kept (encrypted) on the job until a
worker has imported it, with exactly the synchronous import's rules and report."""

from __future__ import annotations

import base64
import io
import json

from django.urls import reverse

from safemoves.jobs.kinds import JobError, JobKind, Progress, register_job_kind
from safemoves.jobs.models import Job
from safemoves.jobs.services import job_start
from safemoves.organisations.models import Membership
from safemoves.properties import services

KIND = "homes_import"


def homes_import_job_start(*, membership: Membership, content: bytes, file_name: str, mode: str) -> Job:
    payload = json.dumps({"file_name": file_name, "mode": mode, "content": base64.b64encode(content).decode("ascii")})
    return job_start(membership=membership, kind=KIND, payload=payload)


def _run(job: Job, progress: Progress) -> tuple[str, str]:
    data = json.loads(job.payload)
    membership = Membership.objects.filter(organisation_id=job.organisation_id, user_id=job.owner_id).first()
    if membership is None:
        raise JobError("The person who started this import is no longer a member of the organisation.")
    progress(5)
    report = services.homes_import(
        membership=membership,
        rows_file=io.BytesIO(base64.b64decode(data["content"])),
        file_name=data["file_name"],
        mode=data["mode"],
    )
    progress(100)
    if report.file_rejected:
        raise JobError(f"The file could not be imported: {report.errors[0].message}")
    return "properties.HomeImport", str(report.import_id)


def register() -> None:
    register_job_kind(
        JobKind(
            name=KIND, label="Import of void homes", handler=_run, result_url=lambda _: reverse("properties:import")
        )
    )
