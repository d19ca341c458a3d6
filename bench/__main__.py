"""``python -m bench``: the engine against a scan baseline, a cardinality-only reference
and (small sizes) a dense solver, on two families of instances.

* ``realistic``: today's generator (households choose 5-8 areas, most need one place nearby);
* ``dense``: the same with a share of households dropping their area list and required radii
  widened (``--no-area-share``, ``--radius-scale``): about 1,000 safe homes per household at
  20k x 15k, valid v1 documents the engine has to serve well too.

Each engine runs in its own process on the same generated JSON file, so wall time and peak
memory (the child's maximum resident set) cover the whole process: interpreter start,
imports, JSON decoding and output. Ratios are to the engine in the same run; the load
average is printed with each size because the machine is shared.
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

from bench.generator import densify, generate

SIZES: dict[str, tuple[int, int]] = {
    "300": (300, 300),
    "1k": (1_000, 1_000),
    "3k": (3_000, 2_000),
    "20k": (20_000, 15_000),
    "50k": (50_000, 50_000),
}
DEFAULT_RUNS = "realistic:1k,realistic:3k,realistic:20k,dense:3k,dense:20k"
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
        ("cardinality only", [python, "-m", "bench.baseline", "--cardinality", "--cap", str(cap), str(source)]),
    ]
    if n * m <= DENSE_MAX_CELLS:
        engines.append(("dense LSA", [python, "-m", "bench.baseline", "--dense", "--cap", str(cap), str(source)]))
    return engines


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["concurrency"]:  # concurrent edits of one case, on PostgreSQL
        from bench import concurrency

        return concurrency.main(arguments[1:])
    if arguments[:1] == ["web"]:  # the web benchmark lives in bench/web.py
        from bench import web

        return web.main(arguments[1:])
    if arguments[:1] == ["profile"]:  # CPU per staff page, in-process, lives in bench/profile_pages.py
        from bench import profile_pages

        return profile_pages.main(arguments[1:])
    if arguments[:1] == ["dashboards"]:  # the report dashboards benchmark lives in bench/dashboards.py
        from bench import dashboards

        return dashboards.main(arguments[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--runs",
        default=DEFAULT_RUNS,
        help="comma list of FAMILY:SIZE, family realistic or dense, size one of " + ",".join(SIZES),
    )
    parser.add_argument("--sizes", help="shorthand for realistic runs only, e.g. 20k,50k")
    parser.add_argument("--quick", action="store_true", help="smoke run: realistic and dense at 300 and 1k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=120.0, help="baseline time cap, seconds")
    parser.add_argument("--no-area-share", type=float, default=0.4, help="dense family: share without areas")
    parser.add_argument("--radius-scale", type=float, default=3.0, help="dense family: required radii factor")
    args = parser.parse_args(argv)
    if args.quick:
        runs = [(family, size) for size in ("300", "1k") for family in ("realistic", "dense")]
    elif args.sizes:
        runs = [("realistic", s.strip()) for s in args.sizes.split(",")]
    else:
        runs = [tuple(r.strip().split(":", 1)) for r in args.runs.split(",")]
    for run in runs:
        if len(run) != 2 or run[0] not in ("realistic", "dense") or run[1] not in SIZES:
            parser.error(f"bad run {':'.join(run)!r}; use FAMILY:SIZE with sizes {', '.join(SIZES)}")

    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, seed {args.seed}, "
        f"dense: no-area share {args.no_area_share}, radius scale {args.radius_scale}\n"
    )
    print(
        "| family | size (households x homes) | engine | wall s | peak MiB | feasible pairs | housed "
        "| total score | wall x engine | memory x engine | load avg |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    disagreements = 0
    with tempfile.TemporaryDirectory(prefix="safemoves-bench-") as folder_name:
        folder = Path(folder_name)
        for family, size in runs:
            n, m = SIZES[size]
            source = folder / f"in-{family}-{size}.json"
            doc = generate(n, m, seed=args.seed)
            if family == "dense":
                doc = densify(doc, args.no_area_share, args.radius_scale, seed=args.seed)
            source.write_text(json.dumps(doc), encoding="utf-8")
            del doc
            reference: dict[str, Any] | None = None
            for name, command in _engines(size, source, args.cap):
                output = folder / f"out-{family}-{size}-{name.replace(' ', '-')}.json"
                command = [*command, str(output)]
                measured = _run(command, output)
                load = os.getloadavg()[0]
                label = f"{family} | {n:,} x {m:,}"
                if measured["skipped"]:
                    print(f"| {label} | {name} | skipped: {measured['skipped']} | | | | | | | {load:.1f} |")
                    continue
                stats = measured["stats"]
                if reference is None:
                    reference = measured
                ref_stats = reference["stats"]
                agrees = (
                    stats["housed"] == ref_stats["housed"] and stats["feasible_pairs"] == ref_stats["feasible_pairs"]
                )
                if "total_score" in stats:
                    agrees = agrees and stats["total_score"] == ref_stats["total_score"]
                    total = f"{stats['total_score']:,}"
                else:
                    total = "(not scored)"
                disagreements += not agrees
                print(
                    f"| {label} | {name} | {measured['wall_s']:.2f} | {measured['peak_mib']:.0f} "
                    f"| {stats['feasible_pairs']:,} | {stats['housed']:,} "
                    f"| {total}{'' if agrees else ' (DISAGREES)'} "
                    f"| {measured['wall_s'] / reference['wall_s']:.2f} "
                    f"| {measured['peak_mib'] / reference['peak_mib']:.2f} | {load:.1f} |",
                    flush=True,
                )
    if disagreements:
        print(f"\n{disagreements} result(s) disagree with the engine", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
