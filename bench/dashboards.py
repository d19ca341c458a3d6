"""``python -m bench dashboards``: the report dashboards at scale, beside a naive ORM loop.

Seeds a PostgreSQL database (``--database``, default ``dash_bench``) with N cases (default
1,000,000) and their safety actions, DASH assessments, MARAC referrals, move requests,
offers, moves and ledger entries, with COPY; every encrypted column holds one precomputed
ciphertext (the dashboards never decrypt). Then it times each dashboard's selectors (the SQL
aggregates the pages run) and a naive baseline measured in the same run: the ORM loading the
same rows into Python and computing the same figures there (with the N+1 reads a loop over
cases makes). Both answers are compared, so the figures are checked as well as timed.

Seeding 1,000,000 cases takes several minutes; a database already holding N cases is reused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
LANDLORDS = 12
OFFICERS_PER_LANDLORD = 8
CLOSED_SHARE = 0.9
REQUEST_SHARE = 0.05
REPEATS = 3


# --- seeding --------------------------------------------------------------------------------


def _copy(model: Any, rows: Iterable[dict[str, Any]], constant: dict[str, Any]) -> int:
    """COPY rows into the model's table; ``constant`` fills the columns every row shares."""
    from django.db import connection

    # Auto-numbered keys are left to the database.
    fields = [field for field in model._meta.concrete_fields if not getattr(field, "db_returning", False)]
    columns = [field.column for field in fields]
    count = 0
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        statement = f"COPY {model._meta.db_table} ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                merged = {**constant, **row}
                copy.write_row([merged[field.attname] for field in fields])
                count += 1
    return count


def _constants(model: Any, cipher: str, now: datetime) -> dict[str, Any]:
    """A value for every column no row sets: encrypted text gets the one ciphertext."""
    from safemoves.common.fields import EncryptedTextField

    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            values[field.attname] = cipher
        elif field.null:
            values[field.attname] = None
        elif field.has_default():
            default = field.get_default()
            values[field.attname] = now if isinstance(default, datetime) else default
        elif field.empty_strings_allowed and not field.primary_key:
            values[field.attname] = ""
    return values


def seed(cases: int) -> dict[str, Any]:
    """Landlords, staff and ``cases`` cases with everything the dashboards count, in bulk (all or nothing)."""
    from django.db import transaction

    with transaction.atomic():
        return _seed(cases)


