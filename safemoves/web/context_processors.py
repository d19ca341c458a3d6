from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from safemoves.web.navigation import nav_for


def shell(request: HttpRequest) -> dict[str, object]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "navigation": nav_for(membership, request.path) if membership is not None else [],
        "demo_mode": settings.DEMO,
    }
