"""Scheme membership, the policy in force, and who may see a shared profile (cross-landlord reads)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F, FloatField, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from safemoves.common.bound import Read
from safemoves.organisations.models import Membership, Organisation, Role, SchemeMembership
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import (
    POOL_STATUSES,
)
from safemoves.reciprocal.models import (
    SchemePolicy,
    SharedProfile,
)
from safemoves.reciprocal.profile import ProfileView


def _active_scheme_ids(organisation_id: int) -> QuerySet[Any]:
    return (
        SchemeMembership.objects.filter(organisation_id=organisation_id, is_active=True)
        .order_by("scheme_id")
        .values_list("scheme_id", flat=True)
    )


def _member_schemes_read(organisation_id: int) -> Read[Any]:
    return Read("reciprocal.member_schemes", _active_scheme_ids, {"organisation_id": organisation_id})


def member_scheme_ids(organisation_id: int) -> list[int]:
    # Read on every pool page and every scheme write: one statement built once (ADR 0033).
    return list(_member_schemes_read(organisation_id).queryset())


def policy_in_force(scheme_id: int) -> SchemePolicy:
    """The newest policy version of the scheme; the defaults (unsaved) when none was set."""
    found = SchemePolicy.objects.filter(scheme_id=scheme_id).order_by("-version").first()
    return found or SchemePolicy(scheme_id=scheme_id, version=0)


def _area_codes(organisation_id: int) -> QuerySet[Any]:
    return Organisation.objects.filter(pk=organisation_id).values_list("area_codes", flat=True)


def _organisation_areas_read(organisation_id: int) -> Read[Any]:
    return Read("reciprocal.organisation_areas", _area_codes, {"organisation_id": organisation_id})


def _organisation_areas(organisation_id: int) -> set[str]:
    return {code for codes in _organisation_areas_read(organisation_id).queryset() for code in codes}


def access_reads(membership: Membership) -> list[Read[Any]]:
    """The reads :meth:`PoolAccess.of` makes, declared so that a page can send them with its
    other reads in one round trip (ADR 0035)."""
    return [_member_schemes_read(membership.organisation_id), _organisation_areas_read(membership.organisation_id)]


@dataclass(frozen=True)
class PoolAccess:
    """What decides which circulated requests a member sees, read once per request."""

    organisation_id: int
    is_coordinator: bool
    scheme_ids: frozenset[int]
    areas: frozenset[str]

    @classmethod
    def of(cls, membership: Membership) -> PoolAccess:
        return cls(
            organisation_id=membership.organisation_id,
            is_coordinator=membership.role == Role.COORDINATOR,
            scheme_ids=frozenset(member_scheme_ids(membership.organisation_id)),
            areas=frozenset(_organisation_areas(membership.organisation_id)),
        )

    def admits(self, *, safe_areas: Iterable[str], scheme_id: int, request_org: int) -> bool:
        if scheme_id not in self.scheme_ids:
            return False
        if request_org == self.organisation_id:
            return True  # the referring landlord's own request
        if self.is_coordinator:
            return True  # the coordinator sees the whole pool, anonymised
        # Lettings officers and managers see requests naming an area where their landlord has stock.
        return bool(self.areas & set(safe_areas))

    def key_rows(self) -> list[tuple[Any, ...]]:
        """The sort keys of the pool rows this access admits (call with scopes disabled):
        request id, referring landlord, scheme, circulation time, safe areas, and the urgent,
        days-waiting and reference keys as the database's text and numbers.

        One statement per scheme, built once per process (ADR 0033): the landlord's areas go to
        it as one value, matched in SQL against each area the profile names (exactly, as
        :meth:`admits` matches; :meth:`admits` stays the rule of record)."""
        if any("," in code for code in self.areas):
            return list(_with_keys(self.profiles()))  # not an area code: the general statement
        areas = ",".join(sorted(self.areas))
        rows: list[tuple[Any, ...]] = []
        for scheme_id in sorted(self.scheme_ids):
            if self.is_coordinator:
                read: Read[Any] = Read("reciprocal.pool.keys.whole", _whole_pool_keys, {"scheme_id": scheme_id})
            else:
                values: dict[str, int | str] = {
                    "scheme_id": scheme_id,
                    "organisation_id": self.organisation_id,
                    "areas": areas,
                }
                read = Read("reciprocal.pool.keys.named", _named_pool_keys, values)
            rows.extend(read.queryset())
        return rows

    def profiles(self) -> QuerySet[SharedProfile]:
        """The pool rows this access admits, filtered in SQL (call with scopes disabled).

        The area rule matches each area code with its JSON quotes in the profile's
        ``safe_areas`` array text, which is exact for the fixed-form area codes and portable
        between SQLite and PostgreSQL; :meth:`admits` stays the rule of record.
        """
        profiles = SharedProfile.objects.filter(
            request__scheme_id__in=self.scheme_ids, request__status__in=POOL_STATUSES
        )
        if self.is_coordinator:
            return profiles
        named_area = Q(organisation_id=self.organisation_id)
        for code in sorted(self.areas):
            named_area |= Q(data__safe_areas__icontains=f'"{code}"')
        return profiles.filter(named_area)


class NamesAnArea(Expression):
    """True where a shared profile's ``safe_areas`` names one of ``areas`` (area codes joined
    by commas, one value): exact element matches, on PostgreSQL (``jsonb ?|``) and SQLite
    (``json_each``)."""

    conditional = True

    def __init__(self, data: str, areas: Any) -> None:
        super().__init__(output_field=BooleanField())
        self.data: Any = F(data)
        self.areas: Any = areas if hasattr(areas, "resolve_expression") else Value(areas)

    def get_source_expressions(self) -> list[Any]:
        return [self.data, self.areas]

    def set_source_expressions(self, exprs: Any) -> None:
        self.data, self.areas = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        raise NotSupportedError(f"area matching is written for PostgreSQL and SQLite, not {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        data, data_params = compiler.compile(self.data)
        areas, areas_params = compiler.compile(self.areas)
        return f"(({data} -> 'safe_areas') ?| string_to_array({areas}, ','))", (*data_params, *areas_params)

    def as_sqlite(self, compiler: Any, connection: Any) -> Any:
        data, data_params = compiler.compile(self.data)
        areas, areas_params = compiler.compile(self.areas)
        # Both operands are compiled expressions (a column and a bound value), never text from a request.
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({data}, '$.safe_areas') AS area "  # noqa: S608
            f"WHERE instr(',' || {areas} || ',', ',' || area.value || ',') > 0)"
        )
        return sql, (*data_params, *areas_params)


def _with_keys(profiles: QuerySet[SharedProfile]) -> QuerySet[Any]:
    """The pool's sort keys: the scalar keys as the database's text and numbers, not each
    decoded as JSON one by one (at 100k cases the pool's 200-460 admitted rows spent 2 ms in
    json.loads)."""
    return profiles.annotate(
        # JSON true is the text "true" on both databases; a cast to boolean is not (SQLite).
        urgent_key=KeyTextTransform("urgent", "data"),
        waited_key=Cast(KeyTextTransform("days_waiting", "data"), FloatField()),
        reference_key=KeyTextTransform("reference", "data"),
    ).values_list(
        "request_id",
        "organisation_id",
        "request__scheme_id",
        "taken_at",
        "data__safe_areas",
        "urgent_key",
        "waited_key",
        "reference_key",
    )


def _circulated(scheme_id: int) -> QuerySet[SharedProfile]:
    return SharedProfile.objects.filter(request__scheme_id=scheme_id, request__status__in=POOL_STATUSES)


def _whole_pool_keys(scheme_id: int) -> QuerySet[Any]:
    """A coordinator's view of one scheme's pool: every circulated request."""
    return _with_keys(_circulated(scheme_id))


def _named_pool_keys(scheme_id: int, organisation_id: int, areas: str) -> QuerySet[Any]:
    """One scheme's pool as a landlord's lettings staff see it: its own requests, and those
    naming one of its areas."""
    return _with_keys(_circulated(scheme_id).filter(Q(organisation_id=organisation_id) | Q(NamesAnArea("data", areas))))


def _may_see_profile(
    membership: Membership,
    data: dict[str, Any],
    scheme_id: int,
    request_org: int,
    *,
    access: PoolAccess | None = None,
) -> bool:
    if not policies.can_use_pool(membership):
        return False
    access = access or PoolAccess.of(membership)
    return access.admits(safe_areas=data["safe_areas"], scheme_id=scheme_id, request_org=request_org)


def _view(
    profile: SharedProfile,
    membership: Membership,
    *,
    status: str | None = None,
    today: date | None = None,
    zone: tzinfo | None = None,
) -> ProfileView:
    """The allow-listed view of ``profile``; ``status`` is its request's, when read without the
    request; ``today`` and ``zone`` as :meth:`ProfileView.from_data` takes them."""
    return ProfileView.from_data(
        request_id=profile.request_id,
        data=profile.data,
        taken_at=profile.taken_at,
        status=profile.request.status if status is None else status,
        is_own=profile.organisation_id == membership.organisation_id,
        today=today,
        zone=zone,
    )
