from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safemoves.common.http import StaffRequest
from safemoves.jobs import selectors
from safemoves.jobs.kinds import job_kinds


@require_GET
def job_list_view(request: StaffRequest) -> HttpResponse:
    jobs = list(selectors.jobs_for_member(request.membership))
    kinds = job_kinds()
    rows = [
        (job, kinds[job.kind].label if job.kind in kinds else job.kind, selectors.job_progress(job)) for job in jobs
    ]
    return render(request, "jobs/list.html", {"rows": rows})


@require_GET
def job_detail_view(request: StaffRequest, job_id: UUID) -> HttpResponse:
    job = selectors.job_for_member(request.membership, job_id)
    kind = job_kinds().get(job.kind)
    result_url = kind.result_url(job.result_id) if kind and kind.result_url and job.result_id else None
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "label": kind.label if kind else job.kind,
            "progress": selectors.job_progress(job),
            "result_url": result_url,
        },
    )
