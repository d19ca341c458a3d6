"""Small helpers shared by the scheme's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from safemoves.common.http import StaffRequest
from safemoves.geo import area_name, is_known_area


def say(request: StaffRequest, error: ValidationError) -> None:
    """A service's refusal, as messages on the page the view redirects to."""
    for problem in error.messages:
        messages.error(request, problem)


def area(code: str) -> str:
    return area_name(code) if is_known_area(code) else code
