"""Start a background job through its view and fetch what it made, as its starter does.

In the suite there is no broker: the job runs in-process when its starting transaction commits,
which pytest-django's test transaction only does inside ``django_capture_on_commit_callbacks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.test import Client

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job

JOB_PAGE = re.compile(r"/jobs/(?P<id>[0-9a-f-]{36})/")
Capture = Callable[..., AbstractContextManager[Any]]


def start_job(
    client: Client,
    url: str,
    capture: Capture,
    *,
    query: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> str:
    """POST to the view that starts the job, run the job, and return the job page's address."""
    with capture(execute=True):
        started = client.post(f"{url}?{urlencode(query)}" if query else url, data or {})
    assert started.status_code == 302, started.status_code
    location = str(started["Location"])
    assert JOB_PAGE.fullmatch(location), location
    return location


def job_of(job_page: str, organisation_id: int) -> Job:
    found = JOB_PAGE.fullmatch(job_page)
    assert found is not None
    with organisation_scope(organisation_id):
        return Job.objects.get(pk=found["id"])


def download(client: Client, job_page: str) -> HttpResponse:
    """The job page offers the file; the starter downloads it from there."""
    page = client.get(job_page)
    assert page.status_code == 200
    assert f'href="{job_page}download/"'.encode() in page.content, page.content.decode()
    response = client.get(f"{job_page}download/")
    assert response.status_code == 200
    assert isinstance(response, HttpResponse)
    return response


def start_and_download(
    client: Client,
    url: str,
    capture: Capture,
    *,
    query: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> HttpResponse:
    return download(client, start_job(client, url, capture, query=query, data=data))
