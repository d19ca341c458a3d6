from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safemoves.accounts.models import User
from safemoves.common.bound import Read, read_together
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Invitation, Membership, Organisation

# Where the sign-in backend leaves the membership it read together with the user (below).
_READ_WITH_USER = "_safemoves_membership"
# The organisation the session signed in to, while the staff middleware reads its user (below).
_SESSION_ORGANISATION: ContextVar[int | None] = ContextVar("session_organisation", default=None)


def _active_membership_with_user(user_id: int) -> QuerySet[Membership]:
    active = Membership.objects.select_related("organisation", "user").filter(user_id=user_id, is_active=True)
    return active.order_by("pk")[:1]


def user_with_membership_read(user_id: int) -> Read[Membership]:
    """The read :func:`user_with_membership` makes, declared so that the staff middleware can
    send it in one round trip with the session's second-factor device (ADR 0035)."""
    return Read("organisations.user_with_membership", _active_membership_with_user, {"user_id": user_id})


@contextmanager
def signed_in_reads_together(
    user_id: int, device: Read[Any] | None, organisation_id: int | None = None, *, first: Sequence[Read[Any]] = ()
) -> Iterator[None]:
    """Inside the block, the user with this id and their membership, and the session's
    second-factor device (an unscoped model), come from one round trip (ADR 0035): the
    first request statements of every staff page.

    ``organisation_id``: the organisation the session signed in to (a member has one
    membership, so one organisation). The membership is then read in that organisation's scope,
    the scope the request's own reads take next, so the database's row-level security
    setting is the same for both, and a connection that already holds it is sent none. Without
    it (a session from before the key was kept) the read is across organisations, as
    :func:`user_with_membership` reads before the membership is known.

    ``first``: reads of unscoped rows sent ahead of these in the same round trip (the session
    row itself, when the middleware knows which user the session named last time)."""
    reads = [*first, user_with_membership_read(user_id), *([device] if device else [])]
    if organisation_id is None:
        with scopes_disabled(), read_together(reads):
            yield
        return
    token = _SESSION_ORGANISATION.set(organisation_id)
    try:
        with organisation_scope(organisation_id), read_together(reads):
            yield
    finally:
        _SESSION_ORGANISATION.reset(token)


def user_with_membership(user_id: Any) -> User | None:
    """The user with this id if they have an active membership, read together with it (and
    its organisation) in one query; the membership is then :func:`membership_for_user`'s
    answer for this user object, with no second read. None: no active membership.

    Inside :func:`signed_in_reads_together` with the session's organisation, read in that
    organisation's scope; should it find nothing there (the membership was moved), read
    across organisations as without it, so the answer is the same either way."""
    if type(user_id) is not int:
        return None  # Django reads the session's user id as the primary key's type, an integer
    found: list[Membership] = []
    organisation_id = _SESSION_ORGANISATION.get()
    if organisation_id is not None:
        with organisation_scope(organisation_id):
            found = list(user_with_membership_read(user_id).queryset())
    if not found:
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
