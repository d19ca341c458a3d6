"""Starting and running jobs. The runner is what a Celery worker (or, without a broker, the
web process itself) calls; every step is safe to repeat."""

from __future__ import annotations

import base64
import logging
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope
from safemoves.jobs.kinds import JobError, job_kind
from safemoves.jobs.models import Job, JobOutput, JobState
from safemoves.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 24 * 60 * 60
TRANSIENT = (OperationalError, InterfaceError)


@unaudited("names a cache key; reads and writes nothing")
def progress_key(job_id: object) -> str:
    return f"jobs:progress:{job_id}"


@audited("job.started")
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


@unaudited("reads the starter's membership for a job that is running; writes nothing")
def job_starter(job: Job) -> Membership:
    """The membership of the person who started the job, as it is now (a handler acts as them)."""
    membership = Membership.objects.filter(
        organisation_id=job.organisation_id, user_id=job.owner_id, is_active=True
    ).first()
    if membership is None:
        raise JobError("The person who started this job is no longer a member of the organisation.")
    return membership


def _enqueue(job_id: str, organisation_id: int) -> None:
    from safemoves.jobs.tasks import run_job  # noqa: PLC0415 -- tasks imports this module (a real cycle)

    run_job.delay(job_id, organisation_id)


@unaudited("runs a job whose start was recorded (job.started); its handler calls the audited services")
def job_run(*, job_id: UUID | str, organisation_id: int) -> str:
    """Run the job once: lock it, do its work and mark it finished, all in one transaction.

    The row lock (``SELECT ... FOR UPDATE SKIP LOCKED``) is what makes a job run once: a second
    delivery of the same message finds the job locked (running) or finished and skips it. A
    worker killed mid-job drops its connection, the database rolls its transaction back and
    releases the lock, and the redelivered message runs the job again from the start.

    Returns ``succeeded``, ``failed`` or ``skipped``. A database error that may pass (a lost
    connection) is raised for the caller to retry; the job stays queued.
    """
    with organisation_scope(organisation_id):
        # The attempt is recorded outside the job's transaction, so that it survives a crash.
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            attempts=F("attempts") + 1, started_at=timezone.now()
        )
        kind_name = ""
        try:
            with transaction.atomic():
                job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id, state=JobState.QUEUED).first()
                if job is None:
                    return "skipped"
                kind_name = job.kind

                def progress(percent: int) -> None:
                    cache.set(progress_key(job_id), max(0, min(100, int(percent))), timeout=PROGRESS_SECONDS)

                progress(0)
                result_type, result_id = job_kind(job.kind).handler(job, progress)
                job.state = JobState.SUCCEEDED
                job.progress = 100
                job.result_type, job.result_id = result_type, result_id
                job.error = ""
                job.finished_at = timezone.now()
                job.save(update_fields=["state", "progress", "result_type", "result_id", "error", "finished_at"])
        except TRANSIENT:
            cache.delete(progress_key(job_id))
            raise
        except JobError as error:
            _fail(job_id, str(error))
            return "failed"
        except Exception:
            logger.exception("job %s (%s) failed", job_id, kind_name)
            _fail(job_id, f"The job failed unexpectedly. Quote reference {job_id} to your administrator.")
            return "failed"
        cache.delete(progress_key(job_id))
        return "succeeded"


@unaudited("marks a recorded job failed after its retries: no case data")
def job_give_up(*, job_id: UUID | str, organisation_id: int, reason: str) -> None:
    """Mark a job failed after its retries ran out, so that it shows as failed, not lost."""
    with organisation_scope(organisation_id):
        Job.objects.filter(pk=job_id).exclude(state=JobState.SUCCEEDED).update(
            state=JobState.FAILED, error=reason, finished_at=timezone.now()
        )


def _fail(job_id: UUID | str, message: str) -> None:
    Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.FAILED, error=message[:1000], finished_at=timezone.now()
    )
    cache.delete(progress_key(job_id))


# --- what a job made: sealed files, downloaded by the starter only, deleted after a while ---

OUTPUT_RESULT_TYPE = "jobs.JobOutput"


@unaudited("stores the output in the job's transaction; the handler records its own event (reports.exported)")
def job_output_store(*, job: Job, file_name: str, content_type: str, content: bytes) -> tuple[str, str]:
    """Seal ``content`` as the job's one output, replacing any earlier one (a rerun never adds a
    second), and return the result reference for the handler to hand back."""
    JobOutput.objects.filter(job=job).delete()
    created = timezone.now()
    output = JobOutput.objects.create(
        organisation_id=job.organisation_id,
        job=job,
        file_name=file_name,
        content_type=content_type,
        size_bytes=len(content),
        data=base64.b64encode(content).decode("ascii"),
        created_at=created,
        expires_at=created + timedelta(hours=settings.SAFEMOVES_JOB_OUTPUT_HOURS),
    )
    return OUTPUT_RESULT_TYPE, str(output.pk)


@unaudited("decodes an output already read; writes nothing (the download is recorded by job_output_downloaded)")
def job_output_content(output: JobOutput) -> bytes:
    return base64.b64decode(output.data)


@audited("job.downloaded")
@transaction.atomic
def job_output_downloaded(*, membership: Membership, job: Job, output: JobOutput) -> bytes:
    """The file's bytes for the job's starter; every download is in the audit log."""
    record_event(
        action="job.downloaded",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="job",
        object_id=job.pk,
        reason=job.kind,
    )
    return job_output_content(output)


@unaudited("the retention clock deletes expired outputs (aggregate report files and matching runs, no case record)")
def job_outputs_purge(*, now: datetime | None = None) -> int:
    """Delete every job output past its expiry, landlord by landlord (each in its own scope)."""
    moment = now or timezone.now()
    deleted = 0
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        with organisation_scope(organisation_id), transaction.atomic():
            count, _ = JobOutput.objects.filter(expires_at__lte=moment).delete()
            deleted += count
    return deleted
