"""Writes of notifications. A notification is written in the recipient's landlord's scope
(an offer by landlord B notifies landlord A's officer in A's scope) and holds only a kind,
a reference and a link. E-mail goes after commit, through ``send_mail``, to those whose
preferences ask for the kind, with the same text and no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import unaudited
from safemoves.common.scoping import organisation_scope
from safemoves.notifications.codes import NotificationKind, message_for
from safemoves.notifications.models import Notification, NotificationPreference
from safemoves.organisations.models import Membership

logger = logging.getLogger(__name__)


def _send_email(*, kind: str, reference: str, link: str, address: str) -> None:
    label = NotificationKind(kind).label
    url = f"{settings.SAFEMOVES_SITE_URL}{link}"
    body = (
        f"{message_for(kind, reference)}\n\n"
        f"Sign in to SafeMoves to see it: {url}\n\n"
        "This message holds no personal details on purpose; do not forward it outside your organisation.\n"
    )
    send_mail(f"SafeMoves: {label}, {reference}", body, None, [address])


@unaudited("holds a kind, a reference and a link only; the audited service that causes it records the change")
@transaction.atomic
def notify(
    *,
    organisation_id: int,
    recipients: Iterable[User | None],
    kind: str,
    reference: str,
    link: str,
    once_key: str = "",
    already_emailed: Collection[str] = (),
) -> list[Notification]:
    """Notify each recipient (staff of ``organisation_id``) once; e-mail those who want this kind.

    With ``once_key``, a recipient already notified under that key is skipped (ticks are
    idempotent). ``already_emailed`` names addresses another message has just reached.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"{kind!r} is not a notification kind")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    with organisation_scope(organisation_id):
        # Only members of the landlord that owns the rows: a notification never crosses landlords.
        members = set(Membership.objects.filter(user_id__in=people, is_active=True).values_list("user_id", flat=True))
        if once_key:
            members -= set(
                Notification.objects.filter(recipient_id__in=members, once_key=once_key).values_list(
                    "recipient_id", flat=True
                )
            )
        created = Notification.objects.bulk_create(
            [
                Notification(
                    organisation_id=organisation_id,
                    recipient_id=user_id,
                    kind=kind,
                    reference=reference,
                    link=link,
                    once_key=once_key,
                )
                for user_id in sorted(members)
            ]
        )
        chosen = {
            preference.user_id: preference.email_kinds
            for preference in NotificationPreference.objects.filter(user_id__in=members)
        }
    addresses = sorted(
        people[user_id].email
        for user_id in members
        if people[user_id].email
        and people[user_id].email not in already_emailed
        and kind in chosen.get(user_id, NotificationKind.values)
    )
    for address in addresses:
        transaction.on_commit(
            lambda address=address: _send_email(kind=kind, reference=reference, link=link, address=address)  # type: ignore[misc]
        )
    return created


@unaudited("marks the member's own notification read: no case data")
@transaction.atomic
def notification_mark_read(*, membership: Membership, notification: Notification) -> bool:
    """Mark one of the member's own notifications read; False if it already was."""
    if notification.recipient_id != membership.user_id:
        raise ValidationError("That notification is not yours.")
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db()
    return updated == 1


@unaudited("marks the member's own notifications read: no case data")
@transaction.atomic
def notifications_mark_all_read(*, membership: Membership) -> int:
    return Notification.objects.filter(
        organisation_id=membership.organisation_id, recipient_id=membership.user_id, read_at__isnull=True
    ).update(read_at=timezone.now())


@unaudited("the member's own e-mail choices: no case data")
@transaction.atomic
def preferences_update(*, membership: Membership, email_kinds: Iterable[str]) -> list[str]:
    """Save which kinds the member wants by e-mail; returns the kinds whose choice changed."""
    wanted = sorted(set(email_kinds))
    unknown = set(wanted) - set(NotificationKind.values)
    if unknown:
        raise ValidationError({"email_kinds": "Choose from the kinds listed."})
    preference = NotificationPreference.objects.select_for_update().filter(user_id=membership.user_id).first()
    before = set(preference.email_kinds) if preference is not None else set(NotificationKind.values)
    changed = sorted(before ^ set(wanted))
    if not changed:
        return []
    if preference is None:
        preference = NotificationPreference(organisation_id=membership.organisation_id, user_id=membership.user_id)
    preference.email_kinds = wanted
    preference.updated_at = timezone.now()
    preference.save()
    return changed


@unaudited("the tick's notifications carry references only; no case data changes")
def requests_waiting_notify() -> list[str]:
    """The tick: tell coordinators and nominating officers of requests waiting too long (once each)."""
    from safemoves.reciprocal.pool.waiting import notify_requests_waiting  # noqa: PLC0415 -- reciprocal.pool.waiting notifies through this module (a real cycle)

    return notify_requests_waiting()
