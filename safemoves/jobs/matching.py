"""The scheme's batch matching run as a background job (ADR 0009, 0025).

The coordinator starts it from the matching page; a worker runs the engine over the whole pool
(``pool.batch_proposals``, unchanged) and keeps what the page shows — request references, the
homes' landlords, districts, bedrooms, scores and the public reasons, nothing more than the
synchronous page showed — sealed as the job's output. The matching page then shows it to the
coordinator who started the run, with the same form to send the chosen proposals; the services
check every chosen pair again when it is sent, so a result that has aged is still safe to use.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safemoves.jobs.kinds import JobError, JobKind, Progress, register_job_kind
from safemoves.jobs.models import Job, JobOutput, JobState
from safemoves.jobs.services import job_output_content, job_output_store, job_start, job_starter
from safemoves.organisations.models import Membership
from safemoves.reciprocal import policies, pool

KIND = "matching_run"


def matching_job_start(*, membership: Membership) -> Job:
    if not policies.can_coordinate(membership):
        raise Http404
    return job_start(membership=membership, kind=KIND)


def _run(job: Job, progress: Progress) -> tuple[str, str]:
    membership = job_starter(job)
    if not policies.can_coordinate(membership):
        raise JobError("Only the scheme's coordinator can run the matching.")
    progress(5)
    result = pool.batch_proposals(membership)
    progress(90)
    shown: dict[str, Any] = {
        "households": result.households,
        "homes": result.homes,
        "proposals": [
            {
                "profile": {"request_id": str(each.profile.request_id), "reference": each.profile.reference},
                "home_id": str(each.home_id),
                "home_organisation": each.home_organisation,
                "home_area": each.home_area,
                "home_bedrooms": each.home_bedrooms,
                "score": each.score,
                "reasons": list(each.reasons),
            }
            for each in result.proposals
        ],
        "unmatched": [{"reference": profile.reference} for profile in result.unmatched],
    }
    return job_output_store(
        job=job, file_name="matching.json", content_type="application/json", content=json.dumps(shown).encode()
    )


def matching_result(membership: Membership, output_id: str) -> dict[str, Any]:
    """A run's proposals, for the coordinator who started it while it is kept; else 404."""
    try:
        key = UUID(output_id)
    except ValueError:
        raise Http404("No such matching run.") from None
    output = JobOutput.objects.filter(
        pk=key,
        organisation_id=membership.organisation_id,
        job__owner_id=membership.user_id,
        job__kind=KIND,
        job__state=JobState.SUCCEEDED,
        expires_at__gt=timezone.now(),
    ).first()
    if output is None or not policies.can_coordinate(membership):
        raise Http404("No such matching run.")
    shown: dict[str, Any] = json.loads(job_output_content(output))
    return shown


def register() -> None:
    register_job_kind(
        JobKind(
            name=KIND,
            label="Matching run over the scheme's pool",
            handler=_run,
            result_url=lambda output_id: f"{reverse('reciprocal:matching')}?result={output_id}",
        )
    )
