from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safemoves.common.http import StaffRequest
from safemoves.jobs import selectors, services
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
    # A file or a shown result is kept for a while (ADR 0025); after that the job says so.
    output = selectors.job_output(job) if job.result_type == services.OUTPUT_RESULT_TYPE else None
    expired = job.result_type == services.OUTPUT_RESULT_TYPE and output is None
    result_url = kind.result_url(job.result_id) if kind and kind.result_url and job.result_id and not expired else None
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "label": kind.label if kind else job.kind,
            "progress": selectors.job_progress(job),
            "result_url": result_url,
            "output": output if kind and kind.download else None,
            "expired": expired,
        },
    )


@require_GET
def job_download_view(request: StaffRequest, job_id: UUID) -> HttpResponse:
    """The job's file, for the person who started it; anyone else, or after expiry: 404."""
    job, output = selectors.job_output_for_member(request.membership, job_id)
    kind = job_kinds().get(job.kind)
    if kind is None or not kind.download:
        raise Http404("No such file.")
    body = services.job_output_downloaded(membership=request.membership, job=job, output=output)
    response = HttpResponse(body, content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.file_name}"'
    response["Cache-Control"] = "no-store"
    return response
