from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safemoves.matching.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def input_file(tmp_path: Path, example: dict[str, Any]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(example), encoding="utf-8")
    return path


def test_match_writes_output_file(input_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert main([str(input_file), "-o", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [a["home"] for a in result["assignments"]] == ["P1"]
    assert result["unmatched"] == []
    stats = result["stats"]
    assert stats["housed"] == 1
    assert stats["feasible_pairs"] == 1
    assert set(stats["timings_ms"]) >= {"read_and_decode", "feasibility", "solve", "total"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]


def test_stdin_to_stdout(
    example: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(example).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["-", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["housed"] == 1


def test_bad_input_exit_2_and_no_output(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example["homes"][0]["lat"] = 123.0
    source = tmp_path / "in.json"
    source.write_text(json.dumps(example), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main([str(source), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        'safemoves match: error: homes[0] (id "P1"): field "lat" must be between -90 and 90, got 123.0\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_bad_input_keeps_existing_output(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    del example["households"][0]["id"]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(example), encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    assert main([str(source), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert 'households[0]: field "id" is required' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.json"], "cannot read missing.json"),
        (["{in}", "--top", "3"], "--top needs --household or --home"),
        (["{in}", "--household", "H1", "--top", "0"], "--top must be at least 1"),
        (["{in}", "--household", "H9"], 'household "H9" is not in the input'),
        (["{in}", "--household", "H1", "--home", "P1"], "not allowed with argument"),
        ([], "the following arguments are required: input"),
    ],
)
def test_usage_errors_exit_2(
    input_file: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [arg.replace("{in}", str(input_file)) for arg in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "usage: safemoves match" in capsys.readouterr().out


def test_rank_household(input_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(input_file), "--household", "H1", "--top", "10"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked["household"] == "H1"
    assert [c["home"] for c in ranked["candidates"]] == ["P1"]
    assert ranked["candidates"][0]["reasons"][-1].startswith("score 319:")


def test_rank_home(input_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(input_file), "--home", "P1"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert [c["household"] for c in ranked["candidates"]] == ["H1"]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_python_dash_m_with_and_without_subcommand(example: dict[str, Any]) -> None:
    for argv in (["match", "-"], ["-", "-o", "-"]):
        done = _run("-m", "safemoves.matching", *argv, stdin=json.dumps(example))
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["stats"]["housed"] == 1
    done = _run("-m", "safemoves.matching", "-", stdin="[]")
    assert done.returncode == 2
    assert done.stderr == "safemoves match: error: input: must be a JSON object, got []\n"


def test_console_script_calling_convention(example: dict[str, Any]) -> None:
    """The project console script passes ``sys.argv[2:]`` for ``safemoves match ...``."""
    code = (
        "import sys; sys.argv = ['safemoves', 'match', '-']\n"
        "from safemoves.matching.cli import main; sys.exit(main(sys.argv[2:]))"
    )
    done = _run("-c", code, stdin=json.dumps(example))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["assignments"][0]["household"] == "H1"


def test_engine_never_imports_django() -> None:
    code = (
        "import sys, safemoves.matching, safemoves.matching.cli, safemoves.matching.__main__\n"
        "from safemoves.matching import match\n"
        "match({'households': [], 'homes': []})\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr
