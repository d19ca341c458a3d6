from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.audit.verify import verify_chain
from safemoves.common.backup import KEYRING_WARNING, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `safemoves backup`, then verify the audit chain. "
        "Stop every web process and worker first. The keyring of the backup's time must be in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask: this replaces every row")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        if not options["yes"]:
            answer = input(f"Replace the whole database with {source}? Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("nothing restored.")
        self.stderr.write(self.style.WARNING(KEYRING_WARNING.format(keyring=settings.SAFEMOVES_KEYRING_FILE)))
        try:
            manifest = restore_database(source)
        except Exception as error:
            raise CommandError(f"restore failed: {error}") from error
        self.stdout.write(f"restored {source} (taken {manifest['created_at']}).")
        counted, problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"audit chain broken at {problem}")
            raise CommandError(f"restored, but the audit chain has {len(problems)} problem(s) in {counted} events.")
        self.stdout.write(f"audit chain intact: {counted} events verified.")
