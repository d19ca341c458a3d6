"""What other apps do when a member stops doing casework.

A member who is deactivated, or whose role changes to one that cannot hold cases, leaves work
behind in apps this one may not import (the cases app is built on it). Those apps register a
hook here; the organisation services call every hook in the same transaction as the change.
A hook returns a sentence for the administrator saying what it did ("" when nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from safemoves.accounts.models import User
from safemoves.organisations.models import Membership, Role

# The roles that may be assigned cases (``cases.policies.CASE_WORKERS`` is this set).
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.MANAGER})

_departure_hooks: list[Callable[[Membership, User], str]] = []


def register_departure_hook(hook: Callable[[Membership, User], str]) -> None:
    if hook not in _departure_hooks:
        _departure_hooks.append(hook)


def departure_hooks() -> tuple[Callable[[Membership, User], str], ...]:
    return tuple(_departure_hooks)
