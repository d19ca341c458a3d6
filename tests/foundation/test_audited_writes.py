"""Every write is audited by construction (issue 11, item 7; ADR 0029).

Each public function of the case and safety services declares its audit actions
(``@audited``) or why it records none (``@unaudited``). A new service that declares neither
fails here, and so does a declared action the package never records.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from pathlib import Path

import pytest

from safemoves.audit.registry import audited, declaration_of

PACKAGES = ("safemoves.cases.services", "safemoves.safety.services", "safemoves.reciprocal.pool.services")


def _modules(package_name: str) -> list[types.ModuleType]:
    package = importlib.import_module(package_name)
    return [importlib.import_module(f"{package_name}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]


def _public_functions(module: types.ModuleType) -> list[tuple[str, object]]:
    return [
        (name, value)
        for name, value in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module.__name__
    ]


def undeclared(module: types.ModuleType) -> list[str]:
    """The public functions of the module that declare neither their audit actions nor why not."""
    return [
        f"{module.__name__}.{name}"
        for name, function in _public_functions(module)
        if declaration_of(function) is None  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("package_name", PACKAGES)
def test_every_public_service_declares_its_audit_actions(package_name: str) -> None:
    modules = _modules(package_name)
    assert len(modules) > 1
    assert [name for module in modules for name in undeclared(module)] == []


@pytest.mark.parametrize("package_name", PACKAGES)
def test_every_declared_action_is_recorded_by_the_package(package_name: str) -> None:
    modules = _modules(package_name)
    source = "\n".join(Path(inspect.getfile(module)).read_text() for module in modules)
    declared = {
        action
        for module in modules
        for _, function in _public_functions(module)
        for action in declaration_of(function).actions  # type: ignore[arg-type, union-attr]
    }
    assert declared  # the walk found the write services
    assert sorted(action for action in declared if f'action="{action}"' not in source) == []


def test_a_service_that_declares_nothing_is_found() -> None:
    module = types.ModuleType("safemoves.cases.services.example")

    def thing_update() -> None: ...

    def thing_add() -> None: ...

    thing_update.__module__ = thing_add.__module__ = module.__name__
    module.thing_update = audited("thing.updated")(thing_update)  # type: ignore[attr-defined]
    module.thing_add = thing_add  # type: ignore[attr-defined]
    assert undeclared(module) == ["safemoves.cases.services.example.thing_add"]
