"""The authorisation matrix: every URL pattern, who may use it, and how to reach its target.

Later features add their routes here. `test_matrix.py` fails when a URL pattern
exists that this table does not describe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from safemoves.organisations.models import Role
from tests.factories import World

ALL_ROLES = frozenset(Role)
PUBLIC = "public"


@dataclass(frozen=True)
class Route:
    name: str
    # Who may use it: "public", or the roles of landlord A (the owner of the target) that may.
    allowed: frozenset[Role] | str
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    methods: tuple[str, ...] = ("GET",)
    post_data: Callable[[World], dict[str, Any]] = lambda world: {}
    # True when the URL names an object of landlord A; then landlord B's members are outsiders
    # whatever their role. False for pages about "my own organisation" (each landlord sees its own).
    targets_object: bool = False
    setup: Callable[[World], None] | None = None
    notes: str = field(default="", compare=False)


def _member_id(world: World) -> dict[str, Any]:
    from safemoves.common.scoping import scopes_disabled

    with scopes_disabled():
        return {"membership_id": world.a[Role.OFFICER].membership.pk}


def _invitation(world: World) -> None:
    from safemoves.organisations.services import invitation_create

    invitation, link = invitation_create(
        organisation=world.a.organisation,
        invited_by=world.a[Role.ADMIN],
        email="new.starter@alpha.test",
        full_name="New Starter",
        role=Role.OFFICER,
        base_url="http://testserver/",
    )
    world.extra["invitation_id"] = invitation.pk
    world.extra["invitation_token"] = link.rstrip("/").rsplit("/", 1)[-1]


ROUTES: tuple[Route, ...] = (
    Route("web:home", ALL_ROLES),
    Route("web:health", PUBLIC),
    Route("accounts:login", PUBLIC, methods=("GET", "POST")),
    Route("accounts:verify", PUBLIC, methods=("GET", "POST")),
    Route("accounts:enrol", PUBLIC, methods=("GET", "POST")),
    Route("accounts:logout", PUBLIC, methods=("POST",)),
    Route(
        "accounts:accept_invitation",
        PUBLIC,
        kwargs=lambda world: {"token": world.extra["invitation_token"]},
        setup=_invitation,
    ),
    Route("organisations:staff", frozenset({Role.ADMIN})),
    Route(
        "organisations:invite",
        frozenset({Role.ADMIN}),
        methods=("GET", "POST"),
        post_data=lambda world: {"full_name": "Probe", "email": "probe@outsider.test", "role": Role.ADMIN},
    ),
    Route(
        "organisations:deactivate", frozenset({Role.ADMIN}), kwargs=_member_id, methods=("POST",), targets_object=True
    ),
    Route(
        "organisations:reactivate", frozenset({Role.ADMIN}), kwargs=_member_id, methods=("POST",), targets_object=True
    ),
    Route(
        "organisations:change_role",
        frozenset({Role.ADMIN}),
        kwargs=_member_id,
        methods=("POST",),
        post_data=lambda world: {"role": Role.ADMIN},
        targets_object=True,
    ),
    Route(
        "organisations:revoke_invitation",
        frozenset({Role.ADMIN}),
        kwargs=lambda world: {"invitation_id": world.extra["invitation_id"]},
        methods=("POST",),
        targets_object=True,
        setup=_invitation,
    ),
    Route("audit:log", frozenset({Role.AUDITOR, Role.ADMIN})),
)


def url_pattern_names() -> set[str]:
    """Every URL pattern the resolver knows, as namespaced names (unnamed ones reported by route)."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            else:
                names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names
