"""The breach-notifier tick: overdue safety actions across every landlord, and who is told.

The only part of the safety services allowed to disable the organisation scope (TID251 allow-list).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.cases.policies import can_view_case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.models import Membership, Role
from safemoves.safety.codes import (
    ActionStatus,
)
from safemoves.safety.models import (
    SafetyAction,
)

logger = logging.getLogger("safemoves.safety.services")  # the name before the split (ADR 0029)


@dataclass(frozen=True)
class BreachNotice:
    action_id: str
    case_reference: str
    action_label: str
    recipients: tuple[str, ...]


def _breach_recipients(case: Case) -> list[str]:
    managers = Membership.objects.filter(
        organisation_id=case.organisation_id, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    # A restricted case is reported only to the managers named on it.
    return sorted(member.user.email for member in managers if member.user.email and can_view_case(member, case))


def _notify_breach(action: SafetyAction, emailed: list[str]) -> None:
    """In-application notice of the breach to the case's officer and the managers who may see
    the case (the managers' e-mail has gone by ``_send_breach_mail``)."""
    case = action.case
    managers = Membership.objects.filter(
        organisation_id=case.organisation_id, role=Role.MANAGER, is_active=True, user__is_active=True
    ).select_related("user")
    people = [member.user for member in managers if can_view_case(member, case)]
    notify(
        organisation_id=case.organisation_id,
        recipients=[*people, case.assigned_officer],
        kind=NotificationKind.CLOCK_BREACHED,
        reference=case.reference,
        link=reverse("cases:detail", kwargs={"case_id": case.pk}),
        once_key=f"breach:{action.pk}",
        already_emailed=emailed,
    )


def _send_breach_mail(notice: BreachNotice) -> None:
    subject = f"Safety action overdue: {notice.action_label}, case {notice.case_reference}"
    body = (
        f"A safety action on case {notice.case_reference} has passed its deadline and is not done.\n\n"
        f"Action: {notice.action_label}\n\n"
        "Sign in to SafeMoves and open Overdue actions to see it.\n"
        "This message holds no personal details on purpose; do not forward it outside your organisation.\n"
    )
    send_mail(subject, body, None, list(notice.recipients))


@audited("safety.breach_notified")
def safety_breaches_notify(*, now: datetime | None = None) -> list[BreachNotice]:
    """Tell each landlord's managers, once, of every open safety action past its deadline.

    Each breach is claimed in its own transaction (``breach_notified_at`` set, audit event
    written) and its e-mail sent after that commit, so a second run finds nothing to send
    and a failure part-way leaves the rest for the next run.
    """
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            SafetyAction.objects.filter(
                status=ActionStatus.OPEN, done_at__isnull=True, breach_notified_at__isnull=True, due_at__lt=now
            )
            # A closed case's clocks have stopped: nobody is told of a breach on it.
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("due_at")
            .values_list("pk", "organisation_id")
        )
    notices: list[BreachNotice] = []
    for action_id, organisation_id in due:
        with organisation_scope(organisation_id), transaction.atomic():
            action = (
                SafetyAction.objects.select_for_update()
                .select_related("action_type", "case", "case__organisation")
                .filter(pk=action_id, breach_notified_at__isnull=True, status=ActionStatus.OPEN)
                .first()
            )
            if action is None:
                continue
            action.breach_notified_at = now
            action.save(update_fields=["breach_notified_at"])
            recipients = _breach_recipients(action.case)
            notice = BreachNotice(
                action_id=str(action.pk),
                case_reference=action.case.reference,
                action_label=action.action_type.label,
                recipients=tuple(recipients),
            )
            record_case_event(
                action="safety.breach_notified",
                actor=None,
                organisation_id=organisation_id,
                case_id=action.case_id,
                fields=["breach_notified_at"],
                reason=f"action {action.pk}: {action.action_type.code}, {len(recipients)} manager(s)",
            )
            _notify_breach(action, recipients)
            if recipients:
                transaction.on_commit(lambda notice=notice: _send_breach_mail(notice))  # type: ignore[misc]
            else:
                logger.warning("Overdue safety action %s has no manager to notify", action.pk)
            notices.append(notice)
    return notices


# --- agency directory and referrals -------------------------------------------------------
