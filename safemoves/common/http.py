from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from safemoves.accounts.models import User
    from safemoves.organisations.models import Membership


class StaffRequest(HttpRequest):
    """A request from a signed-in member of staff (see StaffSessionMiddleware)."""

    user: User
    membership: Membership
