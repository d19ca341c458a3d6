"""Limits and alerts on fit checks across landlords (ADR 0012).

Every check of another landlord's home against a request is written to the request's own
audit log (``reciprocal.fit_checked``, reason ``home <id> of landlord <id>``). From that log:

* a landlord may have at most ``HOMES_PER_REQUEST`` different homes checked against one
  request in ``PERIOD``; past it, further homes get no answer for that request (repeats of a
  home already checked are answered: they reveal nothing new, the geometry is stable);
* when a landlord reaches ``ALERT_AT`` different homes on one request, the referring
  landlord's managers are told once (audit event ``reciprocal.probing_suspected`` and an
  e-mail without personal data).

Called by ``pool.fits`` and the offer services inside ``scopes_disabled()``.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.models import AuditEvent
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.reciprocal.models import MoveRequest

PERIOD = timedelta(days=30)
HOMES_PER_REQUEST = 20
ALERT_AT = 10
CHECKED = "reciprocal.fit_checked"
SUSPECTED = "reciprocal.probing_suspected"


def _check_key(home_id: object, home_organisation_id: int) -> str:
    return f"home {home_id} of landlord {home_organisation_id}"


def homes_checked(request: MoveRequest, home_organisation_id: int) -> set[str]:
    """The different homes of one landlord checked against ``request`` in the period."""
    since = timezone.now() - PERIOD
    # The referring landlord's log, read whatever scope the caller is in: the limit must hold
    # for every route to a fit answer (the matching pages and offers alike).
    with scopes_disabled():
        return set(
            AuditEvent.objects.filter(
                organisation_id=request.organisation_id,
                action=CHECKED,
                object_type="move_request",
                object_id=str(request.pk),
                occurred_at__gte=since,
                reason__endswith=f" of landlord {home_organisation_id}",
            ).values_list("reason", flat=True)
        )


def _managers(organisation_id: int) -> list[str]:
    with scopes_disabled():
        managers = Membership.objects.filter(
            organisation_id=organisation_id, role=Role.MANAGER, is_active=True, user__is_active=True
        ).select_related("user")
        return sorted(member.user.email for member in managers if member.user.email)


def _send_alert(reference: str, homes: int, recipients: list[str]) -> None:
    subject = f"Unusual fit checks on move request {reference}"
    body = (
        f"Another member landlord has checked {homes} different homes against move request {reference} "
        f"in the last {PERIOD.days} days. That can be an attempt to work out where the household's "
        "places are; answers to that landlord are now limited.\n\n"
        "Sign in to SafeMoves and read the request's audit log for the details.\n"
        "This message holds no personal details on purpose; do not forward it outside your organisation.\n"
    )
    send_mail(subject, body, None, recipients)


def limit_reached(*, request: MoveRequest, home_id: object, home_organisation_id: int) -> bool:
    """Whether a check of this home against ``request`` would be refused (nothing recorded)."""
    checked = homes_checked(request, home_organisation_id)
    return _check_key(home_id, home_organisation_id) not in checked and len(checked) >= HOMES_PER_REQUEST


@audited("reciprocal.fit_checked", "reciprocal.probing_suspected")
@transaction.atomic
def fit_check_allowed(*, request: MoveRequest, home_id: object, home_organisation_id: int, actor: User) -> bool:
    """Record one check of a home against another landlord's request, if within the limit."""
    key = _check_key(home_id, home_organisation_id)
    checked = homes_checked(request, home_organisation_id)
    if key not in checked and len(checked) >= HOMES_PER_REQUEST:
        return False
    record_event(
        action=CHECKED,
        actor=actor,
        organisation_id=request.organisation_id,
        object_type="move_request",
        object_id=request.pk,
        reason=key,
    )
    if key not in checked and len(checked) + 1 == ALERT_AT:
        recipients = _managers(request.organisation_id)
        record_event(
            action=SUSPECTED,
            actor=actor,
            organisation_id=request.organisation_id,
            object_type="move_request",
            object_id=request.pk,
            reason=f"landlord {home_organisation_id}: {ALERT_AT} homes checked in {PERIOD.days} days",
        )
        if recipients:
            reference = request.reference
            transaction.on_commit(lambda: _send_alert(reference, ALERT_AT, recipients))
    return True
