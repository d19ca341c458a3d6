from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings

from safemoves.common.locks import cache_lock
from safemoves.common.scoping import organisation_scope
from safemoves.common.ticks import tick_jobs
from safemoves.jobs import tasks
from safemoves.jobs.kinds import JobError, JobKind, Progress, register_job_kind
from safemoves.jobs.models import Job, JobState
from safemoves.jobs.services import job_run, job_start
from safemoves.organisations.models import Role
from safemoves.properties.jobs import homes_import_job_start
from safemoves.properties.models import Home, HomeImport
from tests.factories import World, sign_in
from tests.properties.helpers import csv_bytes, row

pytestmark = pytest.mark.django_db

QUEUED_MAIL = {
    "EMAIL_BACKEND": "safemoves.jobs.mail.QueuedEmailBackend",
    "SAFEMOVES_EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _failing(job: Job, progress: Progress) -> tuple[str, str]:
    progress(40)
    raise JobError("The file names a landlord that is not yours.")


def _crashing(job: Job, progress: Progress) -> tuple[str, str]:
    HomeImport.objects.create(
        organisation_id=job.organisation_id, imported_by=job.owner, file_name="half.csv", mode="all_or_nothing"
    )
    raise RuntimeError("boom with Jane Example's address")


register_job_kind(JobKind(name="test_failing", label="A failing test job", handler=_failing))
register_job_kind(JobKind(name="test_crashing", label="A crashing test job", handler=_crashing))


def test_an_import_job_runs_once_and_its_starter_sees_the_result(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk), django_capture_on_commit_callbacks(execute=True):
        job = homes_import_job_start(
            membership=manager.membership,
            content=csv_bytes([row(), row(uprn="44012345679", address="Flat 3, 7 Orchard Row")]),
            file_name="voids.csv",
            mode="all_or_nothing",
        )
    with organisation_scope(world.a.organisation.pk):
        job.refresh_from_db()
        assert (job.state, job.progress, job.attempts, job.error) == (JobState.SUCCEEDED, 100, 1, "")
        record = HomeImport.objects.get()
        assert (job.result_type, job.result_id) == ("properties.HomeImport", str(record.pk))
        assert Home.objects.count() == 2
        # The message came again (a redelivery): the job is finished, nothing runs twice.
        assert job_run(job_id=job.pk, organisation_id=world.a.organisation.pk) == "skipped"
        assert Home.objects.count() == 2
        assert HomeImport.objects.count() == 1
    page = sign_in(Client(), manager).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert b"Import of void homes" in page.content
    assert b"Finished" in page.content
    assert b'href="/homes/import/"' in page.content
    listing = sign_in(Client(), manager).get("/jobs/")
    assert f"/jobs/{job.pk}/".encode() in listing.content


def test_a_job_is_visible_only_to_its_starter(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        job = Job.objects.create(organisation=world.a.organisation, owner=world.a[Role.MANAGER], kind="homes_import")
    assert sign_in(Client(), world.a[Role.MANAGER]).get(f"/jobs/{job.pk}/").status_code == 200
    assert sign_in(Client(), world.a[Role.ADMIN]).get(f"/jobs/{job.pk}/").status_code == 404
    assert sign_in(Client(), world.b[Role.MANAGER]).get(f"/jobs/{job.pk}/").status_code == 404
    assert f"/jobs/{job.pk}/".encode() not in sign_in(Client(), world.a[Role.ADMIN]).get("/jobs/").content


def test_a_failed_job_says_why_and_stays_visible(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    member = world.a[Role.OFFICER].membership
    with organisation_scope(world.a.organisation.pk), django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=member, kind="test_failing")
    with organisation_scope(world.a.organisation.pk):
        job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "The file names a landlord that is not yours."
    assert job.finished_at is not None
    page = sign_in(Client(), world.a[Role.OFFICER]).get(f"/jobs/{job.pk}/")
    assert b"The job failed" in page.content
    assert b"The file names a landlord that is not yours." in page.content


def test_a_crashing_job_leaves_nothing_half_written_and_shows_no_detail(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    member = world.a[Role.OFFICER].membership
    with organisation_scope(world.a.organisation.pk), django_capture_on_commit_callbacks(execute=True):
        job = job_start(membership=member, kind="test_crashing")
    with organisation_scope(world.a.organisation.pk):
        job.refresh_from_db()
        assert HomeImport.objects.count() == 0
    assert job.state == JobState.FAILED
    assert job.error == f"The job failed unexpectedly. Quote reference {job.pk} to your administrator."
    assert "Jane" not in job.error


def test_an_unknown_kind_is_refused_before_anything_is_queued(world: World) -> None:
    with organisation_scope(world.a.organisation.pk), pytest.raises(KeyError):
        job_start(membership=world.a[Role.OFFICER].membership, kind="no_such_kind")
    with organisation_scope(world.a.organisation.pk):
        assert Job.objects.count() == 0


@override_settings(**QUEUED_MAIL)
def test_send_mail_becomes_a_job_that_delivers_once() -> None:
    sent = send_mail("Safety action overdue", "Case SM-1 has an overdue action.", None, ["manager@alpha.test"])
    assert sent == 1
    assert len(mail.outbox) == 1
    assert (mail.outbox[0].subject, mail.outbox[0].to) == ("Safety action overdue", ["manager@alpha.test"])
    # The same message redelivered under the same key is not sent a second time.
    from safemoves.jobs.mail import serialise

    payload = serialise(mail.outbox[0])
    assert tasks.send_email.apply(args=[payload, "key-1"]).get() == "sent"
    assert tasks.send_email.apply(args=[payload, "key-1"]).get() == "already sent"
    assert len(mail.outbox) == 2


@override_settings(
    EMAIL_BACKEND="safemoves.jobs.mail.QueuedEmailBackend",
    SAFEMOVES_EMAIL_DELIVERY_BACKEND="tests.ops.test_jobs.RefusingBackend",
)
def test_mail_that_cannot_be_delivered_is_retried_then_reported(caplog: pytest.LogCaptureFixture) -> None:
    from safemoves.jobs.mail import serialise

    RefusingBackend.attempts = 0
    message = mail.EmailMessage("Subject", "Body", None, ["private.person@example.test"])
    result = tasks.send_email.apply(args=[serialise(message), "key-2"], retries=tasks.send_email.max_retries)
    assert result.get() == "failed"
    assert RefusingBackend.attempts == 1
    assert "e-mail key-2 not delivered after 9 attempts: ConnectionRefusedError" in caplog.text
    assert "private.person" not in caplog.text


class RefusingBackend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, email_messages: Any) -> int:
        type(self).attempts += 1
        raise ConnectionRefusedError


def test_the_clocks_run_under_a_shared_lock() -> None:
    cache.clear()
    with cache_lock("tick", seconds=60) as held:
        assert held
        assert tasks.tick.apply().get() == {"skipped": "another tick is running"}
    summary = tasks.tick.apply().get()
    assert (
        set(summary)
        == set(tick_jobs())
        == {
            "job outputs",
            "moves ledger",
            "offers",
            "requests waiting",
            "safety breaches",
            "tasks overdue",
        }
    )
    with cache_lock("tick", seconds=60) as held_again:
        assert held_again, "the tick released its lock"


def test_beat_runs_the_clocks() -> None:
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["clocks"]["task"] == tasks.tick.name
    assert settings.CELERY_BEAT_SCHEDULE["clocks"]["schedule"] == 300.0
