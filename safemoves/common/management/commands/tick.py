from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safemoves.common.ticks import tick_jobs


class Command(BaseCommand):
    help = (
        "Run the clocks: e-mail managers once about each safety action past its deadline, expire "
        "offers past theirs. Meant for cron (every few minutes); running it again sends nothing new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, job in tick_jobs().items():
            self.stdout.write(f"{name}: {job()}")
