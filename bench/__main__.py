"""``python -m bench``: the engine against a brute-force scan and a dense solver.

Each engine runs in its own process on the same generated JSON file, so wall time and peak
memory cover the whole process: interpreter start, imports, JSON decoding and output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generator import generate

SIZES: dict[str, tuple[int, int]] = {
    "300": (300, 300),
    "1k": (1_000, 1_000),
    "3k": (3_000, 2_000),
    "20k": (20_000, 15_000),
    "50k": (50_000, 50_000),
}
DENSE_MAX_CELLS = 3_000 * 2_000


def _run(command: list[str], output: Path) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    result: dict[str, Any] = {"wall_s": wall, "peak_mib": usage.ru_maxrss / 1024.0}
    if output.exists():
        body = json.loads(output.read_text(encoding="utf-8"))
        result["skipped"] = body.get("skipped")
        result["stats"] = body.get("stats", {})
    else:
        result["skipped"] = f"failed with exit code {process.returncode}"
    return result


def _engines(size: str, source: Path, cap: float) -> list[tuple[str, list[str]]]:
    python = sys.executable
    n, m = SIZES[size]
    engines = [
        ("engine", [python, "-m", "safemoves.matching", str(source), "-o"]),
        ("baseline scan", [python, "-m", "bench.baseline", "--cap", str(cap), str(source)]),
    ]
    if n * m <= DENSE_MAX_CELLS:
        engines.append(("dense LSA", [python, "-m", "bench.baseline", "--dense", "--cap", str(cap), str(source)]))
    return engines


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["web"]:  # the web benchmark lives in bench/web.py
        from bench import web

        return web.main(arguments[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="1k,3k,20k,50k", help="comma list of " + ",".join(SIZES))
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 300 and 1k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=120.0, help="baseline time cap, seconds")
    args = parser.parse_args(argv)
    sizes = ["300", "1k"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, seed {args.seed}\n")
    print(
        "| size (households x homes) | engine | wall s | peak MiB | feasible pairs | housed "
        "| total score | wall x engine | memory x engine |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    disagreements = 0
    with tempfile.TemporaryDirectory(prefix="safemoves-bench-") as folder_name:
        folder = Path(folder_name)
        for size in sizes:
            n, m = SIZES[size]
            source = folder / f"in-{size}.json"
            source.write_text(json.dumps(generate(n, m, seed=args.seed)), encoding="utf-8")
            reference: dict[str, Any] | None = None
            for name, command in _engines(size, source, args.cap):
                output = folder / f"out-{size}-{name.replace(' ', '-')}.json"
                command = [*command, str(output)]
                measured = _run(command, output)
                label = f"{n:,} x {m:,}"
                if measured["skipped"]:
                    print(f"| {label} | {name} | skipped: {measured['skipped']} | | | | | | |")
                    continue
                stats = measured["stats"]
                if reference is None:
                    reference = measured
                ref_stats = reference["stats"]
                agrees = (stats["housed"], stats["total_score"]) == (
                    ref_stats["housed"],
                    ref_stats["total_score"],
                ) and stats["feasible_pairs"] == ref_stats["feasible_pairs"]
                disagreements += not agrees
                print(
                    f"| {label} | {name} | {measured['wall_s']:.2f} | {measured['peak_mib']:.0f} "
                    f"| {stats['feasible_pairs']:,} | {stats['housed']:,} "
                    f"| {stats['total_score']:,}{'' if agrees else ' (DISAGREES)'} "
                    f"| {measured['wall_s'] / reference['wall_s']:.1f} "
                    f"| {measured['peak_mib'] / reference['peak_mib']:.1f} |",
                    flush=True,
                )
    if disagreements:
        print(f"\n{disagreements} result(s) disagree with the engine", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
