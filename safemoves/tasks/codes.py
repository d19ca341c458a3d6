from __future__ import annotations

from django.db import models


class TaskKind(models.TextChoices):
    TASK = "task", "Task"
    SUPPORT_PLAN_REVIEW = "support_plan_review", "Support plan review"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
