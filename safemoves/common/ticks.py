"""Jobs that `safemoves tick` runs on each beat (cron). Apps register theirs in AppConfig.ready().

Every job must be idempotent: running the tick twice in a row does nothing new the second time.
"""

from __future__ import annotations

from collections.abc import Callable

# A job returns a one-line summary of what it did.
TickJob = Callable[[], str]

_jobs: dict[str, TickJob] = {}


def register_tick(name: str, job: TickJob) -> None:
    _jobs[name] = job


def tick_jobs() -> dict[str, TickJob]:
    return dict(sorted(_jobs.items()))
