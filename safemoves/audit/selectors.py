from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from safemoves.accounts.models import User
from safemoves.audit.models import CASE_OBJECT_TYPE, AuditEvent
from safemoves.cases.models import Case
from safemoves.common.clock import LONDON
from safemoves.organisations.models import Organisation


@dataclass(frozen=True)
class EventFilters:
    action_prefix: str = ""
    case_id: str = ""
    actor_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def organisation_events(
    *, organisation: Organisation, action_prefix: str = "", filters: EventFilters | None = None
) -> QuerySet[AuditEvent]:
    filters = filters or EventFilters(action_prefix=action_prefix)
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if filters.action_prefix:
        events = events.filter(action__startswith=filters.action_prefix)
    if filters.case_id:
        events = events.filter(object_type=CASE_OBJECT_TYPE, object_id=filters.case_id)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return events.order_by("-pk")


def staff_of(organisation: Organisation) -> QuerySet[User]:
    """Everyone who is or was a member of staff of the landlord (the log outlives memberships)."""
    return User.objects.filter(membership__organisation=organisation).order_by("full_name")


def case_references(organisation: Organisation, case_ids: Iterable[str]) -> dict[str, str]:
    """Case id -> reference for the cases of this landlord among ``case_ids`` (one query)."""
    wanted = {case_id for case_id in case_ids if case_id}
    if not wanted:
        return {}
    rows = Case.objects.filter(organisation=organisation, pk__in=wanted).values_list("pk", "reference")
    return {str(pk): reference for pk, reference in rows}


def case_id_for_reference(organisation: Organisation, reference: str) -> str | None:
    found = Case.objects.filter(organisation=organisation, reference__iexact=reference.strip()).values_list(
        "pk", flat=True
    )
    first = found.first()
    return str(first) if first is not None else None
