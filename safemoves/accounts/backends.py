"""The sign-in backend: Django's model backend, less the demo accounts outside demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from safemoves.organisations.selectors import user_with_membership

# The dotted path sessions record for a full sign-in.
STAFF_BACKEND = "safemoves.accounts.backends.StaffBackend"


class StaffBackend(ModelBackend):
    """Demo accounts share a published password, so they exist only while SAFEMOVES_DEMO is on.

    A database seeded in demo mode and later served under production settings must not let
    anyone in with that password: such accounts can neither sign in nor keep a session.
    """

    def get_user(self, user_id: Any) -> Any:
        """The session's user, read in one query with the membership every staff request acts
        through (StaffSessionMiddleware asks for it next); a user without an active
        membership is read alone, as Django does, and then signed out by that middleware."""
        user = user_with_membership(user_id)
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO:
            return False
        return super().user_can_authenticate(user)
