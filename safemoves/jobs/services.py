"""Starting and running jobs. The runner is what a Celery worker (or, without a broker, the
web process itself) calls; every step is safe to repeat."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope
from safemoves.jobs.kinds import JobError, job_kind
from safemoves.jobs.models import Job, JobState
from safemoves.organisations.models import Membership

logger = logging.getLogger(__name__)

# A job left *running* this long by a worker that died may be claimed again.
LEASE = timedelta(minutes=30)
PROGRESS_SECONDS = 24 * 60 * 60
TRANSIENT = (OperationalError, InterfaceError)


def progress_key(job_id: object) -> str:
    return f"jobs:progress:{job_id}"


@transaction.atomic
def job_start(*, membership: Membership, kind: str, payload: str = "") -> Job:
    """Record a job for the member's organisation and queue it once the record has committed."""
    job_kind(kind)  # an unknown kind fails here, not later on a worker
    job = Job.objects.create(
        organisation_id=membership.organisation_id, owner=membership.user, kind=kind, payload=payload
    )
    record_event(
        action="job.started",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="job",
        object_id=job.pk,
    )
    job_id, organisation_id = str(job.pk), membership.organisation_id
    transaction.on_commit(lambda: _enqueue(job_id, organisation_id))
    return job


def _enqueue(job_id: str, organisation_id: int) -> None:
    from safemoves.jobs.tasks import run_job

    run_job.delay(job_id, organisation_id)


def job_run(*, job_id: UUID | str, organisation_id: int) -> str:
    """Run the job once: claim it, do its work and mark it finished in one transaction.

    Returns ``succeeded``, ``failed`` or ``skipped`` (already finished, or running elsewhere
    within its lease). Raises a database error that may pass (a lost connection) after putting
    the job back in the queue, for the caller to retry.
    """
    with organisation_scope(organisation_id):
        now = timezone.now()
        claimable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, started_at__lt=now - LEASE)
        claimed = Job.objects.filter(claimable, pk=job_id).update(
            state=JobState.RUNNING, started_at=now, attempts=F("attempts") + 1
        )
        if not claimed:
            return "skipped"
        job = Job.objects.get(pk=job_id)
        attempt = job.attempts
        kind = job_kind(job.kind)

        def progress(percent: int) -> None:
            cache.set(progress_key(job_id), max(0, min(100, int(percent))), timeout=PROGRESS_SECONDS)

        try:
            with transaction.atomic():
                result_type, result_id = kind.handler(job, progress)
                # The attempt number fences a worker whose lease ran out: only the current claim commits.
                finished = Job.objects.filter(pk=job_id, state=JobState.RUNNING, attempts=attempt).update(
                    state=JobState.SUCCEEDED,
                    progress=100,
                    result_type=result_type,
                    result_id=result_id,
                    error="",
                    finished_at=timezone.now(),
                )
                if not finished:
                    raise JobError("Another worker took this job over.")
        except TRANSIENT:
            Job.objects.filter(pk=job_id, attempts=attempt).update(state=JobState.QUEUED)
            raise
        except JobError as error:
            _fail(job_id, attempt, str(error))
            return "failed"
        except Exception:
            logger.exception("job %s (%s) failed", job_id, job.kind)
            _fail(job_id, attempt, f"The job failed unexpectedly. Quote reference {job_id} to your administrator.")
            return "failed"
        cache.delete(progress_key(job_id))
        return "succeeded"


def job_give_up(*, job_id: UUID | str, organisation_id: int, reason: str) -> None:
    """Mark a job failed after its retries ran out, so that it shows as failed, not lost."""
    with organisation_scope(organisation_id):
        Job.objects.filter(pk=job_id).exclude(state=JobState.SUCCEEDED).update(
            state=JobState.FAILED, error=reason, finished_at=timezone.now()
        )


def _fail(job_id: UUID | str, attempt: int, message: str) -> None:
    Job.objects.filter(pk=job_id, attempts=attempt).update(
        state=JobState.FAILED, error=message[:1000], finished_at=timezone.now()
    )
    cache.delete(progress_key(job_id))
