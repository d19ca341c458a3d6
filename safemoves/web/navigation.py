"""The role-aware navigation: each entry names the policy that admits it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from safemoves.api import policies as api_policies
from safemoves.cases import policies as case_policies
from safemoves.organisations import policies
from safemoves.organisations.models import Membership
from safemoves.properties import policies as home_policies
from safemoves.reciprocal import policies as reciprocal_policies
from safemoves.reports import policies as report_policies
from safemoves.risk import policies as risk_policies
from safemoves.safety import policies as safety_policies


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[Membership], bool]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "web:home", lambda membership: membership.is_active),
    NavItem("Cases", "cases:list", case_policies.can_see_my_cases),
    NavItem("Triage", "cases:triage", case_policies.can_open_case),
    NavItem("Caseloads", "cases:caseloads", case_policies.can_see_caseloads),
    NavItem("Overdue actions", "safety:overdue", safety_policies.can_see_overdue),
    NavItem("Support agencies", "safety:agencies", safety_policies.can_read_directory),
    NavItem("Risk settings", "risk:settings", risk_policies.can_manage_risk_settings),
    NavItem("Referral links", "intake:links", case_policies.can_manage_referral_links),
    NavItem("Void homes", "properties:list", home_policies.can_manage_homes),
    NavItem("Move requests", "reciprocal:requests", reciprocal_policies.can_list_own_requests),
    NavItem("Scheme pool", "reciprocal:pool", reciprocal_policies.can_use_pool),
    NavItem("Homes to offer", "reciprocal:homes", reciprocal_policies.can_offer_homes),
    NavItem("Matching", "reciprocal:matching", reciprocal_policies.can_coordinate),
    NavItem("Scheme ledger", "reciprocal:ledger", reciprocal_policies.can_coordinate),
    NavItem("Scheme policy", "reciprocal:policy", reciprocal_policies.can_coordinate),
    NavItem("Landlord dashboard", "reports:landlord", report_policies.can_see_landlord_dashboard),
    NavItem("Scheme dashboard", "reports:scheme", report_policies.can_see_scheme_dashboard),
    NavItem("Staff", "organisations:staff", policies.can_manage_staff),
    NavItem("API tokens", "api_tokens:tokens", api_policies.can_manage_api_tokens),
    NavItem("Audit log", "audit:log", policies.can_read_audit_log),
)


@lru_cache(maxsize=256)
def _address(url_name: str, urlconf: str, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def nav_for(membership: Membership, current_path: str) -> list[dict[str, object]]:
    # The entries' addresses depend only on the URLconf and the script prefix, both fixed
    # for a request: reversed once per process, not twenty times per page (ADR 0030).
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    items = [
        {"label": item.label, "url": _address(item.url_name, urlconf, prefix), "current": False}
        for item in NAVIGATION
        if item.allowed(membership)
    ]
    # The entry whose address is the longest prefix of the current path is the current one.
    matches = [
        item
        for item in items
        if current_path == item["url"] or (item["url"] != "/" and current_path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["current"] = True
    return items
