"""Routes of public intake (agency referral form, "get in touch" page) and the staff page for referral links."""

from __future__ import annotations

from safemoves.organisations.models import Role
from tests.authz.matrix import PUBLIC, Route
from tests.factories import World
from tests.intake.factories import CONTACT_FORM, REFERRAL_FORM, make_link

LINK_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def _link(world: World) -> None:
    link, token = make_link(world.a)
    world.extra["link_id"] = link.pk
    world.extra["link_token"] = token


ROUTES: tuple[Route, ...] = (
    # The link's token is the referrer's credential: anyone holding it may refer, nobody sees a case.
    Route(
        "intake:agency_referral",
        PUBLIC,
        kwargs=lambda world: {"token": world.extra["link_token"]},
        methods=("GET", "POST"),
        post_data=lambda world: dict(REFERRAL_FORM),
        setup=_link,
    ),
    Route(
        "intake:contact",
        PUBLIC,
        kwargs=lambda world: {"org_slug": world.a.organisation.slug},
        methods=("GET", "POST"),
        post_data=lambda world: dict(CONTACT_FORM),
    ),
    Route(
        "intake:links",
        LINK_MANAGERS,
        methods=("GET", "POST"),
        post_data=lambda world: {"agency_name": "Probe agency", "source": "police"},
    ),
    Route(
        "intake:link_deactivate",
        LINK_MANAGERS,
        kwargs=lambda world: {"link_id": world.extra["link_id"]},
        methods=("POST",),
        targets_object=True,
        setup=_link,
    ),
)
