"""The kinds of job, registered by the apps that own the work (like the clocks in common.ticks).

A handler gets the job and a ``progress(percent)`` callback, does its work inside the runner's
transaction and returns a reference to its result: ``(result_type, result_id)``. A handler that makes a file
stores it with ``jobs.services.job_output_store`` and returns what that returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safemoves.jobs.models import Job

Progress = Callable[[int], None]
JobHandler = Callable[["Job", Progress], tuple[str, str]]


class JobError(Exception):
    """A failure the person who started the job should read as it is (no personal data)."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    handler: JobHandler
    # The page where the result is shown, given the result id (None: shown on the job page).
    result_url: Callable[[str], str] | None = None
    # True when the result is a file (``JobOutput``) that only the starter downloads from the job page.
    download: bool = False


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.name] = kind


def job_kind(name: str) -> JobKind:
    return _kinds[name]


def job_kinds() -> dict[str, JobKind]:
    return dict(sorted(_kinds.items()))
