"""Writes to void homes. Each service is atomic and writes its audit event in the same transaction.

Audit events name fields and counts, never addresses, postcodes or coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.common.editing import EditConflict, refuse_if_stale
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Membership
from safemoves.properties import importing, policies
from safemoves.properties.codes import HomeStatus, ImportMode
from safemoves.properties.importing import HomeInput, ImportFileError, ResolvedHome, RowError
from safemoves.properties.models import LISTED_STATUSES, Home, HomeImport

__all__ = [
    "EditConflict",
    "ImportReport",
    "home_create",
    "home_mark_let",
    "home_update",
    "home_withdraw",
    "homes_import",
]

# The fields a lettings officer sets; status, coordinates' source and bookkeeping are not among them.
HOME_FIELDS = (
    "address",
    "postcode",
    "uprn",
    "area_code",
    "latitude",
    "longitude",
    "position_uncertainty_km",
    "bedrooms",
    "floor",
    "has_lift",
    "step_free",
    "wheelchair_standard",
    "pets_allowed",
    "weekly_rent",
    "tenancy_offered",
    "available_from",
)
_BULK_BATCH = 500
# Where a listed home is. It never moves (ADR 0012): matching answers about a home at one
# place must not be re-asked at another by editing it; a wrong position means withdrawing
# the home and listing it again, which counts against the scheme's limits as a new home.
POSITION_FIELDS = ("postcode", "area_code", "latitude", "longitude")


def _require_manager(membership: Membership) -> None:
    # Views refuse first with a 404; this guards every other caller.
    if not policies.can_manage_homes(membership):
        raise PermissionDenied


def _as_validation_error(errors: Iterable[tuple[str, str]]) -> ValidationError:
    by_field: dict[str, list[str]] = {}
    for name, message in errors:
        by_field.setdefault(name, []).append(message[:1].upper() + message[1:])
    return ValidationError(by_field)


def _listed_uprns(organisation_id: int, *, excluding: Any = None) -> frozenset[str]:
    homes = Home.objects.filter(organisation_id=organisation_id, status__in=LISTED_STATUSES).exclude(uprn="")
    if excluding is not None:
        homes = homes.exclude(pk=excluding)
    return frozenset(homes.values_list("uprn", flat=True))


def _resolve(membership: Membership, data: HomeInput, *, excluding: Any = None) -> ResolvedHome:
    resolved, errors = importing.resolve_home(data)
    if data.uprn and data.uprn in _listed_uprns(membership.organisation_id, excluding=excluding):
        errors.append(("uprn", f"{data.uprn} is already listed as one of your void homes"))
    if errors or resolved is None:
        raise _as_validation_error(errors)
    return resolved


def _values(resolved: ResolvedHome) -> dict[str, Any]:
    data = resolved.data
    return {
        "address": data.address,
        "postcode": resolved.postcode,
        "uprn": data.uprn,
        "area_code": resolved.area_code,
        "latitude": resolved.latitude,
        "longitude": resolved.longitude,
        "position_uncertainty_km": resolved.uncertainty_km,
        "bedrooms": data.bedrooms,
        "floor": data.floor,
        "has_lift": data.has_lift,
        "step_free": data.step_free,
        "wheelchair_standard": data.wheelchair_standard,
        "pets_allowed": data.pets_allowed,
        "weekly_rent": data.weekly_rent,
        "tenancy_offered": data.tenancy_offered,
        "available_from": data.available_from,
    }


@audited("home.created")
@transaction.atomic
def home_create(*, membership: Membership, data: HomeInput) -> Home:
    """List one void home; its postcode settles its district and (rounded) coordinates."""
    _require_manager(membership)
    resolved = _resolve(membership, data)
    home = Home(organisation_id=membership.organisation_id, created_by=membership.user, **_values(resolved))
    home.save()
    record_event(
        action="home.created",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="home",
        object_id=home.pk,
    )
    return home


def _lock(membership: Membership, home: Home) -> Home:
    current = Home.objects.select_for_update().get(pk=home.pk, organisation_id=membership.organisation_id)
    return current


def _check_version(current: Home, expected_version: int) -> None:
    refuse_if_stale(current_version=current.version, expected_version=expected_version, row=current)


def _require_available(current: Home, doing: str) -> None:
    if current.status != HomeStatus.AVAILABLE:
        raise ValidationError(
            f"Only an available home can be {doing}; this one is {current.get_status_display().lower()}."
        )


@audited("home.updated")
@transaction.atomic
def home_update(*, membership: Membership, home: Home, expected_version: int, data: HomeInput) -> list[str]:
    """Save changed details of an available home, refusing if it changed since ``expected_version``."""
    _require_manager(membership)
    current = _lock(membership, home)
    _check_version(current, expected_version)
    _require_available(current, "changed")
    resolved = _resolve(membership, data, excluding=current.pk)
    values = _values(resolved)
    if any(getattr(current, name) != values[name] for name in POSITION_FIELDS):
        raise ValidationError(
            {
                "postcode": "A listed home cannot be moved: its postcode and coordinates stay as they were "
                "listed. If they are wrong, withdraw this home and list it again."
            }
        )
    changed = [name for name in HOME_FIELDS if getattr(current, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = membership.user
    current.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    record_event(
        action="home.updated",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="home",
        object_id=home.pk,
        fields=changed,
    )
    home.refresh_from_db()
    return changed


@audited("home.withdrawn")
@transaction.atomic
def home_withdraw(*, membership: Membership, home: Home, expected_version: int) -> None:
    """Take an available home off the list (let outside the scheme, listed in error, no longer void)."""
    _require_manager(membership)
    current = _lock(membership, home)
    _check_version(current, expected_version)
    _require_available(current, "withdrawn")
    current.status = HomeStatus.WITHDRAWN
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = membership.user
    current.save(update_fields=["status", "version", "updated_at", "updated_by"])
    record_event(
        action="home.withdrawn",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="home",
        object_id=home.pk,
        fields=["status"],
    )
    home.refresh_from_db()


@audited("home.let")
@transaction.atomic
def home_mark_let(*, home: Home, actor: User) -> None:
    """Record that a household has moved in: the address is now protected (ADR 0008).

    The plain coordinates and the UPRN are cleared in the same write; the database refuses a
    let home that keeps either (a UPRN names the dwelling as exactly as its address). The
    encrypted address stays for the move record's own access rules.
    """
    current = Home.objects.select_for_update().get(pk=home.pk, organisation_id=home.organisation_id)
    if current.status not in LISTED_STATUSES:
        raise ValidationError(f"Only an available or offered home can be let; this one is {current.status}.")
    current.status = HomeStatus.LET
    current.latitude = None
    current.longitude = None
    current.uprn = ""
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=["status", "latitude", "longitude", "uprn", "version", "updated_at", "updated_by"])
    record_event(
        action="home.let",
        actor=actor,
        organisation_id=home.organisation_id,
        object_type="home",
        object_id=home.pk,
        fields=["status", "latitude", "longitude", "uprn"],
    )
    home.refresh_from_db()


@audited("home.offered", "home.available")
@transaction.atomic
def home_set_offer_status(*, home: Home, status: str, actor: User | None, expected: tuple[str, ...]) -> None:
    """Mark a home offered, or back in the pool when its offer ends (the reciprocal scheme)."""
    if status not in (HomeStatus.OFFERED, HomeStatus.AVAILABLE):
        raise ValueError(f"home_set_offer_status only moves between offered and available, not {status}")
    with organisation_scope(home.organisation_id):
        current = Home.objects.select_for_update().get(pk=home.pk)
        if current.status not in expected:
            raise ValidationError({"home": f"This home is {current.get_status_display().lower()}."})
        current.status = status
        current.version += 1
        current.updated_at = timezone.now()
        current.updated_by = actor
        current.save(update_fields=["status", "version", "updated_at", "updated_by"])
        record_event(
            action="home.offered" if status == HomeStatus.OFFERED else "home.available",
            actor=actor,
            organisation_id=home.organisation_id,
            object_type="home",
            object_id=home.pk,
            fields=["status"],
            reason="reciprocal scheme",
        )


@dataclass
class ImportReport:
    """What an import did: every problem with its line and column, and how many homes went in."""

    mode: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_rejected: bool = False
    import_id: Any = None

    @property
    def rejected_lines(self) -> int:
        return len({error.line for error in self.errors if error.line is not None})

    @property
    def nothing_written(self) -> bool:
        return self.created == 0


def _read_upload(rows_file: IO[bytes], file_name: str) -> importing.Table:
    size = getattr(rows_file, "size", None)
    if isinstance(size, int) and size > importing.MAX_FILE_BYTES:
        raise ImportFileError(importing.too_large_message(size))
    content = rows_file.read(importing.MAX_FILE_BYTES + 1)
    return importing.read_table(content, file_name)


@audited("home.imported")
@transaction.atomic
def homes_import(*, membership: Membership, rows_file: IO[bytes], file_name: str, mode: str) -> ImportReport:
    """Import homes from a CSV or XLSX file, reporting every bad row by line and column.

    ``all_or_nothing`` writes no home if any row has a problem; ``keep_good_rows`` writes the
    good rows and reports the rest. Either way the attempt is recorded (a ``HomeImport`` and
    one audit event with counts only), all in one transaction.
    """
    _require_manager(membership)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": "Choose all or nothing, or keep good rows."})
    report = ImportReport(mode=mode)
    try:
        table = _read_upload(rows_file, file_name)
    except ImportFileError as error:
        report.file_rejected = True
        report.errors.append(RowError(None, "file", str(error)))
        good: list[tuple[int, ResolvedHome]] = []
    else:
        check = importing.check_table(table, taken_uprns=_listed_uprns(membership.organisation_id))
        report.rows = check.rows
        report.errors = check.errors
        good = [] if (check.errors and mode == ImportMode.ALL_OR_NOTHING) else check.good

    record = HomeImport(
        organisation_id=membership.organisation_id,
        imported_by=membership.user,
        file_name=file_name[:255],
        mode=mode,
        rows_total=report.rows,
        rows_created=len(good),
        rows_rejected=report.rejected_lines,
        file_rejected=report.file_rejected,
    )
    record.save()
    Home.objects.bulk_create(
        (
            Home(
                organisation_id=membership.organisation_id,
                created_by=membership.user,
                source_import=record,
                **_values(resolved),
            )
            for _, resolved in good
        ),
        batch_size=_BULK_BATCH,
    )
    report.created = len(good)
    report.import_id = record.pk
    record_event(
        action="home.imported",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="home_import",
        object_id=record.pk,
        reason=(
            f"mode={mode} rows={report.rows} created={report.created} rejected_rows={report.rejected_lines}"
            f"{' file_rejected' if report.file_rejected else ''}"
        ),
    )
    return report
