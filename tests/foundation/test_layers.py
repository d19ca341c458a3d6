"""The layer contracts (pyproject.toml [tool.importlinter], `make layers`) hold, and break on a forbidden import.

Each case copies the package, adds one import that a contract forbids, and runs the contract
tool on the copy with the project's own contracts: it must fail and name the import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contracts_toml() -> str:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]", f"root_packages = {config['root_packages']!r}".replace("'", '"')]
    lines.append("exclude_type_checking_imports = true")
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            rendered = repr(value).replace("'", '"').replace("False", "false").replace("True", "true")
            lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "safemoves", root / "safemoves", ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    (root / "pyproject.toml").write_text(_contracts_toml())
    return root


def test_the_project_keeps_its_contracts(copy: Path) -> None:
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("common/env.py", "safemoves.cases.codes", "Faces use the domain, the domain uses common"),
        ("matching/model.py", "safemoves.common.clock", "The matching engine imports nothing of ours"),
        ("safety/policies.py", "safemoves.demo.consortium", "No domain app imports the demo"),
        ("cases/codes.py", "safemoves.reciprocal.models", "cases imports none of the apps built on it"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(copy: Path, module: str, forbidden: str, contract: str) -> None:
    path = copy / "safemoves" / module
    original = path.read_text()
    try:
        path.write_text(original + f"\nimport {forbidden}  # noqa\n")
        result = _lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken  # (a domain app importing the demo also breaks the layers)
    importer = "safemoves." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {forbidden}" in broken
