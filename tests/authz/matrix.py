"""The authorisation matrix: every URL pattern, who may use it, and how to reach its target.

Each app describes its routes in a module `tests/authz/routes_<app>.py` exposing `ROUTES`;
they are gathered here. `test_matrix.py` fails when a URL pattern exists that no module
describes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from safemoves.organisations.models import Role
from tests.factories import World

ALL_ROLES = frozenset(Role)
PUBLIC = "public"


@dataclass(frozen=True)
class Route:
    name: str
    # Who may use it: "public", or the roles of landlord A (the owner of the target) that may.
    allowed: frozenset[Role] | str
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    methods: tuple[str, ...] = ("GET",)
    post_data: Callable[[World], dict[str, Any]] = lambda world: {}
    # True when the URL names an object of landlord A; then landlord B's members are outsiders
    # whatever their role. False for pages about "my own organisation" (each landlord sees its own).
    targets_object: bool = False
    setup: Callable[[World], None] | None = None
    notes: str = field(default="", compare=False)


def _gather() -> tuple[Route, ...]:
    import tests.authz as package

    routes: list[Route] = []
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("routes_"):
            routes.extend(importlib.import_module(f"tests.authz.{module.name}").ROUTES)
    return tuple(routes)


def url_pattern_names() -> set[str]:
    """Every URL pattern the resolver knows, as namespaced names (unnamed ones reported by route)."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            else:
                names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


ROUTES: tuple[Route, ...] = _gather()
