"""Who may do what with a case, one rule per line.

A case the member may not see answers "not found" everywhere; a restricted case
is visible only to the staff named on it, whatever their role.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from safemoves.cases.codes import NEW, CaseStatus
from safemoves.cases.models import Case
from safemoves.organisations.extensions import CASEWORK_ROLES
from safemoves.organisations.models import Membership, Role

# Officers and managers work cases; auditors read them for data-protection duties.
# Who may be assigned cases; defined with the staff services (below this app), which return a
# departing member's cases to triage by the same rule (ADR 0031).
CASE_WORKERS = CASEWORK_ROLES
CASE_READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})


def visible_cases_filter(membership: Membership) -> Q | None:
    """The same rule as :func:`can_view_case`, as a query filter (None: nothing visible)."""
    return visible_cases_rule(membership.role, membership.user_id)


def visible_cases_rule(role: str, user_id: int) -> Q | None:
    """:func:`visible_cases_filter` for a role and a user id."""
    if role == Role.MANAGER or role == Role.AUDITOR:
        return overseer_cases_rule(user_id)
    if role == Role.OFFICER:
        return officer_cases_rule(user_id)
    return None


def _named_on_restricted(user_id: int) -> Q:
    # EXISTS, not a join through the named staff: a join repeats rows and needs DISTINCT
    # over the whole (wide, encrypted) case row.
    named_on_case = Case.named_staff.through.objects.filter(case_id=OuterRef("pk"), user_id=user_id)
    return Q(restricted=True) & Q(Exists(named_on_case))


def overseer_cases_rule(user_id: int) -> Q:
    """Managers oversee and auditors inspect every unrestricted case of their landlord."""
    return Q(restricted=False) | _named_on_restricted(user_id)


def officer_cases_rule(user_id: int) -> Q:
    """Officers see the cases assigned to them and the unassigned triage inbox."""
    own = Q(restricted=False, assigned_officer_id=user_id)
    inbox = Q(restricted=False, status__in_constants=NEW, assigned_officer__isnull=True)
    return own | inbox | _named_on_restricted(user_id)


def can_view_case(membership: Membership, case: Case) -> bool:
    if not membership.is_active or case.organisation_id != membership.organisation_id:
        return False
    if membership.role not in CASE_READERS:
        return False
    if case.restricted:
        return case.named_staff.filter(pk=membership.user_id).exists()
    if membership.role in (Role.MANAGER, Role.AUDITOR):
        return True
    return case.assigned_officer_id == membership.user_id or (
        case.status == CaseStatus.NEW and case.assigned_officer_id is None
    )


def can_open_case(membership: Membership) -> bool:
    return membership.is_active and membership.role in CASE_WORKERS


def can_work_case(membership: Membership, case: Case) -> bool:
    """Edit the record, add notes, record consent and contact. Auditors only read."""
    return membership.role in CASE_WORKERS and can_view_case(membership, case) and not case.is_closed


def can_assign_case(membership: Membership, case: Case) -> bool:
    return membership.role == Role.MANAGER and can_view_case(membership, case)


def can_close_case(membership: Membership, case: Case) -> bool:
    return membership.role == Role.MANAGER and can_view_case(membership, case) and not case.is_closed


def can_see_access_log(membership: Membership, case: Case) -> bool:
    return membership.role in (Role.MANAGER, Role.AUDITOR) and can_view_case(membership, case)


def can_export_case(membership: Membership, case: Case) -> bool:
    """Subject-access exports are a data-protection duty: the DPO or a manager runs them."""
    return membership.role in (Role.MANAGER, Role.AUDITOR) and can_view_case(membership, case)


def can_print_marac_summary(membership: Membership, case: Case) -> bool:
    """The people working the case prepare it for the MARAC meeting."""
    return membership.role in CASE_WORKERS and can_view_case(membership, case)


def can_see_caseloads(membership: Membership) -> bool:
    return membership.is_active and membership.role == Role.MANAGER


def can_see_my_cases(membership: Membership) -> bool:
    return membership.is_active and membership.role in CASE_READERS


def can_manage_referral_links(membership: Membership) -> bool:
    return membership.is_active and membership.role in (Role.MANAGER, Role.ADMIN)


def can_find_cases(membership: Membership) -> bool:
    """Search by postcode, address, phone or perpetrator: those who read cases (results stay scoped)."""
    return membership.is_active and membership.role in CASE_READERS
