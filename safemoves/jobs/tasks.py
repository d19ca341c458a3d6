"""Celery tasks. Each is idempotent and retried; a job that still fails is marked failed."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import shared_task
from django.core.cache import cache

from safemoves.common.locks import cache_lock
from safemoves.common.requestid import set_request_id
from safemoves.common.ticks import tick_jobs
from safemoves.jobs.mail import deliver
from safemoves.jobs.services import TRANSIENT, job_give_up, job_run

logger = logging.getLogger(__name__)

MAIL_SENT_SECONDS = 7 * 24 * 60 * 60


@shared_task(bind=True, name="safemoves.jobs.tasks.run_job", max_retries=5)  # type: ignore[untyped-decorator]
def run_job(self: Any, job_id: str, organisation_id: int) -> str:
    set_request_id(f"job-{job_id}")
    try:
        return job_run(job_id=job_id, organisation_id=organisation_id)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            job_give_up(
                job_id=job_id,
                organisation_id=organisation_id,
                reason="The database could not be reached after several attempts. Start the job again.",
            )
            return "failed"
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


@shared_task(bind=True, name="safemoves.jobs.tasks.send_email", max_retries=8)  # type: ignore[untyped-decorator]
def send_email(self: Any, message: dict[str, Any], key: str) -> str:
    """Deliver one queued message. A key seen before is not sent again (a redelivered message)."""
    set_request_id(f"mail-{key}")
    sent_key = f"jobs:mail-sent:{key}"
    if cache.get(sent_key):
        return "already sent"
    try:
        deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        if self.request.retries >= self.max_retries:
            # Recipients are personal data: the log names only the message's key.
            logger.error(
                "e-mail %s not delivered after %d attempts: %s", key, self.request.retries + 1, type(error).__name__
            )
            return "failed"
        raise self.retry(exc=error, countdown=min(600, 2 ** (self.request.retries + 2))) from error
    cache.set(sent_key, 1, timeout=MAIL_SENT_SECONDS)
    return "sent"


@shared_task(name="safemoves.jobs.tasks.tick")  # type: ignore[untyped-decorator]
def tick() -> dict[str, str]:
    """The clocks, on Celery beat. A lock keeps two beats (or beat and cron) from overlapping."""
    set_request_id("tick")
    with cache_lock("tick", seconds=15 * 60) as held:
        if not held:
            return {"skipped": "another tick is running"}
        summary = {name: job() for name, job in tick_jobs().items()}
    for name, line in summary.items():
        logger.info("tick %s: %s", name, line)
    return summary
