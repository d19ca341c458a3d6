from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Report any altered, deleted, inserted or reordered event.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            counted, problems = verify_chain()
            if problems:
                for problem in problems:
                    self.stderr.write(f"audit chain broken at {problem}")
                raise CommandError(f"{len(problems)} problem(s) in {counted} audit events.")
            self.stdout.write(f"audit chain intact: {counted} events verified.")
