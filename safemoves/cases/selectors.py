from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Now
from django.http import Http404
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.models import CASE_OBJECT_TYPE, CASE_READ_ACTIONS, AuditEvent
from safemoves.audit.services import chain_head_read, record_case_event, record_event
from safemoves.cases import policies
from safemoves.cases.codes import CLOSED, NEW, CaseStatus
from safemoves.cases.extensions import panels
from safemoves.cases.finding import SearchField, query_tokens
from safemoves.cases.models import (
    Case,
    CaseNote,
    CaseSearchToken,
    Consent,
    CourtOrder,
    HouseholdMember,
    Perpetrator,
)
from safemoves.common.blind_index import search_tokens, word_tokens
from safemoves.common.bound import Read, read_together
from safemoves.common.prepared import prepared
from safemoves.organisations.models import Membership, Role

# What a table of cases shows (cases/_case_table.html, the same-perpetrator list), with the
# organisation every encrypted field's scope check needs: a listed case reads nothing else.
CASE_TABLE_FIELDS = (
    "pk",
    "organisation",
    "reference",
    "restricted",
    "lead_name",
    "status",
    "next_due_at",
    "assigned_officer",
    "assigned_officer__full_name",
    "assigned_officer__email",
)


def _case_of(organisation_id: int, case_id: UUID) -> QuerySet[Case]:
    return Case.objects.filter(pk=case_id, organisation_id=organisation_id).select_related(
        "assigned_officer", "organisation"
    )


def _case_for_page(organisation_id: int, case_id: UUID) -> QuerySet[Case]:
    """The case with the safe-contact rules and the one-to-one records the panels show (ADR 0030)."""
    related = ("contact_rules", *(path for panel in panels() for path in panel.case_relations))
    return _case_of(organisation_id, case_id).select_related(*related)


