from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safemoves.accounts.models import User
from safemoves.common.bound import Read, read_together
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Invitation, Membership, Organisation

# Where the sign-in backend leaves the membership it read together with the user (below).
_READ_WITH_USER = "_safemoves_membership"


def _active_membership_with_user(user_id: int) -> QuerySet[Membership]:
    active = Membership.objects.select_related("organisation", "user").filter(user_id=user_id, is_active=True)
    return active.order_by("pk")[:1]


def user_with_membership_read(user_id: int) -> Read[Membership]:
    """The read :func:`user_with_membership` makes, declared so that the staff middleware can
    send it in one round trip with the session's second-factor device (ADR 0035)."""
    return Read("organisations.user_with_membership", _active_membership_with_user, {"user_id": user_id})


@contextmanager
def signed_in_reads_together(user_id: int, device: Read[Any] | None) -> Iterator[None]:
    """Inside the block, the user with this id and their membership, and the session's
    second-factor device (an unscoped model), come from one round trip (ADR 0035): the
    first request statements of every staff page. Read across organisations, as
    :func:`user_with_membership` reads: no scope exists before the membership is known."""
    with scopes_disabled(), read_together([user_with_membership_read(user_id), *([device] if device else [])]):
        yield


def user_with_membership(user_id: Any) -> User | None:
    """The user with this id if they have an active membership, read together with it (and
    its organisation) in one query; the membership is then :func:`membership_for_user`'s
    answer for this user object, with no second read. None: no active membership."""
    if type(user_id) is not int:
        return None  # Django reads the session's user id as the primary key's type, an integer
    with scopes_disabled():
        found = list(user_with_membership_read(user_id).queryset())
    if not found:
        return None
    membership = found[0]
    user = membership.user
    setattr(user, _READ_WITH_USER, membership)
    return user


def membership_for_user(user: User) -> Membership | None:
    """The signed-in user's membership; looked up before any scope exists, by user id only."""
    read_with_user: Membership | None = getattr(user, _READ_WITH_USER, None)
    if read_with_user is not None:
        # Read in the same query as this very user object, this request (ADR 0030).
        return read_with_user if user.is_active else None
    with scopes_disabled():
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user_id=user.pk, is_active=True, user__is_active=True)
            .first()
        )
    if membership is not None:
        # The user row was just read (the join above still requires it active): no second copy.
        membership.user = user
    return membership


def staff_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__full_name")
    )


def get_member(*, organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), organisation=organisation, pk=membership_id)


def open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    """Public lookup for the accept-invitation page; the token hash is the only key."""
    with scopes_disabled():
        invitation = Invitation.objects.select_related("organisation").filter(token_hash=token_hash).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation
