from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safemoves.reports.services import time_to_safety_rebuild


class Command(BaseCommand):
    help = (
        "The report summaries (ADR 0024). `report_summaries rebuild` rewrites the time-to-safety summary "
        "from the cases and their lock changes in one statement: a repair, never needed day to day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("rebuild", help="Rewrite the time-to-safety summary from the cases and lock changes.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = time_to_safety_rebuild()
        self.stdout.write(f"Time to safety: {written} case(s) with their locks changed.")
