from __future__ import annotations

from django.db.models import QuerySet

from safemoves.audit.models import AuditEvent
from safemoves.organisations.models import Organisation


def organisation_events(*, organisation: Organisation, action_prefix: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    return events.order_by("-pk")
