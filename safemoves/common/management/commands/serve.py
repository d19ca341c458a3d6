from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the application with gunicorn (safemoves.common.gunicorn: workers sized to the cores, "
        "30 s timeouts, JSON access log with tokens redacted). Run `safemoves collectstatic` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="address:port (default SAFEMOVES_BIND or 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, help="default WEB_CONCURRENCY or 2 x cores + 1")

    def handle(self, *args: Any, **options: Any) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", "python:safemoves.common.gunicorn"]
        if options["bind"]:
            command += ["--bind", options["bind"]]
        if options["workers"]:
            command += ["--workers", str(options["workers"])]
        command.append("safemoves.wsgi")
        sys.stdout.flush()
        os.execv(sys.executable, command)  # noqa: S606 - replaces this process with gunicorn