def _seed(cases: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from safemoves.accounts.models import User
    from safemoves.cases.models import Case
    from safemoves.common.scoping import scopes_disabled
    from safemoves.organisations.models import Membership, Organisation, Role, Scheme, SchemeMembership
    from safemoves.properties.models import Home
    from safemoves.reciprocal.models import LedgerEntry, Move, MoveRequest, Offer
    from safemoves.reports.services import time_to_safety_rebuild
    from safemoves.risk.models import MaracReferral, RiskAssessment
    from safemoves.safety.models import SafetyAction, SafetyActionType

    now = timezone.now()
    with scopes_disabled():
        existing = Case.objects.count()
        if existing == cases:
            return {"seeded": False}
        if existing:
            raise SystemExit(f"the bench database holds {existing} cases, not {cases}: drop it and run again")
        scheme = Scheme.objects.create(name="Bench scheme", slug="bench-scheme")
        officers: dict[int, list[int]] = {}
        managers: dict[int, int] = {}
        organisations = []
        for index in range(LANDLORDS):
            organisation = Organisation.objects.create(
                name=f"Bench landlord {index:02d}",
                slug=f"bench-{index}",
                kind="housing_association",
                area_codes=["E07000110"],
            )
            organisations.append(organisation.pk)
            SchemeMembership.objects.create(scheme=scheme, organisation=organisation)
            roles = [Role.MANAGER, Role.COORDINATOR, Role.LETTINGS_OFFICER] + [Role.OFFICER] * OFFICERS_PER_LANDLORD
            for number, role in enumerate(roles):
                user = User.objects.create_user(
                    f"{role.value}{number}@bench-{index}.test", None, full_name=f"{role.label} {index}-{number}"
                )
                Membership.objects.create(user=user, organisation=organisation, role=role)
                if role == Role.OFFICER:
                    officers.setdefault(organisation.pk, []).append(user.pk)
                elif role == Role.MANAGER:
                    managers[organisation.pk] = user.pk
        # One real row gives the ciphertext every encrypted column reuses.
        probe = Case(
            organisation_id=organisations[0],
            reference="PROBE",
            source="police",
            first_contact_due_at=now,
            lead_name="Bench",
        )
        Case.objects.bulk_create([probe])
        with connection.cursor() as cursor:
            cursor.execute("SELECT lead_name FROM cases_case WHERE reference = 'PROBE'")
            cipher = str(cursor.fetchone()[0])
            cursor.execute("DELETE FROM cases_case WHERE reference = 'PROBE'")
        homes = []
        for organisation_id in organisations:
            for number in range(20):
                homes.append(
                    Home(
                        organisation_id=organisation_id,
                        address="1 Bench Road",
                        postcode="ME4 4AA",
                        area_code="E07000110",
                        created_by_id=managers[organisation_id],
                        bedrooms=1 + number % 4,
                        weekly_rent=100,
                        tenancy_offered="2",
                        available_from=date(2026, 1, 1),
                    )
                )
        Home.objects.bulk_create(homes)
        homes_of: dict[int, list[uuid.UUID]] = defaultdict(list)
        for home in homes:
            homes_of[home.organisation_id].append(home.pk)
        types = {t.code: t.pk for t in SafetyActionType.objects.all()}

    orgs = ", ".join(str(pk) for pk in organisations)
    officer_ids = ", ".join(str(pk) for org in organisations for pk in officers[org])
    manager_ids = ", ".join(str(managers[org]) for org in organisations)
    home_ids = ", ".join(f"'{homes_of[org][0]}'::uuid, '{homes_of[org][1]}'::uuid" for org in organisations)
    org_index = f"(array_position(ARRAY[{orgs}], {{column}}) - 1)"
    rehousing = f"(ARRAY[{orgs}])[mod(x.org_index + 1 + floor(x.r9 * {LANDLORDS - 1})::int, {LANDLORDS}) + 1]"
    counts: dict[str, int] = {}

    def insert(name: str, model: Any, exprs: dict[str, str], source: str) -> None:
        """INSERT ... SELECT: the SQL expressions for the columns they name, constants for the rest."""
        fields = [field for field in model._meta.concrete_fields if not getattr(field, "db_returning", False)]
        constant = _constants(model, cipher, now)
        values = [exprs.get(field.attname, "%s") for field in fields]
        params = [constant[field.attname] for field in fields if field.attname not in exprs]
        columns = ", ".join(f'"{field.column}"' for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {', '.join(values)} FROM {source}", params
            )
            counts[name] = cursor.rowcount

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.15)")
    now_sql = "CAST(%s AS timestamptz)"
    insert(
        "case",
        Case,
        {
            "id": "gen_random_uuid()",
            "organisation_id": f"(ARRAY[{orgs}])[mod(x.i, {LANDLORDS}) + 1]",
            "reference": "'B' || lpad(x.i::text, 7, '0')",
            "status": "CASE WHEN x.r1 < 0.9 THEN 'closed' ELSE 'open' END",
            "outcome": "CASE WHEN x.r1 < 0.9 THEN (ARRAY['safe_at_home', 'moved_own_stock', 'moved_reciprocal',"
            " 'refuge', 'disengaged', 'no_further_action'])[1 + floor(x.r2 * 6)::int] ELSE '' END",
            "source": "'police'",
            "assigned_officer_id": f"(ARRAY[{officer_ids}])[mod(x.i, {LANDLORDS}) * {OFFICERS_PER_LANDLORD}"
            f" + mod(x.i / {LANDLORDS}, {OFFICERS_PER_LANDLORD}) + 1]",
            "received_at": "x.received",
            "first_contact_due_at": "x.received + interval '1 day'",
            "first_contact_at": "x.received + (10 + x.r3 * 2990) * interval '1 minute'",
            "closed_at": "CASE WHEN x.r1 < 0.9 THEN x.received + (20 + x.r2 * 380) * interval '1 day' END",
            "created_at": "x.received",
            "updated_at": "x.received",
        },
        f"""(SELECT i, random() AS r1, random() AS r2, random() AS r3,
                    {now_sql.replace("%s", f"'{now.isoformat()}'")} - random() * 1095 * interval '1 day' AS received
             FROM generate_series(0, {cases - 1}) AS i) x""",
    )
    action_common = {
        "id": "gen_random_uuid()",
        "organisation_id": "x.organisation_id",
        "case_id": "x.id",
        "starts_at": "x.received_at",
        "due_at": "x.received_at + interval '24 hours'",
        "created_at": "x.received_at",
    }
    insert(
        "lock change",
        SafetyAction,
        {
            **action_common,
            "action_type_id": str(types["lock_change"]),
            "status": "CASE WHEN x.open_lock THEN 'open' ELSE 'done' END",
            "done_at": "CASE WHEN x.open_lock THEN NULL"
            " ELSE x.received_at + (30 + x.r * 3570) * interval '1 minute' END",
        },
        f"(SELECT c.*, (c.status <> 'closed' AND random() < 0.05) AS open_lock, random() AS r"
        f" FROM {Case._meta.db_table} c) x",
    )
    insert(
        "police flag",
        SafetyAction,
        {
            **action_common,
            "action_type_id": str(types["police_flag"]),
            "status": "'done'",
            "done_at": "x.received_at + (30 + random() * 2850) * interval '1 minute'",
        },
        f"(SELECT * FROM {Case._meta.db_table} WHERE random() < 0.5) x",
    )
    band = "(ARRAY['standard', 'standard', 'medium', 'high'])[1 + floor(random() * 4)::int]"
    for label, where, later in (("assessment", "TRUE", "0"), ("reassessment", "random() < 0.2", "30")):
        insert(
            label,
            RiskAssessment,
            {
                "id": "gen_random_uuid()",
                "organisation_id": "x.organisation_id",
                "case_id": "x.id",
                "question_set_version": "'dash-2009'",
                "score": "5",
                "computed_band": "x.band",
                "final_band": "x.band",
                "area_code": "'E07000110'",
                "high_threshold": "14",
                "medium_threshold": "10",
                "callout_window_months": "12",
                "escalation_callouts": "3",
                "assessed_at": f"x.received_at + interval '{later} days 2 hours'",
                "assessor_id": "x.assigned_officer_id",
            },
            f"(SELECT c.*, {band} AS band FROM {Case._meta.db_table} c WHERE {where}) x",
        )
    insert(
        "marac",
        MaracReferral,
        {
            "id": "gen_random_uuid()",
            "organisation_id": "x.organisation_id",
            "case_id": "x.id",
            "area_code": "'E07000110'",
            "referred_on": "CAST(x.received_at + interval '2 days' AS date)",
            "sharing_basis": "'consent'",
            "is_repeat": "random() < 0.2",
            "created_by_id": "x.assigned_officer_id",
            "created_at": "x.received_at",
        },
        f"(SELECT * FROM {Case._meta.db_table} WHERE random() < 0.1) x",
    )
    manager_of = f"(ARRAY[{manager_ids}])[{org_index.format(column='x.organisation_id')} + 1]"
    insert(
        "request",
        MoveRequest,
        {
            "id": "gen_random_uuid()",
            "organisation_id": "x.organisation_id",
            "case_id": "x.id",
            "scheme_id": str(scheme.pk),
            "reference": "'KB' || substr(x.reference, 2)",
            "status": "CASE WHEN x.approved IS NULL THEN 'draft' WHEN x.circulated IS NULL THEN 'approved'"
            " WHEN x.r4 >= 0.6 THEN 'circulated' WHEN x.r5 < 0.5 THEN 'moved' ELSE 'offered' END",
            "nominating_officer_id": manager_of,
            "bedrooms_needed": "1 + floor(x.r5 * 4)::int",
            "access_need": "'3'",
            "created_by_id": manager_of,
            "created_at": "x.created",
            "approved_by_id": f"CASE WHEN x.approved IS NULL THEN NULL ELSE {manager_of} END",
            "approved_at": "x.approved",
            "circulated_at": "x.circulated",
            "status_changed_at": "x.created",
        },
        f"""(SELECT y.*,
                    CASE WHEN y.approved IS NOT NULL AND y.r3 < 0.95
                         THEN y.approved + (2 + y.r6 * 198) * interval '1 hour' END AS circulated
             FROM (SELECT c.*, c.received_at + (5 + z.r1 * 35) * interval '1 day' AS created,
                          CASE WHEN z.r2 < 0.9 THEN c.received_at + (5 + z.r1 * 35) * interval '1 day'
                                                    + (2 + z.r7 * 198) * interval '1 hour' END AS approved,
                          z.r3, z.r4, z.r5, z.r6
                   FROM (SELECT id AS zid, random() AS r0, random() AS r1, random() AS r2, random() AS r3,
                                random() AS r4, random() AS r5, random() AS r6, random() AS r7
                         FROM {Case._meta.db_table}) z
                   JOIN {Case._meta.db_table} c ON c.id = z.zid
                   WHERE z.r0 < {REQUEST_SHARE}) y) x""",
    )
    offered = f"""(SELECT r.*, {org_index.format(column="r.organisation_id")} AS org_index, random() AS r8,
                          random() AS r9, random() AS r10,
                          r.circulated_at + (24 + random() * 876) * interval '1 hour' AS first_offer_at
                   FROM {MoveRequest._meta.db_table} r WHERE r.status IN ('offered', 'moved'))"""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_offered AS SELECT * FROM {offered} o")
    home_of = f"(ARRAY[{home_ids}])[2 * (array_position(ARRAY[{orgs}], {{org}}) - 1) + {{which}}]"
    offer_common = {
        "organisation_id": rehousing,
        "request_id": "x.id",
        "referring_organisation_id": "x.organisation_id",
        "tenancy": "'2'",
        "offered_by_id": f"(ARRAY[{manager_ids}])[array_position(ARRAY[{orgs}], {rehousing})]",
    }
    insert(
        "refused offer",
        Offer,
        {
            **offer_common,
            "id": "gen_random_uuid()",
            "home_id": home_of.format(org=rehousing, which=1),
            "status": "'refused'",
            "offered_at": "x.first_offer_at",
            "expires_at": "x.first_offer_at + interval '7 days'",
            "decided_at": "x.first_offer_at + interval '3 days'",
            "refusal_reason": "(ARRAY['unsafe_location', 'too_far', 'size', 'condition', 'other'])"
            "[1 + floor(x.r10 * 5)::int]",
        },
        "bench_offered x WHERE x.r8 < 0.3",
    )
    final_offer_at = "(x.first_offer_at + CASE WHEN x.r8 < 0.3 THEN interval '10 days' ELSE interval '0' END)"
    insert(
        "offer",
        Offer,
        {
            **offer_common,
            "id": "gen_random_uuid()",
            "home_id": home_of.format(org=rehousing, which=2),
            "status": "x.status",
            "offered_at": final_offer_at,
            "expires_at": f"{final_offer_at} + interval '7 days'",
            "decided_at": f"CASE WHEN x.status = 'moved'"
            f" THEN {final_offer_at} + (2 + x.r10 * 148) * interval '1 hour' END",
        },
        "bench_offered x",
    )
    posted = "CAST(CAST(o.decided_at + (7 + random() * 53) * interval '1 day' AS date) AS timestamptz)"
    insert(
        "move",
        Move,
        {
            "id": "gen_random_uuid()",
            "organisation_id": "x.organisation_id",
            "referring_organisation_id": "x.referring_organisation_id",
            "request_id": "x.request_id",
            "offer_id": "x.id",
            "home_id": "x.home_id",
            "move_date": "CAST(x.posted AS date)",
            "old_tenure": "'7'",
            "new_tenure": "(ARRAY['2', '2', '7', '6'])[1 + floor(random() * 4)::int]",
            "new_area_code": "'E07000110'",
            "old_area_code": "'E06000035'",
            "recorded_by_id": "x.offered_by_id",
            "recorded_at": "x.posted",
            "check_in_due_at": "x.posted + interval '14 days'",
            "ledger_posted_at": "x.posted",
        },
        f"(SELECT o.*, {posted} AS posted FROM {Offer._meta.db_table} o WHERE o.status = 'moved') x",
    )
    for label, ledger_landlord, delta, reason in (
        ("ledger out", "x.referring_organisation_id", "-1", "move_out"),
        ("ledger in", "x.organisation_id", "1", "move_in"),
    ):
        insert(
            label,
            LedgerEntry,
            {
                "scheme_id": str(scheme.pk),
                "organisation_id": ledger_landlord,
                "move_id": "x.id",
                "request_reference": "'bench'",
                "delta": delta,
                "bedrooms": "1 + mod(abs(hashtext(x.id::text)), 4)",
                "reason": f"'{reason}'",
                "posted_by_id": "x.recorded_by_id",
                "posted_at": "x.recorded_at",
            },
            f"{Move._meta.db_table} x",
        )
    # The time-to-safety summary (ADR 0024), from the cases and lock changes just written.
    counts["time to safety"] = time_to_safety_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"seeded": True, **counts}


