"""``python -m bench concurrency``: concurrent edits of one case never lose an update.

Runs ``--runs`` rounds on a PostgreSQL database of its own; each round starts ``--editors``
threads that each save ``--edits`` edits of one fresh case with the version they read (the
case form's optimistic lock), retrying after a conflict. Every round checks that each edit is
in the case exactly once, the version moved once per edit and one audit event was written per
edit. It reports rounds, edits, conflicts met and any lost update (the target is none).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.web import DEFAULT_DATABASE, ROOT, _ensure_database, _environment


def _rounds(runs: int, editors: int, edits: int) -> int:
    import django

    django.setup()
    from safemoves.audit.models import AuditEvent
    from safemoves.cases.concurrency import expected_marks, race_edits
    from safemoves.cases.models import Case
    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.organisations.models import Role
    from tests.cases.factories import make_case
    from tests.factories import make_world

    with scopes_disabled():
        world = make_world() if not Case.objects.exists() else None
    if world is None:
        raise SystemExit("the concurrency bench database is not empty: drop it and run again")
    officer = world.a[Role.OFFICER]
    organisation_id = world.a.organisation.pk
    lost = conflicts = 0
    started = time.perf_counter()
    for _ in range(runs):
        case = make_case(world.a, assigned_to=officer)
        with organisation_scope(organisation_id):
            before = Case.objects.get(pk=case.pk)
        tally = race_edits(
            case_id=case.pk, organisation_id=organisation_id, actor=officer, editors=editors, edits_each=edits
        )
        conflicts += tally.conflicts
        with organisation_scope(organisation_id):
            after = Case.objects.get(pk=case.pk)
            events = AuditEvent.objects.filter(action="case.updated", object_id=str(case.pk)).count()
        marks = sorted(re.findall(r"\[e\d+\.\d+\]", after.referral_summary[len(before.referral_summary) :]))
        if (
            marks != expected_marks(editors, edits)
            or after.version != before.version + editors * edits
            or events != editors * edits
        ):
            lost += 1
    elapsed = time.perf_counter() - started
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"| {runs} | {editors} x {edits} | {runs * editors * edits} | {conflicts} | {lost} | {elapsed:.0f} s | {load} |"
    )
    return 1 if lost else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench concurrency", description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", DEFAULT_DATABASE))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _rounds(args.runs, args.editors, args.edits)
    name = f"sm_bench_concurrency_{os.getpid()}"
    _ensure_database(args.server, name)
    data_dir = Path(tempfile.mkdtemp(prefix="safemoves-bench-concurrency-"))
    env = _environment(f"{args.server}/{name}", data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    try:
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        print("| rounds | editors x edits | edits | conflicts met | rounds with a lost update | time | load average |")
        print("|---|---|---|---|---|---|---|")
        child = [sys.executable, "-m", "bench", "concurrency", "--child", "--runs", str(args.runs)]
        child += ["--editors", str(args.editors), "--edits", str(args.edits)]
        return subprocess.run(child, env=env, cwd=ROOT, check=False).returncode
    finally:
        import psycopg

        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
