"""What other apps do when a member stops doing casework.

A member who is deactivated, or whose role changes to one that cannot hold cases, leaves work
behind in apps this one may not import (the cases app is built on it). Those apps register a
hook here; the organisation services call every hook in the same transaction as the change.
A hook returns a sentence for the administrator saying what it did ("" when nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from safemoves.accounts.models import User
from safemoves.organisations.models import Membership, Role

# The roles that may be assigned cases (``cases.policies.CASE_WORKERS`` is this set).
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.MANAGER})

_departure_hooks: list[Callable[[Membership, User], str]] = []


def register_departure_hook(hook: Callable[[Membership, User], str]) -> None:
    if hook not in _departure_hooks:
        _departure_hooks.append(hook)


def departure_hooks() -> tuple[Callable[[Membership, User], str], ...]:
    return tuple(_departure_hooks)


class Handover:
    """Who takes one open item of a departing member's work on a case (a task, a safety action).

    Decided from the data, never from the order the hooks run in (the cases hook may or may not
    have sent the leaver's own cases back to triage yet):

    * the case's officer, if that is someone other than the leaver who still does casework here;
    * otherwise the person who made the change, if they may hold casework here;
    * otherwise the landlord's longest-serving active manager: the staff page is an
      administrator's, and an administrator can neither read a case nor own its work;
    * the administrator only when the landlord has no active manager at all.

    Build it inside the landlord's organisation scope.
    """

    def __init__(self, membership: Membership, actor: User) -> None:
        workers = list(
            Membership.objects.filter(
                organisation_id=membership.organisation_id,
                is_active=True,
                user__is_active=True,
                role__in=CASEWORK_ROLES,
            )
            .exclude(user_id=membership.user_id)
            .select_related("user")
            .order_by("created_at", "pk")
        )
        self._workers = {member.user_id: member.user for member in workers}
        managers = [member.user for member in workers if member.role == Role.MANAGER]
        if actor.pk in self._workers:
            self.fallback = actor
        else:
            self.fallback = managers[0] if managers else actor

    def taker(self, case_officer_id: int | None) -> User:
        """Who takes an item on a case whose assigned officer is ``case_officer_id``."""
        if case_officer_id is not None and case_officer_id in self._workers:
            return self._workers[case_officer_id]
        return self.fallback


def handover_sentence(takers: Sequence[User], *, actor: User, one: str, many: str) -> str:
    """What a hook tells the administrator: "3 open tasks passed to you.", or with more than one
    taker "3 open tasks passed on: 2 to Pat Officer and 1 to you." ("" when nothing passed)."""
    if not takers:
        return ""
    people = {taker.pk: taker for taker in takers}

    def name(pk: int) -> str:
        return "you" if pk == actor.pk else str(people[pk])

    counts = Counter(taker.pk for taker in takers)
    what = f"{len(takers)} {one if len(takers) == 1 else many}"
    if len(counts) == 1:
        return f"{what} passed to {name(takers[0].pk)}."
    parts = [
        f"{count} to {name(pk)}" for pk, count in sorted(counts.items(), key=lambda item: (-item[1], name(item[0])))
    ]
    return f"{what} passed on: {', '.join(parts[:-1])} and {parts[-1]}."
