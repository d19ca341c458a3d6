"""Every write is audited by construction (issue 11, item 7; ADR 0029).

Each public function of the service modules declares its audit actions (``@audited``) or why
it records none (``@unaudited``). A new service that declares neither fails here, and so does
a declared action that the package never records: neither as a literal ``action=`` of a call in
its own source, nor through an audited service the function calls.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safemoves.audit.registry import audited, declaration_of

PACKAGES = ("safemoves.cases.services", "safemoves.safety.services", "safemoves.reciprocal.pool.services")

# The service modules of the other apps. `safemoves.audit.services` is not listed: it is the
# log's own writer.
SERVICE_MODULES = (
    "safemoves.accounts.services",
    "safemoves.api.services",
    "safemoves.documents.services",
    "safemoves.emergency.services",
    "safemoves.intake.services",
    "safemoves.jobs.services",
    "safemoves.letters.services",
    "safemoves.notifications.services",
    "safemoves.organisations.services",
    "safemoves.properties.services",
    "safemoves.reports.services",
    "safemoves.risk.services",
    "safemoves.tasks.services",
)

SERVICES = PACKAGES + SERVICE_MODULES


def _modules(name: str) -> list[types.ModuleType]:
    """The module, or every module of the package."""
    module = importlib.import_module(name)
    if not hasattr(module, "__path__"):
        return [module]
    return [importlib.import_module(f"{name}.{info.name}") for info in pkgutil.iter_modules(module.__path__)]


def _public_functions(module: types.ModuleType) -> list[tuple[str, Any]]:
    return [
        (name, value)
        for name, value in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module.__name__
    ]


def undeclared(module: types.ModuleType) -> list[str]:
    """The public functions of the module that declare neither their audit actions nor why not."""
    return [
        f"{module.__name__}.{name}" for name, function in _public_functions(module) if declaration_of(function) is None
    ]


def recorded_actions(source: str) -> set[str]:
    """The literal audit actions the source passes as ``action=`` to a call (either branch of a
    conditional counts; an f-string names no action)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "action":
                    found |= {
                        part.value
                        for part in ast.walk(keyword.value)
                        if isinstance(part, ast.Constant)
                        and isinstance(part.value, str)
                        and not isinstance(keyword.value, ast.JoinedStr)
                    }
    return found


def delegated_actions(function: Callable[..., Any]) -> set[str]:
    """The actions declared by the audited services that ``function`` calls by name."""
    # A service is wrapped (transaction.atomic): its own body names the services it calls.
    body = inspect.unwrap(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(body)))
    called: set[Any] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Name):
                called.add(body.__globals__.get(target.id))
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                called.add(getattr(body.__globals__.get(target.value.id), target.attr, None))
    return {
        action
        for callee in called
        if callable(callee) and callee is not function and (declared := declaration_of(callee)) is not None
        for action in declared.actions
    }


@pytest.mark.parametrize("name", SERVICES)
def test_every_public_service_declares_its_audit_actions(name: str) -> None:
    modules = _modules(name)
    assert len(modules) > 1 if name in PACKAGES else modules
    assert [function for module in modules for function in undeclared(module)] == []


@pytest.mark.parametrize("name", SERVICES)
def test_every_declared_action_is_recorded_by_the_package(name: str) -> None:
    modules = _modules(name)
    recorded = set().union(*(recorded_actions(Path(inspect.getfile(module)).read_text()) for module in modules))
    declared = {
        (function, action)
        for module in modules
        for _, function in _public_functions(module)
        for action in declaration_of(function).actions  # type: ignore[union-attr]
    }
    assert any(_public_functions(module) for module in modules)  # the walk found the services
    assert (
        sorted(
            f"{function.__qualname__}: {action}"
            for function, action in declared
            if action not in recorded and action not in delegated_actions(function)
        )
        == []
    )


def test_a_service_that_declares_nothing_is_found() -> None:
    module = types.ModuleType("safemoves.cases.services.example")

    def thing_update() -> None: ...

    def thing_add() -> None: ...

    thing_update.__module__ = thing_add.__module__ = module.__name__
    module.thing_update = audited("thing.updated")(thing_update)  # type: ignore[attr-defined]
    module.thing_add = thing_add  # type: ignore[attr-defined]
    assert undeclared(module) == ["safemoves.cases.services.example.thing_add"]


def test_only_literal_actions_count_as_recorded() -> None:
    source = textwrap.dedent(
        """
        record_event(action="home.let", actor=None)
        record_event(action="home.offered" if offered else "home.available", actor=None)
        record_event(action=f"home.{status}", actor=None)
        record_event(reason="home.withdrawn")
        """
    )
    assert recorded_actions(source) == {"home.let", "home.offered", "home.available"}


def test_an_action_recorded_by_a_called_service_counts_as_delegated() -> None:
    @audited("thing.made")
    def thing_make() -> None: ...

    def thing_submit() -> None:
        thing_make()

    thing_submit.__globals__["thing_make"] = thing_make
    try:
        assert delegated_actions(thing_submit) == {"thing.made"}
    finally:
        del thing_submit.__globals__["thing_make"]
