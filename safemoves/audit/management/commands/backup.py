from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.common.backup import KEYRING_WARNING, backup_database, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file (SQLite online backup, or pg_dump on PostgreSQL) with a "
        "manifest beside it. The encryption keyring is NOT included: back it up separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="file to write, e.g. /backups/safemoves-2026-11-30.dump")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["target"]
        try:
            manifest = backup_database(target)
        except Exception as error:
            raise CommandError(f"backup failed: {error}") from error
        self.stdout.write(f"backup written: {target} ({manifest['vendor']}, sha256 {manifest['sha256'][:16]}...)")
        self.stdout.write(f"manifest: {manifest_path(target)}")
        self.stderr.write(self.style.WARNING(KEYRING_WARNING.format(keyring=settings.SAFEMOVES_KEYRING_FILE)))
