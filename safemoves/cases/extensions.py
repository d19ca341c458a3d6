"""How other apps add to a case without the cases app importing them.

* A **panel** is a section of the case page (risk, safety actions, options, ...).
* A **clock source** reports the earliest open deadline an app holds for a case, so
  caseloads can be ordered by the next clock due.
* A **close hook** ends an app's open work on a case when the case is closed (inside the
  closing transaction, so a hook that refuses leaves the case open).
* A **case-opened hook** runs inside the transaction that opens a case, whoever opened it
  (staff, an agency's link, the tenant's own request): the safety app sets the lock change.
* A **perpetrator hook** runs inside the transaction that records a perpetrator on a case.

Apps register both in their ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safemoves.accounts.models import User
    from safemoves.cases.models import Case, Perpetrator
    from safemoves.common.bound import Read
    from safemoves.common.http import StaffRequest
    from safemoves.organisations.models import Membership


@dataclass(frozen=True)
class CasePanel:
    order: int
    template: str
    context: Callable[[StaffRequest, Case], dict[str, Any]]
    # One-to-one records of the case the panel shows, read with the case in the page's first
    # query (``select_related`` paths from the case) instead of one query each (ADR 0030).
    case_relations: tuple[str, ...] = ()
    # The bound reads its context will make, sent ahead with the page's others in one round
    # trip (ADR 0035); a read left out still works, one round trip of its own.
    reads: Callable[[Case], list[Read[Any]]] | None = None


_panels: list[CasePanel] = []
_clock_sources: list[Callable[[Case], datetime | None]] = []


def register_panel(panel: CasePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda item: item.order)


def panels() -> tuple[CasePanel, ...]:
    return tuple(_panels)


# Reads every staff page's frame makes (the header's unread count), registered by the app that
# owns them, so that the case page can send them with its own (ADR 0035).
_frame_reads: list[Callable[[Membership], list[Read[Any]]]] = []


def register_frame_reads(reads: Callable[[Membership], list[Read[Any]]]) -> None:
    if reads not in _frame_reads:
        _frame_reads.append(reads)


def frame_reads(membership: Membership) -> list[Read[Any]]:
    return [read for reads in _frame_reads for read in reads(membership)]


def register_clock_source(source: Callable[[Case], datetime | None]) -> None:
    if source not in _clock_sources:
        _clock_sources.append(source)


def clock_sources() -> tuple[Callable[[Case], datetime | None], ...]:
    return tuple(_clock_sources)


_export_sections: dict[str, Callable[[Case], Any]] = {}


def register_export_section(name: str, section: Callable[[Case], Any]) -> None:
    """Add an app's data about a case to the subject-access export (JSON-serialisable)."""
    _export_sections[name] = section


def export_sections() -> dict[str, Callable[[Case], Any]]:
    return dict(_export_sections)


# Called inside the assignment's transaction with (the case, its previous officer's id or None,
# the new officer, who assigned it): an app's open work on the case follows it (ADR 0031).
_assign_hooks: list[Callable[[Case, int | None, User, User], None]] = []


def register_assign_hook(hook: Callable[[Case, int | None, User, User], None]) -> None:
    if hook not in _assign_hooks:
        _assign_hooks.append(hook)


def assign_hooks() -> tuple[Callable[[Case, int | None, User, User], None], ...]:
    return tuple(_assign_hooks)


_close_hooks: list[Callable[[Case, User], None]] = []


def register_close_hook(hook: Callable[[Case, User], None]) -> None:
    if hook not in _close_hooks:
        _close_hooks.append(hook)


def close_hooks() -> tuple[Callable[[Case, User], None], ...]:
    return tuple(_close_hooks)


@dataclass(frozen=True)
class CaseOpened:
    """What was known about a case when it was opened, for the apps that act on it."""

    case: Case
    actor: User | None
    # Answers (cases.codes.Answer values, "" when not asked) given when the case was opened.
    perpetrator_at_address: str = ""
    perpetrator_has_key: str = ""


_case_opened_hooks: list[Callable[[CaseOpened], None]] = []
_perpetrator_hooks: list[Callable[[Case, Perpetrator, User | None], None]] = []


def register_case_opened_hook(hook: Callable[[CaseOpened], None]) -> None:
    if hook not in _case_opened_hooks:
        _case_opened_hooks.append(hook)


def case_opened_hooks() -> tuple[Callable[[CaseOpened], None], ...]:
    return tuple(_case_opened_hooks)


def register_perpetrator_hook(hook: Callable[[Case, Perpetrator, User | None], None]) -> None:
    if hook not in _perpetrator_hooks:
        _perpetrator_hooks.append(hook)


def perpetrator_hooks() -> tuple[Callable[[Case, Perpetrator, User | None], None], ...]:
    return tuple(_perpetrator_hooks)
