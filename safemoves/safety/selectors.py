"""Reads of safety actions, agencies, referrals and the options appraisal."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases.models import Case
from safemoves.cases.selectors import visible_cases
from safemoves.geo import area_name
from safemoves.organisations.models import Membership, Role
from safemoves.safety.codes import ActionStatus, Option, PlaceKind, Priority
from safemoves.safety.models import (
    Agency,
    AgencyReferral,
    OptionsAppraisal,
    Place,
    SafetyAction,
    SafetyActionType,
    SanctuaryAgreement,
)


def action_types() -> QuerySet[SafetyActionType]:
    return SafetyActionType.objects.filter(is_active=True).order_by("order", "label")


def actions(case: Case) -> QuerySet[SafetyAction]:
    return actions_of_case_id(case.pk)


def actions_of_case_id(case_id: Any) -> QuerySet[SafetyAction]:
    return (
        SafetyAction.objects.filter(case_id=case_id).select_related("action_type", "owner").order_by("status", "due_at")
    )


def open_actions(case: Case) -> QuerySet[SafetyAction]:
    return actions(case).filter(status=ActionStatus.OPEN)


def sanctuary_agreement(case: Case) -> SanctuaryAgreement | None:
    return SanctuaryAgreement.objects.filter(case=case).select_related("agreed_by").first()


def perpetrator_at_home(case: Case) -> bool:
    return case.perpetrators.filter(lives_at_address=True).exists()


def get_action(case: Case, action_id: Any) -> SafetyAction:
    action = actions(case).filter(pk=action_id).first()
    if action is None:
        raise Http404
    return action


def overdue_actions(membership: Membership) -> QuerySet[SafetyAction]:
    """Open actions past their deadline: an officer's own (owned or on her cases), or all of
    the landlord's for a manager; never on a case the member may not see."""
    overdue = SafetyAction.objects.filter(
        organisation_id=membership.organisation_id,
        status=ActionStatus.OPEN,
        due_at__lt=timezone.now(),
        case__in=visible_cases(membership),
    )
    if membership.role != Role.MANAGER:
        overdue = overdue.filter(Q(owner_id=membership.user_id) | Q(case__assigned_officer_id=membership.user_id))
    return overdue.select_related("action_type", "case", "owner").order_by("due_at")


def agencies(organisation_id: int, *, active_only: bool = True) -> QuerySet[Agency]:
    found = Agency.objects.filter(organisation_id=organisation_id)
    return found.filter(is_active=True) if active_only else found


def get_agency(organisation_id: int, agency_id: Any) -> Agency:
    agency = agencies(organisation_id).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def agency_referrals(case: Case) -> QuerySet[AgencyReferral]:
    return AgencyReferral.objects.filter(case=case).select_related("agency", "created_by").order_by("-sent_at")


# The columns the referrals section shows (ADR 0030), with the consent whose basis it shows in
# the same query (it was read once per referral).
PANEL_REFERRAL_FIELDS = (
    "pk",
    "organisation",
    "agency",
    "agency__name",
    "sent_at",
    "status",
    "decline_reason",
    "consent",
    "consent__basis",
)


def panel_agency_referrals(case_id: Any) -> QuerySet[AgencyReferral]:
    return (
        AgencyReferral.objects.filter(case_id=case_id)
        .select_related("agency", "consent")
        .only(*PANEL_REFERRAL_FIELDS)
        .order_by("-sent_at")
    )


def get_agency_referral(case: Case, referral_id: Any) -> AgencyReferral:
    referral = agency_referrals(case).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


def appraisal(case: Case) -> OptionsAppraisal | None:
    return OptionsAppraisal.objects.filter(case=case).select_related("decided_by").first()


# Where the case page keeps the appraisal it has read, on the page's own case object.
_PAGE_APPRAISAL = "_safemoves_page_appraisal"


def page_appraisal(case: Case) -> OptionsAppraisal | None:
    """:func:`appraisal`, read once per case page: the safety and reciprocal sections both
    show it. Only for the read-only page panels; a service reads :func:`appraisal` afresh."""
    if not hasattr(case, _PAGE_APPRAISAL):
        relation = Case._meta.get_field("options_appraisal")
        # Read with the case when the page asked for it (its panel's case_relations, ADR 0030).
        read = relation.get_cached_value(case) if relation.is_cached(case) else appraisal(case)
        setattr(case, _PAGE_APPRAISAL, read)
    found: OptionsAppraisal | None = getattr(case, _PAGE_APPRAISAL)
    return found


def places(case: Case) -> QuerySet[Place]:
    return places_of_case_id(case.pk)


def places_of_case_id(case_id: Any) -> QuerySet[Place]:
    return Place.objects.filter(appraisal__case_id=case_id).order_by("kind", "created_at")


def get_place(case: Case, place_id: Any) -> Place:
    place = places(case).filter(pk=place_id).first()
    if place is None:
        raise Http404
    return place


def appraisal_for_matching(case: Case) -> dict[str, Any]:
    """The decision and the places that shape a move, in the matching contract's terms.

    This is **raw and internal to the landlord that holds the case**: the near and avoid
    points are exact coordinates of places in a survivor's life. The reciprocal app turns it
    into the anonymised profile (the server evaluates the points; other members see only
    "safe for this request" and rounded distances). Never send this dict anywhere else.
    """
    found = appraisal(case)
    result: dict[str, Any] = {
        "decision": "",
        "own_stock_unsuitable": False,
        "priorities": [],
        "areas": [],
        "avoid_areas": [],
        "near": [],
        "avoid": [],
    }
    if found is None:
        return result
    result["decision"] = found.decision
    result["own_stock_unsuitable"] = found.own_stock_unsuitable
    result["priorities"] = [code for code in found.priorities if code in Priority.values]
    for place in places(case):
        if place.is_area:
            key = "areas" if place.kind == PlaceKind.NEAR else "avoid_areas"
            result[key].append(place.area_code)
        else:
            key = "near" if place.kind == PlaceKind.NEAR else "avoid"
            result[key].append({"lat": float(place.lat), "lon": float(place.lon), "km": float(place.radius_km or 0)})
    result["areas"] = sorted(set(result["areas"]))
    result["avoid_areas"] = sorted(set(result["avoid_areas"]))
    return result


def option_label(code: str) -> str:
    return Option(code).label if code in Option.values else code


def place_area_label(place: Place) -> str:
    try:
        return area_name(place.area_code)
    except KeyError:
        return place.area_code


def action_owners(case: Case) -> QuerySet[User]:
    """Who may hold the case's safety actions: its landlord's active officers and managers, and
    on a restricted case only those named on it (nobody else can read it)."""
    owners = User.objects.filter(
        membership__organisation_id=case.organisation_id,
        membership__is_active=True,
        membership__role__in=[Role.OFFICER, Role.MANAGER],
        is_active=True,
    )
    if case.restricted:
        owners = owners.filter(pk__in=case.named_staff.values("pk"))
    return owners.order_by("full_name")
