"""Wording does not assume the survivor is a woman or the perpetrator a man.

Men and people in same-sex relationships are survivors too: no label, help text, choice,
message or template text the product shows may say she/her or he/him. Comments and
docstrings are for developers and are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import safemoves

ROOT = Path(safemoves.__file__).parent
GENDERED = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)
TEMPLATE_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.DOTALL)
# Template and format placeholders are names, not words shown to anyone.
PLACEHOLDERS = re.compile(r"{{.*?}}|{%.*?%}|%\([a-z_]+\)s|{[a-z_.]*}", re.DOTALL)


def _is_demo_narrative(path: Path) -> bool:
    # Demo case notes tell the stories of particular fictional people, in their own words.
    return "demo" in path.parts or path.name == "demo.py"


def _python_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and not _is_demo_narrative(p))


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _string_findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = PLACEHOLDERS.sub(" ", node.value)
            if GENDERED.search(text):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {node.value[:90]!r}")
    return found


def _template_findings(path: Path) -> list[str]:
    text = PLACEHOLDERS.sub(" ", TEMPLATE_COMMENTS.sub(" ", path.read_text(encoding="utf-8")))
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if GENDERED.search(line):
            found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()[:90]!r}")
    return found


def test_no_gendered_words_in_strings_the_product_shows() -> None:
    found = [finding for path in _python_files() for finding in _string_findings(path)]
    assert found == []


def test_no_gendered_words_in_templates() -> None:
    found = [finding for path in sorted(ROOT.rglob("templates/**/*.html")) for finding in _template_findings(path)]
    assert found == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("Say how she gave consent", True), ("His key", True), ("The tenant's choice", False), ("the", False)],
)
def test_the_scan_itself_catches_gendered_words(text: str, flagged: bool) -> None:
    assert bool(GENDERED.search(text)) is flagged
