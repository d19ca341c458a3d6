"""The anonymised profile, derived from the case (never typed twice), and its reading.

:func:`build_profile` runs inside the referring landlord: it reads the case, the household,
the options appraisal and the latest risk assessment, and keeps only the allow-listed facts.
Exact places and areas to avoid never enter it, nor any hash of them: other landlords learn
of them only "fits" or "does not fit" (ADR 0012).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from uuid import UUID

from django.utils import timezone

from safemoves.cases.codes import CoreTenancy, MemberKind
from safemoves.cases.models import Case
from safemoves.geo import area_name, is_known_area
from safemoves.reciprocal.codes import AccessNeed, AgeBand, age_band
from safemoves.reciprocal.models import SHARED_PROFILE_FIELDS, MoveRequest
from safemoves.risk.models import RiskBand
from safemoves.risk.selectors import latest_assessment
from safemoves.safety.selectors import appraisal_for_matching


def household_shape(case: Case) -> tuple[int, list[str]]:
    """Adults (the tenant and other adults) and the children's age bands, youngest first."""
    today = timezone.localdate()
    members = list(case.household.all())
    adults = 1 + sum(1 for member in members if member.kind == MemberKind.ADULT)
    ages = [member.age_on(today) for member in members if member.kind == MemberKind.CHILD]
    order = list(AgeBand.values)
    return adults, sorted((age_band(age) for age in ages), key=order.index)


def suggested_bedrooms(case: Case) -> int:
    """A starting point for the officer: a room for her, one per other adult, one per two children."""
    adults, children = household_shape(case)
    return adults + (len(children) + 1) // 2


# The risk level band crosses landlords (real schemes share it); no score, answer or date does.
NOT_ASSESSED = "not_assessed"


def risk_band(case: Case) -> str:
    """The band of the latest DASH assessment (after professional judgement), or not assessed."""
    latest = latest_assessment(case)
    return str(latest.final_band) if latest is not None else NOT_ASSESSED


def risk_band_label(band: str) -> str:
    return RiskBand(band).label if band in RiskBand.values else "Not assessed"


def days_waiting(case: Case, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return max(0, (timezone.localdate(now) - timezone.localdate(case.received_at)).days)


def build_profile(request: MoveRequest) -> dict[str, Any]:
    """The allow-listed profile of ``request``, in the order of ``SHARED_PROFILE_FIELDS``."""
    case = request.case
    adults, children = household_shape(case)
    places = appraisal_for_matching(case)
    values: dict[str, Any] = {
        "reference": request.reference,
        "adults": adults,
        "children_age_bands": children,
        "bedrooms_needed": request.bedrooms_needed,
        "access_need": request.access_need,
        "pets": request.pets,
        "safe_areas": list(places["areas"]),
        "risk_band": risk_band(case),
        "tenure_to_keep": case.tenure,
        "urgent": request.urgent,
        "days_waiting": days_waiting(case),
    }
    return {name: values[name] for name in SHARED_PROFILE_FIELDS}


# Each code's label, looked up once (a page of the pool shows some fifty profiles).
_AGE_BAND_LABELS: dict[str, str] = dict(AgeBand.choices)
_ACCESS_LABELS: dict[str, str] = dict(AccessNeed.choices)
_TENURE_LABELS: dict[str, str] = dict(CoreTenancy.choices)


def _area_label(code: str) -> str:
    return area_name(code) if is_known_area(code) else code


@dataclass(frozen=True)
class ProfileView:
    """What another member sees of a request: the profile, and where the request stands."""

    request_id: UUID
    reference: str
    adults: int
    children_age_bands: tuple[str, ...]
    bedrooms_needed: int
    access_need: str
    pets: bool
    safe_areas: tuple[str, ...]
    risk_band: str
    tenure_to_keep: str
    urgent: bool
    days_waiting: int
    status: str
    is_own: bool

    @classmethod
    def from_data(
        cls,
        *,
        request_id: UUID,
        data: dict[str, Any],
        taken_at: datetime,
        status: str,
        is_own: bool,
        today: date | None = None,
        zone: tzinfo | None = None,
    ) -> ProfileView:
        """``today`` and ``zone`` (the local date and time zone) are read once by a caller
        making a page of views; without them each view reads them itself."""
        zone = zone or timezone.get_current_timezone()
        today = today or timezone.localdate(timezone=zone)
        waited = int(data["days_waiting"]) + max(0, (today - taken_at.astimezone(zone).date()).days)
        return cls(
            request_id=request_id,
            reference=str(data["reference"]),
            adults=int(data["adults"]),
            children_age_bands=tuple(data["children_age_bands"]),
            bedrooms_needed=int(data["bedrooms_needed"]),
            access_need=str(data["access_need"]),
            pets=bool(data["pets"]),
            safe_areas=tuple(data["safe_areas"]),
            risk_band=str(data["risk_band"]),
            tenure_to_keep=str(data["tenure_to_keep"]),
            urgent=bool(data["urgent"]),
            days_waiting=waited,
            status=status,
            is_own=is_own,
        )

    @property
    def children_labels(self) -> list[str]:
        return [_AGE_BAND_LABELS[band] for band in self.children_age_bands]

    @property
    def access_label(self) -> str:
        return _ACCESS_LABELS.get(self.access_need, self.access_need)

    @property
    def tenure_label(self) -> str:
        return _TENURE_LABELS.get(self.tenure_to_keep, "Not recorded")

    @property
    def safe_area_labels(self) -> list[str]:
        return [_area_label(code) for code in self.safe_areas]

    @property
    def risk_band_label(self) -> str:
        return risk_band_label(self.risk_band)