def for_case_table(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Only the columns a case table shows: a page of 25 wide, encrypted rows cost more to
    read and build than its queries took to run (ADR 0030)."""
    return cases.select_related("assigned_officer").only(*CASE_TABLE_FIELDS)


def visible_cases(membership: Membership) -> QuerySet[Case]:
    rule = policies.visible_cases_filter(membership)
    if rule is None:
        return Case.objects.none()
    return Case.objects.filter(organisation_id=membership.organisation_id).filter(rule)


def get_case(
    membership: Membership,
    case_id: Any,
    *,
    purpose: str = "viewed",
    policy: Callable[[Membership, Case], bool] = policies.can_view_case,
    page: bool = False,
) -> Case:
    """The case, if this member may see it and ``policy`` admits the action, with the read
    written to the access log. A case that does not exist, that the member may not see, or
    that the action is not allowed on, is the same 404, and a refused request logs nothing.
    ``page``: read the one-to-one records the case page shows in the same query.
    """
    try:
        key = case_id if isinstance(case_id, UUID) else UUID(str(case_id))
    except ValueError:
        raise Http404 from None
    read = Read(
        "cases.page.case" if page else "cases.get_case",
        _case_for_page if page else _case_of,
        {"organisation_id": membership.organisation_id, "case_id": key},
    )
    # The audit chain's head comes in the case read's round trip (ADR 0036, addendum).
    head = chain_head_read(membership.organisation_id)
    with read_together([read], also=[head.statement] if head else []) as read_ahead:
        found = list(read.queryset())
    case = found[0] if found else None
    if case is None or not policies.can_view_case(membership, case) or not policy(membership, case):
        raise Http404
    # Atomic by itself: outside a transaction one statement appends it (ADR 0036).
    record_case_event(
        action=f"case.{purpose}",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        case_id=case.pk,
        ahead=head.answer(read_ahead[0]) if head and read_ahead else None,
    )
    return case


@dataclass(frozen=True)
class CaseFilters:
    query: str = ""
    status: str = ""
    officer_id: int | None = None
    overdue_only: bool = False


def search(membership: Membership, query: str) -> QuerySet[Case]:
    """Cases whose reference or every word of whose name matches, through the blind index."""
    organisation_id = membership.organisation_id
    cases = visible_cases(membership)
    query = query.strip()
    if not query:
        return cases
    by_reference = Q(reference__iexact=query)
    words = word_tokens(organisation_id, query, purpose="name")
    whole = search_tokens(organisation_id, query, purpose="name")
    if not words:
        return cases.filter(by_reference)
    matching = CaseSearchToken.objects.filter(organisation_id=organisation_id, token__in=words | whole)
    case_ids = (
        matching.values("case_id").annotate(hits=Count("token", distinct=True)).filter(hits__gte=len(words))
    ).values("case_id")
    return cases.filter(by_reference | Q(pk__in=case_ids))


def case_list(membership: Membership, filters: CaseFilters) -> QuerySet[Case]:
    cases = search(membership, filters.query) if filters.query else visible_cases(membership)
    # Closed cases appear only when asked for by status.
    cases = cases.filter(status=filters.status) if filters.status else cases.exclude(status__in_constants=CLOSED)
    if filters.officer_id is not None:
        cases = cases.filter(assigned_officer_id=filters.officer_id)
    if filters.overdue_only:
        cases = cases.filter(next_due_at__lt=timezone.now())
    return cases.select_related("assigned_officer").order_by(F("next_due_at").asc(nulls_last=True), "reference")


# The first page of a case list opened with nothing typed into its filters (how every list is
# opened): bound (ADR 0033) and sent with its count in one round trip (ADR 0035). Each is
# case_list()'s query for that role, with for_case_table()'s columns; a test holds them equal.
LIST_PAGE = 25


@dataclass(frozen=True)
class ListPage:
    rows: Read[Case]
    count: Read[Any]


def _open_visible(organisation_id: int, rule: Q) -> QuerySet[Case]:
    return Case.objects.filter(organisation_id=organisation_id).filter(rule).exclude(status__in_constants=CLOSED)


def _in_table_order(cases: QuerySet[Case]) -> QuerySet[Case]:
    return for_case_table(cases.order_by(F("next_due_at").asc(nulls_last=True), "reference"))[:LIST_PAGE]


def _counted(cases: QuerySet[Case]) -> QuerySet[Any]:
    """One row, the count (none when there are none): a grouped count, so that it can be bound."""
    return cases.order_by().values("organisation_id").annotate(n=Count("pk")).values_list("n", flat=True)


def _officers_own(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return _open_visible(organisation_id, policies.officer_cases_rule(user_id)).filter(assigned_officer_id=user_id)


def _officers_own_page(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return _in_table_order(_officers_own(organisation_id, user_id))


def _officers_own_count(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return _counted(_officers_own(organisation_id, user_id))


def _managers_all_page(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return _in_table_order(_open_visible(organisation_id, policies.overseer_cases_rule(user_id)))


def _managers_all_count(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return _counted(_open_visible(organisation_id, policies.overseer_cases_rule(user_id)))


def _inbox(organisation_id: int, rule: Q) -> QuerySet[Case]:
    return Case.objects.filter(organisation_id=organisation_id).filter(rule).filter(**TRIAGE)


def _inbox_page(cases: QuerySet[Case]) -> QuerySet[Case]:
    return for_case_table(cases.order_by(*TRIAGE_ORDER))[:LIST_PAGE]


def _officers_inbox_page(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return _inbox_page(_inbox(organisation_id, policies.officer_cases_rule(user_id)))


def _officers_inbox_count(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return _counted(_inbox(organisation_id, policies.officer_cases_rule(user_id)))


def _overseers_inbox_page(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return _inbox_page(_inbox(organisation_id, policies.overseer_cases_rule(user_id)))


def _overseers_inbox_count(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return _counted(_inbox(organisation_id, policies.overseer_cases_rule(user_id)))


def first_triage_page(membership: Membership) -> ListPage | None:
    """The triage inbox's first page, as :func:`first_list_page` reads a list's."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    if membership.role == Role.OFFICER:
        return ListPage(
            Read("cases.triage.officer", _officers_inbox_page, ids),
            Read("cases.triage.officer.n", _officers_inbox_count, ids),
        )
    if membership.role in (Role.MANAGER, Role.AUDITOR):
        return ListPage(
            Read("cases.triage.overseer", _overseers_inbox_page, ids),
            Read("cases.triage.overseer.n", _overseers_inbox_count, ids),
        )
    return None


def first_list_page(membership: Membership, *, mine: bool) -> ListPage | None:
    """The bound reads of an unfiltered list's first page: an officer's own cases, or a
    manager's every open case; None for any other list (it reads through case_list())."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    if membership.role == Role.OFFICER and mine:
        return ListPage(
            Read("cases.list.own", _officers_own_page, ids), Read("cases.list.own.n", _officers_own_count, ids)
        )
    if membership.role == Role.MANAGER and not mine:
        return ListPage(
            Read("cases.list.all", _managers_all_page, ids), Read("cases.list.all.n", _managers_all_count, ids)
        )
    return None


def officers_open_cases(organisation_id: int, user_id: int) -> QuerySet[Case]:
    """An officer's visible open cases, as ``visible_cases()`` reads them for an officer less
    the closed ones, from the ids alone: for builders of bound reads (ADR 0033)."""
    return _open_visible(organisation_id, policies.officer_cases_rule(user_id))


def overseers_open_cases(organisation_id: int, user_id: int) -> QuerySet[Case]:
    """:func:`officers_open_cases` for a manager or an auditor (the cases they oversee)."""
    return _open_visible(organisation_id, policies.overseer_cases_rule(user_id))


# A manager's home page: the head of the triage inbox, and how many are in it.
TRIAGE_SHOWN = 10


def _overseers_triage_head(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return (
        _inbox(organisation_id, policies.overseer_cases_rule(user_id))
        .order_by(*TRIAGE_ORDER)
        .only("pk", "organisation_id", "reference", "first_contact_due_at")[:TRIAGE_SHOWN]
    )


def triage_head_reads(membership: Membership) -> tuple[Read[Case], Read[Any]]:
    """A manager's triage inbox, its first rows and its count, as two bound reads (the count a
    grouped count: one row, or none for an empty inbox)."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    return (
        Read("home.triage", _overseers_triage_head, ids),
        Read("cases.triage.overseer.n", _overseers_inbox_count, ids),
    )


