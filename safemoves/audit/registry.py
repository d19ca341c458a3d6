"""Every write is audited by construction (issue 11, item 7; ADR 0029).

Each public function of a services module declares what it records: ``@audited("case.updated")``
names the audit actions of a write service, ``@unaudited("why")`` says why a function records
none (it only reads, or writes no case data). The decorators return the function unchanged;
they fill :data:`REGISTRY`, which ``tests/foundation/test_audited_writes.py`` walks: a new
service that declares neither fails that test, and so does a declared action that the
package never records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Declaration:
    actions: tuple[str, ...]  # the audit actions the function records (empty when unaudited)
    reason: str = ""  # why an unaudited function records nothing


REGISTRY: dict[str, Declaration] = {}


def _key(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def audited(*actions: str) -> Callable[[F], F]:
    """Declare the audit actions a write service records (in its own transaction)."""
    if not actions:
        raise ValueError("name at least one audit action; use @unaudited(reason) for none")

    def register(function: F) -> F:
        REGISTRY[_key(function)] = Declaration(actions=actions)
        return function

    return register


def unaudited(reason: str) -> Callable[[F], F]:
    """Declare that a public function records no audit event, and why."""
    if not reason.strip():
        raise ValueError("say why the function records no audit event")

    def register(function: F) -> F:
        REGISTRY[_key(function)] = Declaration(actions=(), reason=reason)
        return function

    return register


def declaration_of(function: Callable[..., Any]) -> Declaration | None:
    """What the function declared, or None when it declared nothing."""
    return REGISTRY.get(_key(function))
