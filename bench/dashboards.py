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
import random
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
    from safemoves.risk.models import MaracReferral, RiskAssessment
    from safemoves.safety.models import SafetyAction, SafetyActionType

    rng = random.Random(15)
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

    plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: Counter[str] = Counter()

    def flush(final: bool = False) -> None:
        for name, model in (
            ("case", Case),
            ("action", SafetyAction),
            ("assessment", RiskAssessment),
            ("marac", MaracReferral),
            ("request", MoveRequest),
            ("offer", Offer),
            ("move", Move),
            ("ledger", LedgerEntry),
        ):
            if plan[name] and (final or len(plan[name]) >= 50_000 or name != "case"):
                counts[name] += _copy(model, plan[name], constants[name])
                plan[name] = []

    constants = {
        "case": _constants(Case, cipher, now),
        "action": _constants(SafetyAction, cipher, now),
        "assessment": _constants(RiskAssessment, cipher, now),
        "marac": _constants(MaracReferral, cipher, now),
        "request": _constants(MoveRequest, cipher, now),
        "offer": _constants(Offer, cipher, now),
        "move": _constants(Move, cipher, now),
        "ledger": _constants(LedgerEntry, cipher, now),
    }
    bands = ["standard", "standard", "medium", "high"]
    outcomes = ["safe_at_home", "moved_own_stock", "moved_reciprocal", "refuge", "disengaged", "no_further_action"]
    reasons = ["unsafe_location", "too_far", "size", "condition", "other"]
    for number in range(cases):
        organisation_id = organisations[number % LANDLORDS]
        received = now - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1440))
        closed = rng.random() < CLOSED_SHARE
        case_id = uuid.uuid4()
        officer = rng.choice(officers[organisation_id])
        plan["case"].append(
            {
                "id": case_id,
                "organisation_id": organisation_id,
                "reference": f"B{number:07d}",
                "status": "closed" if closed else "open",
                "outcome": rng.choice(outcomes) if closed else "",
                "source": "police",
                "assigned_officer_id": officer,
                "received_at": received,
                "first_contact_due_at": received + timedelta(days=1),
                "first_contact_at": received + timedelta(minutes=rng.randint(10, 3000)),
                "closed_at": received + timedelta(days=rng.randint(20, 400)) if closed else None,
                "created_at": received,
                "updated_at": received,
            }
        )
        lock_open = not closed and rng.random() < 0.05
        plan["action"].append(
            {
                "id": uuid.uuid4(),
                "organisation_id": organisation_id,
                "case_id": case_id,
                "action_type_id": types["lock_change"],
                "starts_at": received,
                "due_at": received + timedelta(hours=24),
                "status": "open" if lock_open else "done",
                "done_at": None if lock_open else received + timedelta(minutes=rng.randint(30, 3600)),
                "created_at": received,
            }
        )
        if rng.random() < 0.5:
            plan["action"].append(
                {
                    "id": uuid.uuid4(),
                    "organisation_id": organisation_id,
                    "case_id": case_id,
                    "action_type_id": types["police_flag"],
                    "starts_at": received,
                    "due_at": received + timedelta(hours=24),
                    "status": "done",
                    "done_at": received + timedelta(minutes=rng.randint(30, 2880)),
                    "created_at": received,
                }
            )
        for extra in range(1 + (rng.random() < 0.2)):
            band = rng.choice(bands)
            plan["assessment"].append(
                {
                    "id": uuid.uuid4(),
                    "organisation_id": organisation_id,
                    "case_id": case_id,
                    "question_set_version": "dash-2009",
                    "score": 5,
                    "computed_band": band,
                    "final_band": band,
                    "judgement_band": "",
                    "area_code": "E07000110",
                    "high_threshold": 14,
                    "medium_threshold": 10,
                    "callout_window_months": 12,
                    "escalation_callouts": 3,
                    "assessed_at": received + timedelta(days=extra * 30, hours=2),
                    "assessor_id": officer,
                }
            )
        if rng.random() < 0.1:
            plan["marac"].append(
                {
                    "id": uuid.uuid4(),
                    "organisation_id": organisation_id,
                    "case_id": case_id,
                    "area_code": "E07000110",
                    "referred_on": (received + timedelta(days=2)).date(),
                    "sharing_basis": "consent",
                    "is_repeat": rng.random() < 0.2,
                    "created_by_id": officer,
                    "created_at": received,
                }
            )
        if rng.random() < REQUEST_SHARE:
            manager = managers[organisation_id]
            request_id = uuid.uuid4()
            created = received + timedelta(days=rng.randint(5, 40))
            approved = created + timedelta(hours=rng.randint(2, 200)) if rng.random() < 0.9 else None
            circulated = approved + timedelta(hours=rng.randint(2, 200)) if approved and rng.random() < 0.95 else None
            offered = circulated and rng.random() < 0.6
            moved = offered and rng.random() < 0.5
            status = (
                "moved"
                if moved
                else ("offered" if offered else ("circulated" if circulated else "approved" if approved else "draft"))
            )
            plan["request"].append(
                {
                    "id": request_id,
                    "organisation_id": organisation_id,
                    "case_id": case_id,
                    "scheme_id": scheme.pk,
                    "reference": f"KB{number:08d}",
                    "status": status,
                    "nominating_officer_id": manager,
                    "bedrooms_needed": rng.randint(1, 4),
                    "access_need": "3",
                    "pets": False,
                    "urgent": False,
                    "end_reason": "",
                    "created_by_id": manager,
                    "created_at": created,
                    "approved_by_id": manager if approved else None,
                    "approved_at": approved,
                    "circulated_at": circulated,
                    "status_changed_at": created,
                }
            )
            if offered:
                assert circulated is not None
                rehousing = organisations[
                    (organisations.index(organisation_id) + 1 + rng.randint(0, LANDLORDS - 2)) % LANDLORDS
                ]
                offer_at = circulated + timedelta(hours=rng.randint(24, 900))
                if rng.random() < 0.3:
                    plan["offer"].append(
                        {
                            "id": uuid.uuid4(),
                            "organisation_id": rehousing,
                            "request_id": request_id,
                            "referring_organisation_id": organisation_id,
                            "home_id": homes_of[rehousing][0],
                            "tenancy": "2",
                            "status": "refused",
                            "offered_by_id": managers[rehousing],
                            "offered_at": offer_at,
                            "expires_at": offer_at + timedelta(days=7),
                            "decided_at": offer_at + timedelta(days=3),
                            "refusal_reason": rng.choice(reasons),
                        }
                    )
                    offer_at += timedelta(days=10)
                offer_id = uuid.uuid4()
                decided = offer_at + timedelta(hours=rng.randint(2, 150))
                plan["offer"].append(
                    {
                        "id": offer_id,
                        "organisation_id": rehousing,
                        "request_id": request_id,
                        "referring_organisation_id": organisation_id,
                        "home_id": homes_of[rehousing][1],
                        "tenancy": "2",
                        "status": "moved" if moved else "offered",
                        "offered_by_id": managers[rehousing],
                        "offered_at": offer_at,
                        "expires_at": offer_at + timedelta(days=7),
                        "decided_at": decided if moved else None,
                        "refusal_reason": "",
                    }
                )
                if moved:
                    move_date = (decided + timedelta(days=rng.randint(7, 60))).date()
                    posted = datetime.combine(move_date, datetime.min.time(), tzinfo=now.tzinfo)
                    plan["move"].append(
                        {
                            "id": uuid.uuid4(),
                            "organisation_id": rehousing,
                            "referring_organisation_id": organisation_id,
                            "request_id": request_id,
                            "offer_id": offer_id,
                            "home_id": homes_of[rehousing][1],
                            "move_date": move_date,
                            "old_tenure": "7",
                            "new_tenure": rng.choice(["2", "2", "7", "6"]),
                            "new_area_code": "E07000110",
                            "old_area_code": "E06000035",
                            "recorded_by_id": managers[rehousing],
                            "recorded_at": posted,
                            "check_in_due_at": posted + timedelta(days=14),
                            "ledger_posted_at": posted,
                        }
                    )
                    bedrooms = rng.randint(1, 4)
                    for org, delta, reason in ((organisation_id, -1, "move_out"), (rehousing, 1, "move_in")):
                        plan["ledger"].append(
                            {
                                "scheme_id": scheme.pk,
                                "organisation_id": org,
                                "request_reference": f"KB{number:08d}",
                                "delta": delta,
                                "bedrooms": bedrooms,
                                "reason": reason,
                                "posted_by_id": managers[rehousing],
                                "posted_at": posted,
                            }
                        )
        if len(plan["case"]) >= 50_000:
            flush(final=True)
    flush(final=True)
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


def measure(repeats: int, baseline: bool) -> list[tuple[str, float, float | None, str]]:
    from django.utils import timezone

    from safemoves.common.scoping import scopes_disabled
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
    pack_s, _ = _time(
        lambda: board_pack_pdf("Board pack", period.label(), scheme_reports.scheme_dashboard(scheme_id, period)),
        repeats,
    )
    results.append(("board pack PDF (figures and PDF)", pack_s, None, ""))
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
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
