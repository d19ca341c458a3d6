from __future__ import annotations

from uuid import UUID

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from safemoves.jobs.models import Job, JobState
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
