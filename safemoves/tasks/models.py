"""Free tasks on a case, with an owner and a due date on the working-day clock.

A support-plan review repeats: completing one sets the next, ``repeat_every_months`` later.
The title and notes are free text an officer types, so they are encrypted (ADR 0006).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned
from safemoves.tasks.codes import TaskKind, TaskStatus


class Task(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=24, choices=TaskKind.choices, default=TaskKind.TASK)
    title = EncryptedTextField()
    notes = EncryptedTextField(blank=True, default="")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A working day; the task is due by the end of it (17:00 London).
    due_on = models.DateField()
    due_at = models.DateTimeField()
    # Support-plan reviews repeat: completing one sets the next this many months on.
    repeat_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    # Set when the owner was told the task is overdue, so each is reported once.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # "My work": a person's open tasks by due time.
            models.Index(
                fields=["organisation", "owner", "due_at"],
                condition=models.Q(status="open"),
                name="task_owner_open_idx",
            ),
            models.Index(fields=["case", "status"], name="task_case_idx"),
        ]

    def __str__(self) -> str:
        return f"task {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()
