"""``safemoves match``: run the engine on a v1 JSON file, without database or settings.

    safemoves match IN.json -o OUT.json          # whole pool ("-" is stdin/stdout)
    safemoves match IN.json --household H1 --top 10
    safemoves match IN.json --home P1 --top 10

Exit codes: 0 done, 2 bad input or usage (message on stderr, no output file written),
1 the output could not be written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

import orjson

from .contract import ContractError, loads
from .engine import match, rank
from .solve import SOLVERS, Solver

PROG = "safemoves match"
EXIT_OK = 0
EXIT_OUTPUT_FAILED = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Match households to homes (v1 contract), or rank one side's options.",
    )
    parser.add_argument("input", help='input JSON file, "-" for standard input')
    parser.add_argument("-o", "--output", default="-", help='output JSON file, "-" (default) for standard output')
    one = parser.add_mutually_exclusive_group()
    one.add_argument("--household", metavar="ID", help="rank the best homes for this household")
    one.add_argument("--home", metavar="ID", help="rank the best households for this home")
    parser.add_argument("--top", type=int, metavar="N", help="how many to rank (default 10)")
    parser.add_argument("--solver", choices=SOLVERS, default="blocks", help=argparse.SUPPRESS)
    parser.add_argument("--pretty", action="store_true", help="indent the output JSON")
    return parser


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def _write(target: str, body: bytes) -> None:
    """Write atomically: a reader never sees a half-written file, a failure leaves none."""
    if target == "-":
        sys.stdout.write(body.decode("utf-8"))
        sys.stdout.flush()
        return
    path = Path(target)
    # mkstemp creates the file 0600: results hold where survivors may be rehoused.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Entry point; ``argv`` excludes the program name and the ``match`` sub-command."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_BAD_INPUT
    if args.top is not None and args.household is None and args.home is None:
        return _fail("--top needs --household or --home")
    top = 10 if args.top is None else args.top
    if top < 1:
        return _fail("--top must be at least 1")

    started = perf_counter()
    try:
        raw = _read(args.input)
    except OSError as exc:
        return _fail(f"cannot read {args.input}: {exc.strerror or exc}")
    solver: Solver = args.solver
    try:
        data = loads(raw)
        decoded = perf_counter()
        result: dict[str, Any]
        if args.household is not None or args.home is not None:
            result = rank(data, household=args.household, home=args.home, top=top)
        else:
            result = match(data, solver=solver)
            timings = result["stats"]["timings_ms"]
            timings["read_and_decode"] = round((decoded - started) * 1000.0, 1)
    except ContractError as exc:
        return _fail(str(exc))

    body = orjson.dumps(result, option=orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if args.pretty else 0))
    try:
        _write(args.output, body)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_OUTPUT_FAILED)
    return EXIT_OK