# The officer's home page: their cases not yet contacted, the first-contact deadline first.
NEW_CASES_SHOWN = 10


def _officers_new_cases(organisation_id: int, user_id: int) -> QuerySet[Case]:
    return (
        officers_open_cases(organisation_id, user_id)
        .filter(assigned_officer_id=user_id, first_contact_at__isnull=True)
        .order_by("first_contact_due_at", "reference")
        .only("pk", "organisation_id", "reference", "first_contact_due_at")[:NEW_CASES_SHOWN]
    )


def officers_new_cases_read(membership: Membership) -> Read[Case]:
    """The officer's cases not yet contacted (the home page's panel), as one bound read."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    return Read("home.new_cases", _officers_new_cases, ids)


def my_cases(membership: Membership) -> QuerySet[Case]:
    return case_list(membership, CaseFilters(officer_id=membership.user_id))


# The triage inbox: new referrals no one has been assigned, the first-contact deadline first.
TRIAGE = {"status__in_constants": NEW, "assigned_officer__isnull": True}
TRIAGE_ORDER = ("first_contact_due_at", "reference")


def triage_inbox(membership: Membership) -> QuerySet[Case]:
    return visible_cases(membership).filter(**TRIAGE).order_by(*TRIAGE_ORDER)


@dataclass(frozen=True)
class OfficerLoad:
    officer: User
    open_cases: int
    new_cases: int
    overdue: int
    over_limit: bool


def _open_case_count(organisation_id: int, *conditions: Q) -> Coalesce:
    """How many of the officer's open cases match: a count over the landlord's open cases only
    (the partial index on open cases by officer), not a join through every closed case."""
    rows = (
        Case.objects.filter(*conditions, organisation_id=organisation_id, assigned_officer=OuterRef("pk"))
        .exclude(status__in_constants=CLOSED)
        .order_by()
        .values("assigned_officer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _caseload_rows(organisation_id: int) -> QuerySet[Any]:  # users, annotated with their counts
    # "Overdue" is due before the database's clock (``Now()``): the statement binds no time,
    # so it is built once per process (ADR 0033) and only the landlord's id changes.
    return (
        User.objects.filter(
            membership__organisation_id=organisation_id,
            membership__role__in=policies.CASE_WORKERS,
            membership__is_active=True,
        )
        .annotate(
            open_cases=_open_case_count(organisation_id),
            new_cases=_open_case_count(organisation_id, Q(status=CaseStatus.NEW)),
            overdue=_open_case_count(organisation_id, Q(next_due_at__lt=Now())),
        )
        .order_by("-open_cases", "full_name")
    )


def caseloads_read(membership: Membership) -> Read[Any]:
    """The read :func:`caseloads` makes, declared for a page that sends it with others (ADR 0035)."""
    return Read("cases.caseloads", _caseload_rows, {"organisation_id": membership.organisation_id})


def caseloads(membership: Membership, *, limit: int) -> list[OfficerLoad]:
    """Every officer of the landlord with their open cases and breached clocks, in one query."""
    officers = caseloads_read(membership).queryset()
    return [
        OfficerLoad(
            officer=officer,
            open_cases=officer.open_cases,
            new_cases=officer.new_cases,
            overdue=officer.overdue,
            over_limit=officer.open_cases > limit,
        )
        for officer in officers
    ]


def assignable_officers(membership: Membership) -> QuerySet[User]:
    return User.objects.filter(
        membership__organisation_id=membership.organisation_id,
        membership__role__in=policies.CASE_WORKERS,
        membership__is_active=True,
        is_active=True,
    ).order_by("full_name")


def case_readers(organisation_id: int) -> QuerySet[User]:
    """Who may be named on a restricted case: active staff of this landlord whose role reads
    cases (the restriction form's choices and ``case_restrict``'s check)."""
    return User.objects.filter(
        membership__organisation_id=organisation_id,
        membership__is_active=True,
        membership__role__in=policies.CASE_READERS,
        is_active=True,
    ).order_by("full_name")


# Reads of a case and of what is filed on it: the access log shows them, the history does not.
READ_ACTIONS = CASE_READ_ACTIONS


# What a table of a case's events shows: when, who, what and which fields (ADR 0030).
EVENT_ROW_FIELDS = ("pk", "occurred_at", "action", "fields", "actor", "actor__full_name", "actor__email")


def access_log(case: Case) -> QuerySet[AuditEvent]:
    """Who has looked at (or exported) this record, newest first: the columns its table shows."""
    return access_log_of(case.organisation_id, str(case.pk))


def access_log_of(organisation_id: int, object_id: str) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(
            organisation_id=organisation_id,
            object_type=CASE_OBJECT_TYPE,
            object_id=object_id,
            action__in_constants=READ_ACTIONS,
        )
        .select_related("actor")
        .only(*EVENT_ROW_FIELDS)
        .order_by("-pk")
    )


def history(case: Case) -> QuerySet[AuditEvent]:
    """Changes to the case (not reads), newest first, for the timeline."""
    return history_of(case.organisation_id, str(case.pk))


def history_of(organisation_id: int, object_id: str) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(organisation_id=organisation_id, object_type=CASE_OBJECT_TYPE, object_id=object_id)
        .exclude(action__in_constants=READ_ACTIONS)
        .select_related("actor")
        .order_by("-pk")
    )


# The case page's own sections, each a builder of ``bound()`` (ADR 0033): a function of ids alone.
PAGE_NOTES = 50
PAGE_HISTORY = 30
PAGE_ACCESS = 10


def page_household(case_id: UUID) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(case_id=case_id)


def _page_perpetrators(case_id: UUID) -> QuerySet[Perpetrator]:
    return Perpetrator.objects.filter(case_id=case_id)


def _page_court_orders(case_id: UUID) -> QuerySet[CourtOrder]:
    return CourtOrder.objects.filter(perpetrator__case_id=case_id)


def _perpetrators_read(case: Case) -> Read[Perpetrator]:
    return Read("cases.page.perpetrators", _page_perpetrators, {"case_id": case.pk})


def _court_orders_read(case: Case) -> Read[CourtOrder]:
    return Read("cases.page.court_orders", _page_court_orders, {"case_id": case.pk})


@dataclass(frozen=True)
class CasePage:
    """The case page's own reads (its panels declare theirs), named once: the page sends them
    ahead together (``read_together``, ADR 0035) and each section runs its own."""

    household: Read[HouseholdMember]
    consents: Read[Consent]
    notes: Read[CaseNote]
    history: Read[AuditEvent]
    access: Read[AuditEvent] | None  # only for those who may see the access log
    perpetrators: Read[Perpetrator]  # run by page_perpetrators(), which keeps them on the case
    court_orders: Read[CourtOrder]

    def reads(self) -> list[Read[Any]]:
        own: list[Read[Any] | None] = [
            self.household,
            self.consents,
            self.notes,
            self.history,
            self.access,
            self.perpetrators,
            self.court_orders,
        ]
        return [read for read in own if read is not None]


def case_page(case: Case, *, with_access_log: bool) -> CasePage:
    by_case = {"case_id": case.pk}
    by_object: dict[str, UUID | int | str] = {"organisation_id": case.organisation_id, "object_id": str(case.pk)}
    return CasePage(
        household=Read("cases.page.household", page_household, by_case),
        consents=Read("cases.page.consents", page_consents, by_case),
        notes=Read("cases.page.notes", page_notes, by_case),
        history=Read("cases.page.history", page_history, by_object),
        access=Read("cases.page.access", page_access, by_object) if with_access_log else None,
        perpetrators=_perpetrators_read(case),
        court_orders=_court_orders_read(case),
    )


# Where the case page keeps the perpetrators it read on that request's case object.
_PAGE_PERPETRATORS = "_safemoves_page_perpetrators"


def page_perpetrators(case: Case) -> list[tuple[Perpetrator, list[CourtOrder]]]:
    """The case's perpetrators, each with their court orders, read once per case page: two
    bound statements (the orders only when someone is named). The same-perpetrator section
    reads the names from here (:func:`same_perpetrator_cases`)."""
    if not hasattr(case, _PAGE_PERPETRATORS):
        people = list(_perpetrators_read(case).queryset(known={"case": case}))
        orders: dict[UUID, list[CourtOrder]] = {person.pk: [] for person in people}
        if people:
            for order in _court_orders_read(case).queryset():
                orders[order.perpetrator_id].append(order)
        setattr(case, _PAGE_PERPETRATORS, [(person, orders[person.pk]) for person in people])
    found: list[tuple[Perpetrator, list[CourtOrder]]] = getattr(case, _PAGE_PERPETRATORS)
    return found


def page_consents(case_id: UUID) -> QuerySet[Consent]:
    return consents_shown(case_id)


def page_notes(case_id: UUID) -> QuerySet[CaseNote]:
    return notes_shown(case_id)[:PAGE_NOTES]


def page_history(organisation_id: int, object_id: str) -> QuerySet[AuditEvent]:
    return history_of(organisation_id, object_id).only(*EVENT_ROW_FIELDS)[:PAGE_HISTORY]


def page_access(organisation_id: int, object_id: str) -> QuerySet[AuditEvent]:
    return access_log_of(organisation_id, object_id)[:PAGE_ACCESS]


def consents_shown(case_id: UUID) -> QuerySet[Consent]:
    """The case page's consent table: the columns it shows, newest first."""
    return (
        Consent.objects.filter(case_id=case_id)
        .select_related("recorded_by")
        .only(
            "pk",
            "organisation",
            "case",
            "purpose",
            "basis",
            "recorded_on",
            "expires_on",
            "recorded_by",
            "recorded_by__full_name",
            "recorded_by__email",
        )
    )


