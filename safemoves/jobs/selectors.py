from __future__ import annotations

from uuid import UUID

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safemoves.jobs.models import Job, JobOutput, JobState
from safemoves.jobs.services import progress_key
from safemoves.organisations.models import Membership


def jobs_for_member(membership: Membership, *, limit: int = 50) -> QuerySet[Job]:
    """The jobs this member started, newest first (a job is its starter's: others see nothing)."""
    return Job.objects.filter(organisation_id=membership.organisation_id, owner_id=membership.user_id)[:limit]


def job_for_member(membership: Membership, job_id: UUID) -> Job:
    job = Job.objects.filter(organisation_id=membership.organisation_id, owner_id=membership.user_id, pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


def job_progress(job: Job) -> int:
    """Per cent done: live from the cache while the job runs, from the row once it has finished."""
    if job.state == JobState.QUEUED:
        live = cache.get(progress_key(job.pk))
        if isinstance(live, int):
            return live
    return job.progress


def job_output(job: Job) -> JobOutput | None:
    """What the job made, while it is kept (None once it has expired, even before the tick ran)."""
    if job.state != JobState.SUCCEEDED:
        return None
    return JobOutput.objects.filter(job=job, expires_at__gt=timezone.now()).defer("data").first()


def job_output_for_member(membership: Membership, job_id: UUID, kind: str | None = None) -> tuple[Job, JobOutput]:
    """The job and its output, for its starter only; missing, someone else's or expired: 404."""
    job = job_for_member(membership, job_id)
    output = job_output(job)
    if output is None or (kind is not None and job.kind != kind):
        raise Http404("No such file.")
    return job, output
