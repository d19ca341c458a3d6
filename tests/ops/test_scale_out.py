"""Scale-out proof: what one web process counts, the other sees; a job queued runs once."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.conf import settings

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job, JobState
from safemoves.organisations.models import Role
from safemoves.properties.models import Home, HomeImport
from tests.factories import PASSWORD, World, sign_in
from tests.ops.cluster import Browser, Cluster, wait_until
from tests.properties.helpers import csv_bytes, row

pytestmark = [pytest.mark.postgres_services, pytest.mark.django_db(transaction=True)]


def _session_cookie(user: object) -> dict[str, str]:
    from django.test import Client

    client = sign_in(Client(), user)  # type: ignore[arg-type]
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_a_lockout_through_one_web_process_holds_on_the_other(services: Cluster, world: World) -> None:
    first, second = services.web
    victim = world.a[Role.OFFICER].email
    attacker = Browser()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        token = attacker.csrf_token(first.url("/account/sign-in/"))
        guess = {"username": victim, "password": "guess"}
        status, body = attacker.post(first.url("/account/sign-in/"), guess, token=token)
        assert status == 200, body[:300]
        assert "Enter a correct e-mail address and password." in body
    # The last allowed failure, through the other process, completes the count ...
    other = Browser()
    token = other.csrf_token(second.url("/account/sign-in/"))
    status, body = other.post(second.url("/account/sign-in/"), {"username": victim, "password": "guess"}, token=token)
    assert status == 429
    assert "Sign-in paused" in body
    # ... and the right password is now refused through either process.
    for web in (first, second):
        fresh = Browser()
        token = fresh.csrf_token(web.url("/account/sign-in/"))
        status, body = fresh.post(web.url("/account/sign-in/"), {"username": victim, "password": PASSWORD}, token=token)
        assert status == 429, f"port {web.port}"


def test_a_rate_limit_through_one_web_process_holds_on_the_other(services: Cluster, world: World) -> None:
    from safemoves.intake.ratelimit import SUBMISSIONS_PER_HOUR

    first, second = services.web
    page = f"/get-in-touch/{world.a.organisation.slug}/"
    visitor = Browser()
    for _ in range(SUBMISSIONS_PER_HOUR):
        status, _ = visitor.post(first.url(page), {"name": ""})
        assert status == 200  # the form, with what to correct: counted all the same
    status, _ = visitor.post(second.url(page), {"name": ""})
    assert status == 429


def test_a_job_queued_through_one_web_process_runs_once_on_the_worker(services: Cluster, world: World) -> None:
    first = services.web[0]
    manager = world.a[Role.MANAGER]
    browser = Browser(_session_cookie(manager))
    token = browser.csrf_token(first.url("/homes/import/"))
    content = csv_bytes([row(), row(uprn="44012345679", address="Flat 3, 7 Orchard Row")])
    status, body = browser.post_file(
        first.url("/homes/import/"), {"mode": "all_or_nothing"}, "rows_file", "voids.csv", content, token=token
    )
    assert status == 302, body[:500]
    assert browser.location.startswith("/jobs/")
    job_id = browser.location.strip("/").split("/")[-1]

    def finished() -> bool:
        with organisation_scope(world.a.organisation.pk):
            return Job.objects.get(pk=job_id).finished

    wait_until(finished, what="the worker to run the import job")
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.get(pk=job_id)
        assert (job.state, job.attempts, job.error) == (JobState.SUCCEEDED, 1, "")
        assert HomeImport.objects.count() == 1
        assert Home.objects.count() == 2
    assert "Task safemoves.jobs.tasks.run_job[" in services.worker_log()

    # The same message delivered again (a broker redelivery): the worker skips it.
    from celery import Celery

    sender = Celery("sender", broker=services.env["REDIS_URL"])
    sender.send_task("safemoves.jobs.tasks.run_job", args=[job_id, world.a.organisation.pk], queue=services.queue)
    wait_until(lambda: "'skipped'" in services.worker_log(), what="the worker to skip the repeated job")
    with organisation_scope(world.a.organisation.pk):
        assert Job.objects.get(pk=job_id).attempts == 1
        assert HomeImport.objects.count() == 1
        assert Home.objects.count() == 2
    # Its starter sees it finished through the other web process.
    status, body = browser.get(services.web[1].url(f"/jobs/{job_id}/"))
    assert status == 200
    assert "Finished" in body


def test_readiness_through_both_processes_names_the_real_services(services: Cluster, db: None) -> None:
    for web in services.web:
        with urllib.request.urlopen(web.url("/readyz"), timeout=10) as response:  # noqa: S310 - loopback
            assert json.loads(response.read()) == {
                "status": "ready",
                "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
            }
