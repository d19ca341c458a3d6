"""``python -m bench web``: the staff pages against a minimal one-query Django page.

For each size it seeds a PostgreSQL database with N cases in bulk through the real models,
starts gunicorn (sync workers, production settings, DEBUG off) on loopback and measures each
page twice over: single requests one after another (median and p95 latency, queries do not
matter here) and under load (50 connections; wrk when installed, else a threaded Python
client), with the CPU the gunicorn workers spent per request read from ``/proc``. The minimal
page runs first and last; each page's throughput is reported as a share of it.

The machine is shared: run it sparingly, and read the ratios and the load average, not the
absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
LANDLORDS = 12
OFFICERS_PER_LANDLORD = 8
POOL_SHARE = 0.0045  # 445 circulated requests at 100k cases, as measured in issue 12
CLOSED_SHARE = 0.6
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent


# --- seeding (runs inside Django, in a child process) --------------------------------------


def seed(cases: int) -> dict[str, Any]:
    """Landlords, staff with second factors, ``cases`` cases and a pool, in bulk."""
    import random
    import uuid
    from datetime import date, timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safemoves.accounts.backends import STAFF_BACKEND
    from safemoves.accounts.models import User
    from safemoves.accounts.services import LAST_SEEN_AT, LOGIN_AT, SIGNED_IN_ORGANISATION
    from safemoves.cases.codes import CaseSource, CaseStatus
    from safemoves.cases.models import Case
    from safemoves.common.scoping import scopes_disabled
    from safemoves.organisations.models import Membership, Organisation, Role, Scheme, SchemeMembership
    from safemoves.reciprocal.codes import RequestStatus
    from safemoves.reciprocal.models import MoveRequest, SharedProfile

    rng = random.Random(12)
    areas = [
        "E06000035", "E07000105", "E07000106", "E07000107", "E07000108", "E07000109", "E07000110",
        "E07000111", "E07000112", "E07000113", "E07000114", "E07000115", "E07000116",
    ]  # fmt: skip
    now = timezone.now()
    with scopes_disabled():
        existing = Case.objects.count()
        if existing not in (0, cases):
            raise SystemExit(f"the bench database holds {existing} cases, not {cases}: drop it and run again")
        if not existing:
            scheme = Scheme.objects.create(name="Bench scheme", slug="bench-scheme")
            for index in range(LANDLORDS):
                organisation = Organisation.objects.create(
                    name=f"Bench landlord {index}",
                    slug=f"bench-{index}",
                    kind=Organisation.Kind.HOUSING_ASSOCIATION,
                    area_codes=[areas[index % len(areas)], areas[(index + 5) % len(areas)]],
                )
                SchemeMembership.objects.create(scheme=scheme, organisation=organisation)
                roles = [Role.MANAGER, Role.LETTINGS_OFFICER, Role.COORDINATOR] + [Role.OFFICER] * OFFICERS_PER_LANDLORD
                for number, role in enumerate(roles):
                    user = User.objects.create_user(
                        f"{role.value}{number}@bench-{index}.test", None, full_name=f"{role.label} {number}"
                    )
                    Membership.objects.create(user=user, organisation=organisation, role=role)
                    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            officers: dict[int, list[int]] = {}
            for membership in Membership.objects.filter(role=Role.OFFICER):
                officers.setdefault(membership.organisation_id, []).append(membership.user_id)
            organisation_ids = sorted(officers)
            batch: list[Case] = []
            requests: list[MoveRequest] = []
            profiles: list[SharedProfile] = []
            nominator = {m.organisation_id: m.user_id for m in Membership.objects.filter(role=Role.MANAGER)}
            for number in range(cases):
                organisation_id = organisation_ids[number % LANDLORDS]
                received = now - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1440))
                closed = rng.random() < CLOSED_SHARE
                status = CaseStatus.CLOSED if closed else rng.choice([CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.OPEN])
                officer = None if status == CaseStatus.NEW else rng.choice(officers[organisation_id])
                case = Case(
                    id=uuid.uuid4(),
                    organisation_id=organisation_id,
                    reference=f"B{number:07d}",
                    status=status,
                    source=CaseSource.POLICE,
                    assigned_officer_id=officer,
                    received_at=received,
                    first_contact_due_at=received + timedelta(days=1),
                    closed_at=received + timedelta(days=90) if closed else None,
                    next_due_at=None if closed else now + timedelta(hours=rng.randint(-72, 500)),
                    lead_name=f"Tenant {number}",
                    lead_date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                    address=f"{number} Bench Street",
                    postcode="ME4 4AA",
                    referral_summary="Bench referral.",
                    tenure="7",
                )
                batch.append(case)
                if not closed and rng.random() < POOL_SHARE / (1 - CLOSED_SHARE):
                    request = MoveRequest(
                        id=uuid.uuid4(),
                        organisation_id=organisation_id,
                        case_id=case.id,
                        scheme_id=scheme.pk,
                        reference=f"KB{number:07d}"[-12:],
                        status=RequestStatus.CIRCULATED,
                        nominating_officer_id=nominator[organisation_id],
                        bedrooms_needed=rng.randint(1, 4),
                        urgent=rng.random() < 0.3,
                        created_by_id=nominator[organisation_id],
                        circulated_at=now,
                    )
                    requests.append(request)
                    safe = rng.sample(areas[1:], 5)
                    profiles.append(
                        SharedProfile(
                            organisation_id=organisation_id,
                            request_id=request.id,
                            data={
                                "reference": request.reference,
                                "adults": 1,
                                "children_age_bands": [],
                                "bedrooms_needed": request.bedrooms_needed,
                                "access_need": "",
                                "pets": False,
                                "safe_areas": safe,
                                "risk_band": rng.choice(["standard", "medium", "high"]),
                                "tenure_to_keep": "7",
                                "urgent": request.urgent,
                                "days_waiting": rng.randint(0, 400),
                            },
                        )
                    )
                if len(batch) >= 2000:
                    Case.objects.bulk_create(batch)
                    batch = []
            Case.objects.bulk_create(batch)
            MoveRequest.objects.bulk_create(requests)
            SharedProfile.objects.bulk_create(profiles)
        organisation = Organisation.objects.get(slug="bench-0")
        people = {
            membership.role: membership.user
            for membership in Membership.objects.filter(organisation=organisation).select_related("user")
        }
        case_officer = people[Role.OFFICER]
        shown_case = (
            Case.objects.filter(organisation=organisation, assigned_officer=case_officer)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("reference")
            .first()
        )
        assert shown_case is not None
        cookies = {}
        csrf = {}
        for role in (Role.OFFICER, Role.MANAGER, Role.LETTINGS_OFFICER):
            user = people[role]
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = STAFF_BACKEND  # a backend listed in AUTHENTICATION_BACKENDS
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
            session[LOGIN_AT] = session[LAST_SEEN_AT] = now.timestamp()
            session[SIGNED_IN_ORGANISATION] = organisation.pk  # as complete_login keeps it
            session.create()
            cookies[role.value] = session.session_key
            # A browser sends back the CSRF cookie its first page set: without one, every
            # request would make and set a new secret, which no signed-in officer's browser does.
            csrf[role.value] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        pool_size = SharedProfile.objects.count()
    return {"cookies": cookies, "csrf": csrf, "case_id": str(shown_case.pk), "pool_size": pool_size}


def cookie_header(info: dict[str, Any], role: str, session_cookie: str, csrf_cookie: str) -> str:
    """The Cookie header of a signed-in browser of ``role``: its session and its CSRF secret."""
    return f"{session_cookie}={info['cookies'][role]}; {csrf_cookie}={info['csrf'][role]}"


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    single_p50_ms: float
    single_p95_ms: float
    bytes: int
    rps: float = 0.0
    load_p50_ms: float = 0.0
    load_p95_ms: float = 0.0
    load_p99_ms: float = 0.0
    cpu_ms: float = 0.0
    errors: int = 0


def _get(port: int, path: str, cookie: str) -> tuple[int, int]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def cpu_ticks(pids: list[int]) -> int:
    """utime + stime of these processes, in clock ticks (a process that has gone counts 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _python_load(port: int, path: str, cookie: str, connections: int, seconds: float) -> tuple[int, int, list[float]]:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _ = _get(port, path, cookie)
            except OSError:
                status = 0
            if status != 200:
                failed += 1
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors, latencies


def _wrk_load(
    wrk: str, port: int, path: str, cookie: str, connections: int, seconds: float
) -> tuple[int, int, float, float, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("JSON {\\"requests\\": %d, \\"errors\\": %d, \\"p50\\": %f, \\"p95\\": %f,'
        ' \\"p99\\": %f}\\n",\n'
        "    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read"
        " + summary.errors.write + summary.errors.timeout,\n"
        "    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))\n"
        "end\n"
    )
    try:
        output = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                "-H",
                f"Cookie: {cookie}",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        script.unlink()
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    data = json.loads(line[5:])
    return int(data["requests"]), int(data["errors"]), float(data["p50"]), float(data["p95"]), float(data["p99"])


def _load(
    wrk: str | None, port: int, path: str, cookie: str, connections: int, seconds: float
) -> tuple[int, int, float, float, float]:
    if wrk:
        return _wrk_load(wrk, port, path, cookie, connections, seconds)
    requests, errors, latencies = _python_load(port, path, cookie, connections, seconds)
    return (
        requests,
        errors,
        _percentile(latencies, 0.5),
        _percentile(latencies, 0.95),
        _percentile(latencies, 0.99),
    )


@dataclass
class SoakMinute:
    minute: int
    requests: int
    rps: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def soak(port: int, path: str, cookie: str, *, connections: int, seconds: float) -> list[SoakMinute]:
    """Load one page for ``seconds`` in one-minute slices; every failed request is counted."""
    wrk = shutil.which("wrk")
    slices: list[SoakMinute] = []
    remaining = seconds
    while remaining > 0:
        length = min(60.0, remaining)
        started = time.perf_counter()
        requests, errors, p50, p95, p99 = _load(wrk, port, path, cookie, connections, length)
        elapsed = time.perf_counter() - started
        slices.append(SoakMinute(len(slices) + 1, requests, requests / elapsed, errors, p50, p95, p99))
        remaining -= length
    return slices


def soak_report(name: str, slices: list[SoakMinute], load_average: str) -> str:
    total = sum(s.requests for s in slices)
    errors = sum(s.errors for s in slices)
    lines = [
        f"### Soak: {name}, {len(slices)} minute(s) (load average after {load_average})",
        "",
        "| minute | requests | req/s | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in slices:
        lines.append(
            f"| {s.minute} | {s.requests} | {s.rps:.0f} | {s.errors} |"
            f" {s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} |"
        )
    lines += ["", f"Total: {total} requests, {errors} errors ({'PASS' if errors == 0 else 'FAIL'}: zero errors)."]
    return "\n".join(lines)


def measure(
    name: str, port: int, path: str, cookie: str, pids: list[int], *, load: bool, connections: int, seconds: float
) -> Result:
    for _ in range(10):  # every worker loads its templates and connects
        status, _ = _get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{name}: {path} answered {status}")
    singles: list[float] = []
    size = 0
    for _ in range(30):
        started = time.perf_counter()
        _, size = _get(port, path, cookie)
        singles.append((time.perf_counter() - started) * 1000)
    result = Result(name, statistics.median(singles), _percentile(singles, 0.95), size)
    if not load:
        return result
    wrk = shutil.which("wrk")
    ticks = cpu_ticks(pids)
    started = time.perf_counter()
    requests, errors, p50, p95, p99 = _load(wrk, port, path, cookie, connections, seconds)
    elapsed = time.perf_counter() - started
    used = cpu_ticks(pids) - ticks
    result.rps = requests / elapsed
    result.load_p50_ms, result.load_p95_ms, result.load_p99_ms, result.errors = p50, p95, p99, errors
    result.cpu_ms = used / os.sysconf("SC_CLK_TCK") * 1000 / max(requests, 1)
    return result


def _environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.web_settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "600",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "AUDIT_HMAC_KEY": "bench-only-audit-key",
            "SAFEMOVES_KEYRING_FILE": str(data_dir / "keyring.json"),
            "SAFEMOVES_KEYRING_AUTOCREATE": "1",
            "SAFEMOVES_DATA_DIR": str(data_dir),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    env.pop("SAFEMOVES_DEMO", None)
    env.pop("DEBUG", None)
    return env


def _ensure_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def run_size(label: str, args: argparse.Namespace) -> tuple[dict[str, Any], list[Result]]:
    cases = SIZES[label]
    database_url = f"{args.server}/sm_bench_web_{label}"
    _ensure_database(args.server, f"sm_bench_web_{label}")
    data_dir = Path(args.data_dir)
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    env = _environment(database_url, data_dir)
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    seeded = subprocess.run(
        [python, "-m", "bench.web", "--seed", str(cases)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    info: dict[str, Any] = json.loads(seeded.stdout.strip().splitlines()[-1])
    info["seed_s"] = time.perf_counter() - started
    port = args.port
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "safemoves.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(data_dir / "gunicorn.log"),
        ],
        env=env,
        cwd=ROOT,
    )
    results: list[Result] = []
    try:
        for _ in range(100):
            time.sleep(0.2)
            try:
                _get(port, "/bench/minimal/", "")
                break
            except OSError:
                continue
        pids = _workers(server.pid)
        cookies = {role: cookie_header(info, role, "__Host-sm_session", "__Host-sm_csrf") for role in info["cookies"]}
        pages = [
            ("minimal page", "/bench/minimal/", ""),
            ("sign-in page", "/account/sign-in/", ""),
            ("officer's cases", "/cases/", cookies["officer"]),
            ("full case page", f"/cases/{info['case_id']}/", cookies["officer"]),
            ("all open cases (manager)", "/cases/", cookies["manager"]),
            ("triage (manager)", "/cases/triage/", cookies["manager"]),
            ("caseloads (manager)", "/cases/caseloads/", cookies["manager"]),
            ("scheme pool (lettings)", "/reciprocal/pool/", cookies["lettings_officer"]),
            ("minimal page (again)", "/bench/minimal/", ""),
        ]
        if args.pages:
            wanted = {name.strip() for name in args.pages.split(",")}
            pages = [page for page in pages if page[0] in wanted or page[0].startswith("minimal page")]
        for name, path, cookie in pages:
            results.append(
                measure(
                    name, port, path, cookie, pids, load=args.load, connections=args.connections, seconds=args.seconds
                )
            )
        if args.soak:
            name, path, cookie = next(page for page in pages if page[0] == args.soak_page)
            info["soak"] = soak_report(
                name,
                soak(port, path, cookie, connections=args.connections, seconds=args.soak),
                " ".join(f"{value:.2f}" for value in os.getloadavg()),
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    info["load_average"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return info, results


def report(label: str, info: dict[str, Any], results: list[Result], *, load: bool) -> str:
    minimal = [result.rps for result in results if result.name.startswith("minimal page")]
    baseline = statistics.mean(minimal) if minimal else 0.0
    lines = [
        f"### {label} cases ({info['pool_size']} requests in the pool; seeded in {info['seed_s']:.0f} s;"
        f" load average after the run {info['load_average']})",
        "",
    ]
    if load:
        lines += [
            "| page | single p50 ms | single p95 ms | req/s | share of minimal | p50 ms | p95 ms | p99 ms | errors"
            " | CPU ms/req | KB |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in results:
            share = f"{100 * r.rps / baseline:.0f} %" if baseline else "-"
            lines.append(
                f"| {r.name} | {r.single_p50_ms:.1f} | {r.single_p95_ms:.1f} | {r.rps:.0f} | {share} |"
                f" {r.load_p50_ms:.0f} | {r.load_p95_ms:.0f} | {r.load_p99_ms:.0f} | {r.errors} | {r.cpu_ms:.1f} |"
                f" {r.bytes / 1024:.0f} |"
            )
    else:
        lines += ["| page | single p50 ms | single p95 ms | KB |", "|---|---|---|---|"]
        for r in results:
            lines.append(f"| {r.name} | {r.single_p50_ms:.1f} | {r.single_p95_ms:.1f} | {r.bytes / 1024:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench web", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k", help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", DEFAULT_DATABASE))
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "safemoves-bench-web"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--no-load", dest="load", action="store_false", help="single requests only")
    parser.add_argument("--pages", help="comma-separated page names to measure (the minimal page always runs)")
    parser.add_argument("--soak", type=float, default=0.0, help="after the pages, load one page this many seconds")
    parser.add_argument("--soak-page", default="full case page", help="the page the soak loads")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed is not None:
        import django

        django.setup()
        print(json.dumps(seed(args.seed)))
        return 0
    generator = "wrk" if shutil.which("wrk") else "a threaded Python client (install wrk for sharper figures)"
    print(f"# Web benchmark: gunicorn {args.workers} sync workers, {args.connections} connections, {generator}\n")
    for label in args.sizes.split(","):
        info, results = run_size(label.strip(), args)
        print(report(label.strip(), info, results, load=args.load) + "\n", flush=True)
        if "soak" in info:
            print(info["soak"] + "\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
