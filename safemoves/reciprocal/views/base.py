"""Small helpers shared by the scheme's pages."""

from __future__ import annotations

from safemoves.geo import area_name, is_known_area


def area(code: str) -> str:
    return area_name(code) if is_known_area(code) else code
