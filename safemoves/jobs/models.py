"""A background job someone started, with its progress, so that it is never lost from view."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned


class JobState(models.TextChoices):
    # A job being run stays *queued* in the database until its transaction commits (ADR 0025);
    # while it runs, its progress is in the shared cache.
    QUEUED = "queued", "Waiting or running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class Job(OrganisationOwned):
    """One run of long work (an import, a matching run, an export) for one organisation.

    The job's own writes and its move to *succeeded* commit in one transaction, so a worker
    killed mid-job leaves nothing half-written and the job runs again from the start.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    # The input may be an uploaded file naming addresses: encrypted like any personal data.
    payload = EncryptedTextField(blank=True)
    result_type = models.CharField(max_length=40, blank=True)
    result_id = models.CharField(max_length=64, blank=True)
    # A message for the person who started the job: what went wrong, never personal data.
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "owner", "-created_at"], name="job_owner_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)


class JobOutput(OrganisationOwned):
    """What a job made: a file to download (an export, a board pack) or a result to show.

    The bytes are sealed like any personal field (base64 inside the encrypted token, as case
    documents are), kept in their own row so that listing jobs never reads them, and deleted
    once ``expires_at`` has passed (the clocks' ``job outputs`` tick).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One output a job: running a job again replaces its output, never adds a second.
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="output")
    file_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    data = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="job_output_expiry_idx")]

    def __str__(self) -> str:
        return f"output of job {self.job_id}"
