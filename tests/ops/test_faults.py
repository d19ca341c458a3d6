"""Faults on real processes: kill -9 mid-write, database connections cut under the service."""

from __future__ import annotations

import json
import os
import signal
import threading
import urllib.request
import uuid

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import CaseNote
from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job, JobState
from safemoves.organisations.models import Role
from safemoves.properties.models import HomeImport
from tests.cases.factories import make_case
from tests.factories import World, sign_in
from tests.ops.cluster import REDIS_URL, Browser, Cluster, wait_until
from tests.testapp.jobs import SLOW

pytestmark = [pytest.mark.postgres_services, pytest.mark.django_db(transaction=True)]


def _session_cookie(user: object) -> dict[str, str]:
    from django.test import Client

    client = sign_in(Client(), user)  # type: ignore[arg-type]
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _ready(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test server
        data: dict[str, object] = json.loads(response.read())
        return data


def test_kill_9_of_a_web_process_mid_writes_loses_no_acknowledged_write(services: Cluster, world: World) -> None:
    web = services.web[0]
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    page = f"/cases/{case.pk}/notes/add/"
    acknowledged: list[str] = []
    attempted = 0
    lock = threading.Lock()
    stop = threading.Event()

    def hammer() -> None:
        nonlocal attempted
        browser = Browser(_session_cookie(officer))
        while not stop.is_set():
            body = f"fault note {uuid.uuid4().hex}"
            try:
                token = browser.csrf_token(web.url(page))
                status, _ = browser.post(web.url(page), {"body": body}, token=token)
            except (OSError, AssertionError):
                status = 0  # the process died under us: not acknowledged
            with lock:
                attempted += 1
                if status == 302:
                    acknowledged.append(body)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(acknowledged) >= 10, what="the first acknowledged notes")
        victims = web.workers()
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        # gunicorn's master starts a new worker; writes go on through it.
        wait_until(lambda: web.workers() and web.workers() != victims, what="a new web worker")
        settled = len(acknowledged)
        wait_until(lambda: len(acknowledged) >= settled + 10, what="writes through the new worker")
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    with organisation_scope(world.a.organisation.pk):
        notes = {note.pk: note.body for note in CaseNote.objects.filter(case=case)}
        events = list(
            AuditEvent.objects.filter(action="case.note_added", object_id=str(case.pk)).values_list("reason", flat=True)
        )
    stored = set(notes.values())
    assert set(acknowledged) <= stored, "an acknowledged note is missing"
    assert len(stored) == len(notes), "a note was stored twice"
    # Nothing half-written: every note has its audit event, and every event its note.
    assert sorted(events) == sorted(f"note {pk}" for pk in notes)
    assert len(notes) <= attempted


def test_kill_9_of_a_worker_mid_job_runs_the_job_again_once(services: Cluster, world: World) -> None:
    manager = world.a[Role.MANAGER]
    rows, label = 40, f"slow-{uuid.uuid4().hex[:8]}"
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(
            organisation=world.a.organisation,
            owner=manager,
            kind=SLOW,
            payload=json.dumps({"rows": rows, "label": label, "pause": 0.1}),
        )
    sender = Celery("sender", broker=services.env["REDIS_URL"])
    sender.send_task("safemoves.jobs.tasks.run_job", args=[str(job.pk), world.a.organisation.pk], queue=services.queue)
    cache = redis.Redis.from_url(REDIS_URL)
    progress_key = f"{services.prefix}:1:jobs:progress:{job.pk}"

    def halfway() -> bool:
        value = cache.get(progress_key)
        return value is not None and 25 <= int(value) < 75

    wait_until(halfway, what="the job to be half done")
    for pid in services.worker_children():
        os.kill(pid, signal.SIGKILL)

    def finished() -> bool:
        with organisation_scope(world.a.organisation.pk):
            return Job.objects.get(pk=job.pk).finished

    wait_until(finished, what="the job to run again to the end", seconds=120)
    with organisation_scope(world.a.organisation.pk):
        job.refresh_from_db()
        written = sorted(str(record.file_name) for record in HomeImport.objects.all())
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 2)
    # The killed attempt left nothing: each row once, from the attempt that committed.
    assert written == sorted(f"{label}-{n}" for n in range(rows))


def test_the_service_recovers_when_its_database_connections_are_cut(services: Cluster, world: World) -> None:
    officer = world.a[Role.OFFICER]
    browser = Browser(_session_cookie(officer))
    for web in services.web:
        assert _ready(web.url("/readyz"))["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
        for _ in range(2):  # the second reads the session with what it named (ADR 0035)
            assert browser.get(web.url("/cases/"))[0] == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (mine,) = cursor.fetchone()
    # Not a restart of the machine's PostgreSQL (others use it): cut every connection to our own
    # database but this test's, as a restart or failover would.
    dsn = services.env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s) AS killed",
            [mine],
        ).fetchone()
    assert cut is not None
    assert cut[0] >= len(services.web), "each web process held a persistent connection"
    # The very next request through each process is served: no restart of the service. A staff
    # page first: its first block of reads stands for the connection's health check, so it
    # meets the cut connection and is sent again on a new one.
    for web in services.web:
        status, page = browser.get(web.url("/cases/"))
        assert status == 200
        assert "<h1>My cases</h1>" in page
        assert _ready(web.url("/readyz")) == {
            "status": "ready",
            "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        }
