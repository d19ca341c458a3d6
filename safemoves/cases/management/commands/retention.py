from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safemoves.cases.retention import retention_run


class Command(BaseCommand):
    help = "Retention of closed cases. `retention run` lists what is due (dry run); add --apply to purge."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("run", help="Purge closed cases past their landlord's retention period.")
        run.add_argument("--apply", action="store_true", help="Purge for real (default: dry run).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(apply=options["apply"])
        verb = "Purged" if report.applied else "Would purge"
        for landlord, references in report.due.items():
            self.stdout.write(f"{landlord}: {verb.lower()} {len(references)}: {', '.join(references)}")
        self.stdout.write(f"{verb} {report.total} closed case(s).{'' if report.applied else ' Dry run: add --apply.'}")
