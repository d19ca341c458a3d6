from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.models import StaffSession, User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.extensions import CASEWORK_ROLES, departure_hooks
from safemoves.organisations.models import Invitation, Membership, Organisation, Role

INVITATION_LIFETIME = timedelta(days=7)


@unaudited("computes a hash; reads and writes nothing")
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@audited("staff.invited")
@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by: User, email: str, full_name: str, role: str, base_url: str
) -> tuple[Invitation, str]:
    """Invite a new member of staff; returns the invitation and the one-time link."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": "Someone with this e-mail address already has an account."})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    record_event(
        action="staff.invited",
        actor=invited_by,
        organisation_id=organisation.pk,
        object_type="invitation",
        object_id=invitation.pk,
        fields=["email", "full_name", "role"],
    )
    link = base_url.rstrip("/") + reverse("accounts:accept_invitation", kwargs={"token": token})
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You have been invited to SafeMoves by {organisation.name}",
            message=(
                f"Hello {invitation.full_name},\n\n{organisation.name} has invited you to SafeMoves.\n"
                f"Open this link within 7 days to choose a password and set up your second factor:\n\n{link}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    )
    return invitation, link


@audited("staff.joined")
@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Create the account and membership for an open invitation."""
    with organisation_scope(invitation.organisation_id):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise ValidationError("This invitation has expired or has already been used.")
        if User.objects.filter(email=locked.email).exists():
            raise ValidationError("Someone with this e-mail address already has an account.")
        user = User.objects.create_user(locked.email, password, full_name=locked.full_name)
        membership = Membership.objects.create(user=user, organisation_id=locked.organisation_id, role=locked.role)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        record_event(
            action="staff.joined",
            actor=user,
            organisation_id=locked.organisation_id,
            object_type="membership",
            object_id=membership.pk,
        )
        return user


@audited("staff.invitation_revoked")
@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(
        action="staff.invitation_revoked",
        actor=actor,
        organisation_id=invitation.organisation_id,
        object_type="invitation",
        object_id=invitation.pk,
    )


@unaudited("ends sessions for an audited change (deactivation, role change, second-factor reset)")
def end_sessions_of(user: User) -> int:
    """End every session the user holds, now."""
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)


@audited("staff.deactivated")
@transaction.atomic
def member_deactivate(*, membership: Membership, actor: User) -> list[str]:
    """Take away a member's access at once: the account is disabled and its sessions end.
    Returns what the other apps did about the work they leave (for the administrator)."""
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not membership.is_active:
        raise ValidationError("This account is already deactivated.")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    user = membership.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions_of(user)
    # Their open cases must not be left with someone who can no longer sign in.
    done = _run_departure_hooks(membership, actor)
    record_event(
        action="staff.deactivated",
        actor=actor,
        organisation_id=membership.organisation_id,
        object_type="membership",
        object_id=membership.pk,
        fields=["is_active"],
        reason=f"{ended} session(s) ended",
    )
    return done


def _run_departure_hooks(membership: Membership, actor: User) -> list[str]:
    return [said for hook in departure_hooks() if (said := hook(membership, actor))]


@audited("staff.reactivated")
@transaction.atomic
def member_reactivate(*, membership: Membership, actor: User) -> None:
    if membership.is_active:
        raise ValidationError("This account is already active.")
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    user = membership.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(
        action="staff.reactivated",
        actor=actor,
        organisation_id=membership.organisation_id,
        object_type="membership",
        object_id=membership.pk,
        fields=["is_active"],
    )


@audited("staff.role_changed")
@transaction.atomic
def member_change_role(*, membership: Membership, actor: User, role: str) -> list[str]:
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role."})
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot change your own role.")
    leaves_casework = membership.role in CASEWORK_ROLES and role not in CASEWORK_ROLES
    membership.role = role
    membership.save(update_fields=["role"])
    end_sessions_of(membership.user)
    done = _run_departure_hooks(membership, actor) if leaves_casework and membership.is_active else []
    record_event(
        action="staff.role_changed",
        actor=actor,
        organisation_id=membership.organisation_id,
        object_type="membership",
        object_id=membership.pk,
        fields=["role"],
    )
    return done


@audited("staff.second_factor_reset")
@transaction.atomic
def member_reset_second_factor(*, membership: Membership, actor: User) -> int:
    """A lost phone: remove the member's authenticator and recovery codes and end their sessions;
    at their next sign-in they set up a new authenticator (and get new codes). Returns the
    number of devices removed."""
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot reset your own second factor: ask another administrator.")
    user = membership.user
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    ended = end_sessions_of(user)
    record_event(
        action="staff.second_factor_reset",
        actor=actor,
        organisation_id=membership.organisation_id,
        object_type="membership",
        object_id=membership.pk,
        fields=["second_factor"],
        reason=f"{ended} session(s) ended; must enrol again",
    )
    return removed
