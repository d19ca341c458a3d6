"""How other apps add to a case without the cases app importing them.

* A **panel** is a section of the case page (risk, safety actions, options, ...).
* A **clock source** reports the earliest open deadline an app holds for a case, so
  caseloads can be ordered by the next clock due.
* A **close hook** ends an app's open work on a case when the case is closed (inside the
  closing transaction, so a hook that refuses leaves the case open).

Apps register both in their ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safemoves.accounts.models import User
    from safemoves.cases.models import Case
    from safemoves.common.http import StaffRequest


@dataclass(frozen=True)
class CasePanel:
    order: int
    template: str
    context: Callable[[StaffRequest, Case], dict[str, Any]]


_panels: list[CasePanel] = []
_clock_sources: list[Callable[[Case], datetime | None]] = []


def register_panel(panel: CasePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda item: item.order)


def panels() -> tuple[CasePanel, ...]:
    return tuple(_panels)


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


_close_hooks: list[Callable[[Case, User], None]] = []


def register_close_hook(hook: Callable[[Case, User], None]) -> None:
    if hook not in _close_hooks:
        _close_hooks.append(hook)


def close_hooks() -> tuple[Callable[[Case, User], None], ...]:
    return tuple(_close_hooks)