# --- the baseline: the ORM loads rows and Python computes ------------------------------------


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def naive_landlord(organisation_id: int, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    from safemoves.cases.models import Case
    from safemoves.risk.models import RiskAssessment
    from safemoves.safety.models import SafetyAction

    by_band: Counter[str] = Counter()
    for case in Case.objects.filter(organisation_id=organisation_id).exclude(status="closed").only("id"):
        newest = RiskAssessment.objects.filter(case_id=case.pk).order_by("-assessed_at").only("final_band").first()
        by_band[newest.final_band if newest else "none"] += 1
    in_time = counted = 0
    for action in (
        SafetyAction.objects.filter(
            organisation_id=organisation_id, action_type__code="lock_change", starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status="cancelled")
        .only("status", "starts_at", "done_at")
    ):
        if action.status == "done" or (now - action.starts_at).total_seconds() > 86400:
            counted += 1
            if (
                action.status == "done"
                and action.done_at
                and (action.done_at - action.starts_at).total_seconds() <= 86400
            ):
                in_time += 1
    first_contact = [
        (case.first_contact_at - case.received_at).total_seconds()
        for case in Case.objects.filter(organisation_id=organisation_id, received_at__gte=start, received_at__lt=end)
        .exclude(first_contact_at=None)
        .only("first_contact_at", "received_at")
        if case.first_contact_at
    ]
    caseloads: Counter[int | None] = Counter(
        case.assigned_officer_id
        for case in Case.objects.filter(organisation_id=organisation_id)
        .exclude(status="closed")
        .only("assigned_officer_id")
    )
    outcomes: Counter[str] = Counter(
        case.outcome
        for case in Case.objects.filter(
            organisation_id=organisation_id, status="closed", closed_at__gte=start, closed_at__lt=end
        ).only("outcome")
    )
    return {
        "by_band": dict(by_band),
        "locks": (in_time, counted),
        "first_contact_median": _median(first_contact),
        "caseloads": len(caseloads),
        "outcomes": sum(outcomes.values()),
    }


def naive_scheme(scheme_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    from safemoves.reciprocal.models import LedgerEntry, Move, MoveRequest, Offer

    made = approved = circulated = offered = moved = 0
    approve_days: list[float] = []
    for request in MoveRequest.objects.filter(scheme_id=scheme_id, created_at__gte=start, created_at__lt=end):
        made += 1
        approved += request.approved_at is not None
        circulated += request.circulated_at is not None
        offered += Offer.objects.filter(request_id=request.pk).exists()
        moved += Move.objects.filter(request_id=request.pk).exists()
        if request.approved_at:
            approve_days.append((request.approved_at - request.created_at).total_seconds())
    balances: Counter[int] = Counter()
    for entry in LedgerEntry.objects.filter(scheme_id=scheme_id, posted_at__lt=end):
        balances[entry.organisation_id] += entry.delta
    return {
        "funnel": (made, approved, circulated, offered, moved),
        "approve_median": _median(approve_days),
        "balances": dict(balances),
    }


# --- measuring ------------------------------------------------------------------------------


def _time(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median wall time (s) of ``repeats`` runs, and the last answer."""
    times = []
    answer = None
    for _ in range(repeats):
        started = time.perf_counter()
        answer = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def _page(template: str, tables: list[Any], period: Any) -> str:
    """A dashboard page's HTML from its tables, as its view renders it (no request cycle)."""
    from django.template.loader import render_to_string

    from safemoves.reports.forms import CoreExportForm, PeriodForm
    from safemoves.reports.views import _figures

    context = {
        "form": PeriodForm({}, today=period.end),
        "period": period,
        "query": "",
        "figures": _figures(tables),
        "job_output_hours": 24,
        "core_form": CoreExportForm(),
    }
    return render_to_string(template, context)


def measure(repeats: int, baseline: bool) -> list[tuple[str, float, float | None, str]]:
    from django.utils import timezone

    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.organisations.models import Organisation, Scheme
    from safemoves.reports import scheme as scheme_reports
    from safemoves.reports import selectors
    from safemoves.reports.pdf import board_pack_pdf
    from safemoves.reports.tables import Period

    now = timezone.now()
    period = Period(now.date() - timedelta(days=364), now.date())
    organisation_id = Organisation.objects.get(slug="bench-0").pk
    scheme_id = Scheme.objects.get(slug="bench-scheme").pk
    results: list[tuple[str, float, float | None, str]] = []

    # The page runs in the landlord's scope (the emergency figures read through the scoped ORM).
    with organisation_scope(organisation_id):
        landlord_s, tables = _time(lambda: selectors.landlord_dashboard(organisation_id, period, now), repeats)
    check = ""
    naive_s = None
    if baseline:
        with scopes_disabled():
            naive_s, naive = _time(lambda: naive_landlord(organisation_id, period.start_at, period.end_at, now), 1)
        by_key = {table.key: table for table in tables}
        bands = {row[0]: row[1] for row in by_key["open_by_risk"].rows}
        locks = by_key["locks_24h"].rows[0]
        agree = (
            bands["High"] == naive["by_band"].get("high", 0)
            and bands["Standard"] == naive["by_band"].get("standard", 0)
            and (locks[1], locks[2]) == naive["locks"]
            and by_key["response_times"].rows[0][2] == round(naive["first_contact_median"] / 3600, 1)
        )
        check = "same answers" if agree else "ANSWERS DIFFER"
    results.append(("landlord dashboard (one landlord, 12 months)", landlord_s, naive_s, check))

    scheme_s, scheme_tables = _time(lambda: scheme_reports.scheme_dashboard(scheme_id, period), repeats)
    naive_s = None
    check = ""
    if baseline:
        with scopes_disabled():
            naive_s, naive = _time(lambda: naive_scheme(scheme_id, period.start_at, period.end_at), 1)
        funnel = scheme_tables[0].rows
        agree = (funnel[0][1], funnel[1][1], funnel[2][1], funnel[3][1], funnel[5][1]) == naive["funnel"]
        check = "same answers" if agree else "ANSWERS DIFFER"
    results.append(("scheme dashboard (coordinator, every line)", scheme_s, naive_s, check))

    own_s, _ = _time(lambda: scheme_reports.scheme_dashboard(scheme_id, period, organisation_id), repeats)
    results.append(("scheme dashboard (manager, own line)", own_s, None, ""))

    # The whole of each page but the request cycle: the selectors, the SVG charts and the template.
    def landlord_page() -> str:
        with organisation_scope(organisation_id):
            return _page("reports/landlord.html", selectors.landlord_dashboard(organisation_id, period, now), period)

    page_s, _ = _time(landlord_page, repeats)
    results.append(("landlord page (selectors, charts, template)", page_s, None, ""))
    page_s, _ = _time(
        lambda: _page("reports/scheme.html", scheme_reports.scheme_dashboard(scheme_id, period), period), repeats
    )
    results.append(("scheme page, coordinator (selectors, charts, template)", page_s, None, ""))
    # The time to safety from the summary against the direct computation over every case and
    # lock change (ADR 0024): the same figures for every landlord and the scheme.
    members = [pk for pk, _ in scheme_reports.member_names(scheme_id)]
    summary_s, summary = _time(lambda: scheme_reports.time_to_safety(scheme_id, period), repeats)
    direct_s, direct = _time(lambda: scheme_reports.time_to_safety_direct(members, period), 1)
    same = "same answers" if summary == direct else "ANSWERS DIFFER"
    results.append(("time to safety: summary (direct computation in the loop column)", summary_s, direct_s, same))
    # The board pack is a background job (reports.jobs): its figures, then fpdf2's layout.
    figures_s, figures = _time(lambda: scheme_reports.scheme_dashboard(scheme_id, period), repeats)
    layout_s, _ = _time(lambda: board_pack_pdf("Board pack", period.label(), figures), repeats)
    results.append(("board pack job: figures", figures_s, None, ""))
    results.append(("board pack job: PDF layout (fpdf2)", layout_s, None, ""))
    return results


def _ensure_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "SAFEMOVES_KEYRING_FILE": str(data_dir / "keyring.json"),
            "SAFEMOVES_KEYRING_AUTOCREATE": "1",
        }
    )
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench dashboards", description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", DEFAULT_SERVER))
    parser.add_argument("--database", default="dash_bench")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--no-baseline", dest="baseline", action="store_false")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "safemoves-bench-dashboards"))
    parser.add_argument("--seed-only", action="store_true", help="seed the database, measure nothing")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        import django

        django.setup()
        started = time.perf_counter()
        seeded = seed(args.cases)
        print(f"seeding: {seeded} in {time.perf_counter() - started:.0f} s", flush=True)
        if args.seed_only:
            return 0
        print("| dashboard | SQL selectors s | naive ORM loop s | loop x SQL | check |")
        print("|---|---:|---:|---:|---|")
        for name, sql_s, naive_s, check in measure(args.repeats, args.baseline):
            ratio = f"{naive_s / sql_s:.0f}" if naive_s else ""
            naive = f"{naive_s:.2f}" if naive_s else ""
            print(f"| {name} | {sql_s:.3f} | {naive} | {ratio} | {check} |", flush=True)
        print(f"\nload average after the run: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        return 0
    _ensure_database(args.server, args.database)
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _environment(f"{args.server}/{args.database}", data_dir)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    command = [sys.executable, "-m", "bench.dashboards", "--inside", "--cases", str(args.cases)]
    command += ["--repeats", str(args.repeats)] + ([] if args.baseline else ["--no-baseline"])
    command += ["--seed-only"] if args.seed_only else []
    print(f"# Dashboards: {args.cases:,} cases on {args.database}, {os.cpu_count()} CPUs\n", flush=True)
    print(f"load average before the run: {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n", flush=True)
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
