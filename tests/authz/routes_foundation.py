"""Routes of the foundation: the shell, sign-in, staff administration and the audit log."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.authz.matrix import ALL_ROLES, PUBLIC, Route
from tests.factories import World


def _member_id(world: World) -> dict[str, Any]:
    from safemoves.common.scoping import scopes_disabled

    with scopes_disabled():
        return {"membership_id": world.a[Role.OFFICER].membership.pk}


def _invitation(world: World) -> None:
    from safemoves.organisations.services import invitation_create

    with organisation_scope(world.a.organisation.pk):  # as the admin's staff page runs it
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
