"""Real processes for the scale-out and fault tests: gunicorn web processes (``safemoves
serve``) and a Celery worker, on one PostgreSQL database (the suite's) and the machine's Redis.

Each run uses its own cache key prefix and queue name, so runs beside other people's stay apart.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SAFEMOVES_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def skip_unless_services() -> None:
    """Skip, saying why, unless the suite runs on PostgreSQL and Redis answers."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: several processes share one database, and SQLite's test database lives in"
            " this process's memory (CI runs this in its PostgreSQL pass)"
        )
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        pytest.fail(f"Redis at {REDIS_URL} does not answer: the PostgreSQL pass needs it (.ci/run starts it)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@dataclass
class Web:
    process: subprocess.Popen[bytes]
    port: int

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]


@dataclass
class Cluster:
    env: dict[str, str]
    logs: Path
    prefix: str
    queue: str
    web: list[Web] = field(default_factory=list)
    worker: subprocess.Popen[bytes] | None = None

    def start_web(self) -> Web:
        port = free_port()
        log = (self.logs / f"web-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "safemoves", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        web = Web(process, port)
        wait_until(lambda: _answers(web.url("/healthz")), what=f"web process on port {port} to start")
        self.web.append(web)
        return web

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.logs / "worker.log").open("ab")
        options = ["--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safemoves.jobs.queue",
                "worker",
                "--queues",
                self.queue,
                *options,
                "--hostname",
                f"{self.queue}@%h",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: "ready." in self.worker_log(), what="the Celery worker to start")
        return self.worker

    def worker_log(self) -> str:
        path = self.logs / "worker.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def worker_children(self) -> list[int]:
        assert self.worker is not None
        pid = self.worker.pid
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def stop(self) -> None:
        processes = [web.process for web in self.web] + ([self.worker] if self.worker else [])
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback test server
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_until(check: Any, *, what: str, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def cluster(tmp: Path) -> Iterator[Cluster]:
    run = uuid.uuid4().hex[:10]
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "600",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"smtest-{run}",
            "CELERY_QUEUE": f"smtest-{run}",
            "LOG_FORMAT": "json",
        }
    )
    env.pop("SAFEMOVES_DEMO", None)
    running = Cluster(env=env, logs=tmp, prefix=f"smtest-{run}", queue=f"smtest-{run}")
    try:
        yield running
    finally:
        running.stop()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*smtest-{run}*"):
            client.delete(key)


class Browser:
    """A cookie-keeping HTTP client that answers Django's CSRF check like a browser."""

    def __init__(self, cookies: dict[str, str] | None = None) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.extra_cookies = cookies or {}
        self.location = ""

    def _request(self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - loopback
        if self.extra_cookies:
            # One Cookie header with the jar's cookies (the CSRF cookie) and the given session.
            cookies = {cookie.name: str(cookie.value) for cookie in self.jar} | self.extra_cookies
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        try:
            with self.opener.open(request, timeout=30) as response:
                self.location = ""
                return int(response.status), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            self.location = error.headers.get("Location", "")
            return int(error.code), error.read().decode("utf-8", "replace")

    def get(self, url: str) -> tuple[int, str]:
        return self._request(url)

    def csrf_token(self, url: str) -> str:
        status, body = self.get(url)
        assert status == 200, f"GET {url} gave {status}"
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post(self, url: str, fields: dict[str, str], *, token: str | None = None) -> tuple[int, str]:
        from urllib.parse import urlencode

        data = dict(fields)
        if token:
            data["csrfmiddlewaretoken"] = token
        return self._request(url, urlencode(data).encode(), {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(
        self, url: str, fields: dict[str, str], name: str, filename: str, content: bytes, *, token: str
    ) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for key, value in {**fields, "csrfmiddlewaretoken": token}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self._request(url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