def notes_shown(case_id: UUID) -> QuerySet[CaseNote]:
    """The case page's notes, newest first: the columns it shows (the body opens when shown)."""
    return (
        CaseNote.objects.filter(case_id=case_id)
        .select_related("author")
        .only(
            "pk",
            "organisation",
            "case",
            "kind",
            "channel",
            "body",
            "created_at",
            "author",
            "author__full_name",
            "author__email",
        )
    )


def last_change(case: Case) -> AuditEvent | None:
    return history(case).filter(action="case.updated").first()


def closed_before(organisation_id: int, cutoff: datetime) -> QuerySet[Case]:
    return Case.objects.filter(organisation_id=organisation_id, status=CaseStatus.CLOSED, closed_at__lt=cutoff)


def find_cases(membership: Membership, *, field: str, query: str) -> list[Case]:
    """The member's visible cases found by postcode, address, safe phone or perpetrator's name.

    Through the blind index only (cases/finding.py): every word of the query must be present,
    or the whole text match. The search is audited by the field searched, never its text.
    """
    if field not in SearchField.values:
        raise ValueError(f"cannot search by {field!r}")
    organisation_id = membership.organisation_id
    words, whole = query_tokens(organisation_id, field, query)
    found: list[Case] = []
    if words:
        matching = CaseSearchToken.objects.filter(organisation_id=organisation_id, token__in=words | whole)
        case_ids = (
            matching.values("case_id").annotate(hits=Count("token", distinct=True)).filter(hits__gte=len(words))
        ).values("case_id")
        by_whole = CaseSearchToken.objects.filter(organisation_id=organisation_id, token__in=whole).values("case_id")
        found = list(
            visible_cases(membership)
            .filter(Q(pk__in=case_ids) | Q(pk__in=by_whole))
            .select_related("assigned_officer")
            .order_by(F("next_due_at").asc(nulls_last=True), "reference")[:FIND_LIMIT]
        )
    # An audited read: atomic by itself (ADR 0036).
    record_event(
        action="case.searched",
        actor=membership.user,
        organisation_id=organisation_id,
        fields=[field],
        reason=f"search by {field}: {len(found)} found",
    )
    return found


# A search answers with at most this many cases; a wider search asks for more words.
FIND_LIMIT = 50


def same_perpetrator_cases(membership: Membership, case: Case) -> list[Case]:
    """The member's other visible cases of this landlord naming the same perpetrator as ``case``.

    Matched by the perpetrator's whole-name blind index, keyed per landlord: another landlord's
    cases can never match. Cases the member may not see are left out (they are not hinted at).
    """
    # The case page has already read the case's perpetrators (:func:`page_perpetrators`), so a
    # case naming none, or none with a name, costs no query there.
    named = [person for person, _ in page_perpetrators(case)] if hasattr(case, _PAGE_PERPETRATORS) else None
    people = named if named is not None else case.perpetrators.all()
    tokens = sorted({perpetrator.name_index for perpetrator in people if perpetrator.name_index})
    if not tokens:
        return []
    others = (
        Perpetrator.objects.filter(organisation_id=case.organisation_id, name_index__in=tokens)
        .exclude(case_id=case.pk)
        .values("case_id")
    )
    return list(
        prepared(
            for_case_table(visible_cases(membership).filter(pk__in=others)).order_by("reference"),
            "cases.same_perpetrator",
        )
    )
