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
from tests.jobrun import Capture, job_of, start_job
from tests.properties.helpers import csv_bytes, row
from tests.reciprocal.factories import circulated_request, make_home, reciprocal_case

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


def test_the_matching_run_is_a_job_whose_proposals_only_its_starter_sees(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    from safemoves.common.scoping import scopes_disabled
    from safemoves.jobs.models import JobOutput
    from safemoves.reciprocal import pool
    from safemoves.reciprocal.models import OfferProposal

    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    coordinator = world.a[Role.COORDINATOR]
    with organisation_scope(world.a.organisation.pk):
        expected = pool.batch_proposals(coordinator.membership)
    assert [(p.profile.request_id, p.home_id) for p in expected.proposals] == [(request.pk, home.pk)]

    client = sign_in(Client(), coordinator)
    job_page = start_job(client, "/reciprocal/matching/", django_capture_on_commit_callbacks, data={"run": "1"})
    job = job_of(job_page, world.a.organisation.pk)
    assert (job.kind, job.state, job.attempts, job.result_type) == (
        "matching_run",
        JobState.SUCCEEDED,
        1,
        "jobs.JobOutput",
    )
    with organisation_scope(world.a.organisation.pk):
        output = JobOutput.objects.get(job=job)
    result_url = f"/reciprocal/matching/?result={output.pk}"
    page = client.get(job_page)
    assert f'href="{result_url}"'.encode() in page.content
    assert b"/download/" not in page.content  # shown on the matching page, not a file
    shown = client.get(result_url).text
    (proposal,) = expected.proposals
    assert f'value="{request.pk}:{home.pk}"' in shown
    assert f"<td>{proposal.profile.reference}</td>" in shown
    assert f"<td>{proposal.home_organisation}</td>" in shown
    assert f"<td>{proposal.score}</td>" in shown
    assert all(f"<li>{reason}</li>" in shown for reason in proposal.reasons)
    assert "1 request and 1 home considered; 1 proposal." in shown
    # Nobody else sees the run's page or its proposals.
    for label, landlord in (("A", world.a), ("B", world.b)):
        for role in Role:
            if (label, role) != ("A", Role.COORDINATOR):
                other = sign_in(Client(), landlord[role])
                assert other.get(job_page).status_code == 404, (label, role)
                assert other.get(result_url).status_code == 404, (label, role)
    assert client.get("/reciprocal/matching/?result=not-a-uuid").status_code == 404
    # The shown proposals are sent as before.
    client.post("/reciprocal/matching/", {"proposal": f"{request.pk}:{home.pk}"})
    with scopes_disabled():
        assert OfferProposal.objects.filter(request=request, home=home).count() == 1
    # A GET never starts a run.
    client.get("/reciprocal/matching/?run=1")
    with organisation_scope(world.a.organisation.pk):
        assert Job.objects.filter(kind="matching_run").count() == 1
