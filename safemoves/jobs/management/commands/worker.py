from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a Celery worker for background jobs (add --beat on exactly one machine to run the clocks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, help="worker processes (default: the cores)")
        parser.add_argument("--beat", action="store_true", help="also run the clocks' schedule (one machine only)")

    def handle(self, *args: Any, **options: Any) -> None:
        command = [sys.executable, "-m", "celery", "-A", "safemoves.jobs.queue", "worker", "--loglevel", "INFO"]
        command += ["--queues", settings.CELERY_TASK_DEFAULT_QUEUE]
        if options["concurrency"]:
            command += ["--concurrency", str(options["concurrency"])]
        if options["beat"]:
            command.append("--beat")
        sys.stdout.flush()
        os.execv(sys.executable, command)  # noqa: S606 - replaces this process with the worker
