"""The heavy downloads of reports as background jobs (ADR 0024, 0025): a table's CSV or XLSX, the
board pack and the CORE lettings export.

The view checks the request and starts the job; a worker computes the figures with exactly the
functions the pages use (so suppression and formula escaping are unchanged), seals the file as
the job's output and records the export in the audit log. Only the person who started the job
downloads the file, from the job's page, and every download is audited too (jobs.services).
The handler acts as the starter *as they are when it runs*: a member who has lost the role by
then gets a failed job, not the file.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.utils import timezone

from safemoves.jobs.kinds import JobError, JobKind, Progress, register_job_kind
from safemoves.jobs.models import Job
from safemoves.jobs.services import job_output_store, job_start, job_starter
from safemoves.organisations.models import Membership
from safemoves.reports import exports, policies, scheme, selectors, services
from safemoves.reports.core import COLUMNS as CORE_COLUMNS
from safemoves.reports.core import CoreCodeError, code_list, core_rows
from safemoves.reports.pdf import board_pack_pdf
from safemoves.reports.tables import Period, Table

TABLE_KIND = "report_table"
BOARD_PACK_KIND = "board_pack"
CORE_KIND = "core_export"

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The tables of each dashboard, in page order (a test holds these to the dashboards' own keys),
# so that a request for a table is checked without computing any figure.
LANDLORD_TABLES = (
    "open_by_risk",
    "actions_due",
    "locks_24h",
    "response_times",
    "caseloads",
    "marac",
    "outcomes",
    "two_clocks_own",
    "emergency",
)
SCHEME_TABLES = (
    "funnel",
    "step_times",
    "rehoused_90",
    "two_clocks",
    "refusals",
    "moves",
    "tenure",
    "ledger_now",
    "ledger",
)
REPORT_TABLES = {"landlord": LANDLORD_TABLES, "scheme": SCHEME_TABLES}

NO_LONGER_ALLOWED = "You may no longer see this report, so the file was not made."


# --- starting (from the views, which have checked the policy and the input) ----------------


def _period_data(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def table_export_start(
    *, membership: Membership, report: str, table: str, fmt: str, period: Period, landlord: int | None
) -> Job:
    if table not in REPORT_TABLES[report] or fmt not in FORMATS:
        raise ValueError(f"no {fmt} of {report} table {table!r}")
    payload = {"report": report, "table": table, "fmt": fmt, "landlord": landlord, **_period_data(period)}
    return job_start(membership=membership, kind=TABLE_KIND, payload=json.dumps(payload))


def board_pack_start(*, membership: Membership, period: Period, landlord: int | None) -> Job:
    payload = {"landlord": landlord, **_period_data(period)}
    return job_start(membership=membership, kind=BOARD_PACK_KIND, payload=json.dumps(payload))


def core_export_start(*, membership: Membership, year: str, fmt: str) -> Job:
    if fmt not in FORMATS:
        raise ValueError(f"no CORE export as {fmt}")
    return job_start(membership=membership, kind=CORE_KIND, payload=json.dumps({"year": year, "fmt": fmt}))


# --- running (on a worker, in the job's organisation scope) ---------------------------------


def _period(data: dict[str, Any]) -> Period:
    return Period(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))


def _scheme_tables(membership: Membership, data: dict[str, Any]) -> list[Table]:
    if not policies.can_see_scheme_dashboard(membership):
        raise JobError(NO_LONGER_ALLOWED)
    scheme_id = scheme.scheme_of(membership.organisation_id)
    if scheme_id is None:
        raise JobError("Your landlord is no longer a member of a scheme.")
    # A manager's landlord lines are always their own landlord's, whatever the job was given.
    only = data["landlord"] if policies.sees_every_landlord_line(membership) else membership.organisation_id
    return scheme.scheme_dashboard(scheme_id, _period(data), only)


def _run_table(job: Job, progress: Progress) -> tuple[str, str]:
    data = json.loads(job.payload)
    membership = job_starter(job)
    report, key, fmt = data["report"], data["table"], data["fmt"]
    progress(5)
    if report == "landlord":
        if not policies.can_see_landlord_dashboard(membership):
            raise JobError(NO_LONGER_ALLOWED)
        tables = selectors.landlord_dashboard(membership.organisation_id, _period(data), timezone.now())
    else:
        tables = _scheme_tables(membership, data)
    progress(80)
    found = {each.key: each for each in tables}
    if key not in found:
        raise JobError("That table is no longer on the dashboard.")
    table = found[key]
    body = exports.table_csv(table) if fmt == "csv" else exports.table_xlsx(table)
    services.report_exported(
        actor=membership.user, organisation_id=membership.organisation_id, report=report, table=key, fmt=fmt
    )
    return job_output_store(job=job, file_name=f"{report}-{key}.{fmt}", content_type=FORMATS[fmt], content=body)


def _run_board_pack(job: Job, progress: Progress) -> tuple[str, str]:
    data = json.loads(job.payload)
    membership = job_starter(job)
    progress(5)
    tables = _scheme_tables(membership, data)
    progress(70)
    body = board_pack_pdf("SafeMoves scheme board pack", _period(data).label(), tables)
    services.report_exported(
        actor=membership.user, organisation_id=membership.organisation_id, report="board_pack", table="all", fmt="pdf"
    )
    return job_output_store(job=job, file_name="board-pack.pdf", content_type="application/pdf", content=body)


def _run_core(job: Job, progress: Progress) -> tuple[str, str]:
    data = json.loads(job.payload)
    membership = job_starter(job)
    if not policies.can_export_core(membership):
        raise JobError(NO_LONGER_ALLOWED)
    year, fmt = data["year"], data["fmt"]
    progress(5)
    codes = code_list(year)
    lettings = scheme.core_lettings(membership.organisation_id, codes.starts, codes.ends)
    progress(60)
    try:
        rows = core_rows(year, lettings)
    except CoreCodeError as error:
        # Names the field and the code, never the household: correct the move, then export again.
        raise JobError(
            f"The CORE export was refused. {error} Correct the tenancy on the move, then export again."
        ) from None
    if fmt == "csv":
        body = exports.csv_bytes(CORE_COLUMNS, rows)
    else:
        body = exports.xlsx_bytes(f"CORE {year.replace('/', '-')}", CORE_COLUMNS, rows)
    services.report_exported(
        actor=membership.user, organisation_id=membership.organisation_id, report="core", table=year, fmt=fmt
    )
    file_name = f"core-lettings-{year.replace('/', '-')}.{fmt}"
    return job_output_store(job=job, file_name=file_name, content_type=FORMATS[fmt], content=body)


def register() -> None:
    register_job_kind(JobKind(name=TABLE_KIND, label="Report table download", handler=_run_table, download=True))
    register_job_kind(JobKind(name=BOARD_PACK_KIND, label="Board pack (PDF)", handler=_run_board_pack, download=True))
    register_job_kind(JobKind(name=CORE_KIND, label="CORE lettings export", handler=_run_core, download=True))
