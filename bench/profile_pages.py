"""``python -m bench profile``: the CPU each staff page costs, request by request, in-process.

Seeds a small world with the web benchmark's seeding (``bench.web.seed``) in a PostgreSQL
database, then calls Django's WSGI handler directly (no server, no network client: the time
measured is the application's own) with the web benchmark's settings (``bench.web_settings``:
production settings, DEBUG off) and a seeded staff session. For each page it reports the
process CPU time per request (``time.process_time``) next to the minimal one-query page of
the same run, the Python function calls per request (which the machine's load cannot skew),
and with ``--profile PAGE`` a cProfile of that page (top entries by cumulative
and by own time, in CPU seconds).

The application's figures are CPU of this process only. Beside them, when the database server
runs on this machine, the CPU its backend process spent serving this process's connection
(read from ``/proc``, in clock ticks of 10 ms, so a median over many requests): on two cores
the database's work competes with the application's for the same CPU.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cpu_bench"
PAGES = [
    "minimal page",
    "officer's cases",
    "full case page",
    "all open cases (manager)",
    "triage (manager)",
    "caseloads (manager)",
    "scheme pool (lettings)",
    "home (officer)",
    "notifications (officer)",
]


def _configure(database_url: str, data_dir: Path) -> None:
    """The environment ``bench.web`` gives gunicorn, set before Django reads its settings."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.web_settings",
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
    os.environ.pop("SAFEMOVES_DEMO", None)
    os.environ.pop("DEBUG", None)
    (data_dir / "static").mkdir(parents=True, exist_ok=True)


def _ensure_database(database_url: str) -> None:
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


class Caller:
    """Calls the WSGI application the way a server does, with a browser's cookies."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def get(self, path: str, cookie: str = "") -> tuple[str, int]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status: list[str] = []

        def start_response(value: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            status.append(value)

        body = self.application(environ, start_response)
        size = 0
        try:
            for chunk in body:
                size += len(chunk)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return status[0], size


def _pages(info: dict[str, Any]) -> dict[str, tuple[str, str]]:
    from django.conf import settings

    from bench.web import cookie_header

    cookies = {
        role: cookie_header(info, role, settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        for role in info["cookies"]
    }
    return {
        "minimal page": ("/bench/minimal/", ""),
        "officer's cases": ("/cases/", cookies["officer"]),
        "full case page": (f"/cases/{info['case_id']}/", cookies["officer"]),
        "all open cases (manager)": ("/cases/", cookies["manager"]),
        "triage (manager)": ("/cases/triage/", cookies["manager"]),
        "caseloads (manager)": ("/cases/caseloads/", cookies["manager"]),
        "scheme pool (lettings)": ("/reciprocal/pool/", cookies["lettings_officer"]),
        "home (officer)": ("/", cookies["officer"]),
        "notifications (officer)": ("/notifications/", cookies["officer"]),
    }


def _backend_ticks() -> int | None:
    """CPU ticks the database backend serving Django's connection has used, if it runs here."""
    from django.db import connection

    from bench.web import cpu_ticks

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    if not Path(f"/proc/{pid}/stat").exists():
        return None  # the database server runs on another machine
    return cpu_ticks([pid])


def _database_cpu_per_request(caller: Caller, path: str, key: str, requests: int) -> float | None:
    """The database backend's CPU ms per request over ``requests`` requests (None if not local)."""
    before = _backend_ticks()
    for _ in range(requests):
        caller.get(path, key)
    after = _backend_ticks()
    if before is None or after is None:
        return None
    return (after - before) / os.sysconf("SC_CLK_TCK") * 1000 / requests


def _cpu_per_request(caller: Caller, path: str, key: str, requests: int) -> tuple[float, float, int]:
    """Median and minimum CPU ms of one request over ``requests`` requests, and the body size."""
    samples: list[float] = []
    size = 0
    for _ in range(requests):
        started = time.process_time()
        status, size = caller.get(path, key)
        samples.append((time.process_time() - started) * 1000)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
    return statistics.median(samples), min(samples), size


def _calls_per_request(caller: Caller, path: str, key: str, requests: int = 5) -> float:
    """Python function calls of one request: a measure of work the machine's load cannot skew."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        caller.get(path, key)
    profiler.disable()
    stats = pstats.Stats(profiler)
    return float(stats.total_calls) / requests  # type: ignore[attr-defined]  # set by Stats, absent from the stubs


def _profile(caller: Caller, path: str, key: str, requests: int, top: int, dump: str) -> str:
    profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for the database
    profiler.enable()
    for _ in range(requests):
        caller.get(path, key)
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    calls = stats.total_calls / requests  # type: ignore[attr-defined]  # set by Stats, absent from the stubs
    out.write(f"## cProfile of {requests} requests to {path} ({calls:,.0f} calls a request): top {top} by cumulative\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write(f"## top {top} by own time\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench profile", description=__doc__)
    parser.add_argument("--database", default=os.environ.get("BENCH_PROFILE_DATABASE", DEFAULT_DATABASE))
    parser.add_argument("--cases", type=int, default=2_000, help="cases to seed (the database is reused)")
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page names (the minimal page always runs)")
    parser.add_argument("--profile", action="append", default=[], help="page to profile (repeatable)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", default="", help="also save each profile's raw stats to DUMP-<n>.prof")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "safemoves-bench-profile"))
    args = parser.parse_args(argv)

    _configure(args.database, Path(args.data_dir))
    _ensure_database(args.database)
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0)
    from bench.web import seed

    info = seed(args.cases)
    application = get_wsgi_application()
    from safemoves.common.gc_tuning import tune_for_serving

    tune_for_serving()  # as safemoves.wsgi serves (ADR 0038)
    caller = Caller(application)
    pages = _pages(info)
    names = PAGES
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        names = [name for name in PAGES if name in wanted or name == "minimal page"]
    for name in names:
        path, key = pages[name]
        for _ in range(args.warmup):
            caller.get(path, key)

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"# CPU per request, in-process, {args.requests} requests a page, {args.cases:,} cases, load {load}\n")
    print("| page | CPU ms/req (median) | CPU ms/req (min) | x minimal | calls/req | database CPU ms/req | KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    minimal = 0.0
    for name in names:
        path, key = pages[name]
        median, least, size = _cpu_per_request(caller, path, key, args.requests)
        if name == "minimal page":
            minimal = median
        ratio = median / minimal if minimal else 0.0
        calls = _calls_per_request(caller, path, key)
        database = _database_cpu_per_request(caller, path, key, max(args.requests, 200))
        shown = "n/a" if database is None else f"{database:.1f}"
        print(
            f"| {name} | {median:.1f} | {least:.1f} | {ratio:.1f} | {calls:,.0f} | {shown} | {size / 1024:.0f} |",
            flush=True,
        )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nload average after: {load}\n")
    for number, name in enumerate(args.profile):
        path, key = pages[name]
        dump = f"{args.dump}-{number}.prof" if args.dump else ""
        print(_profile(caller, path, key, args.requests, args.top, dump))
    if args.profile:
        print(json.dumps({"pool_size": info["pool_size"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
