from __future__ import annotations

import copy
from typing import Any

import pytest

EXAMPLE: dict[str, Any] = {
    "households": [
        {
            "id": "H1",
            "landlord": "L1",
            "bedrooms": 2,
            "step_free": False,
            "pets": True,
            "areas": ["E07000110"],
            "avoid_areas": ["E07000106"],
            "avoid": [{"lat": 51.27, "lon": 1.08, "km": 10}],
            "near": [{"lat": 51.30, "lon": 0.98, "km": 15}],
            "prefer": [{"lat": 51.29, "lon": 0.99, "weight": 2}],
            "waiting_days": 40,
            "urgent": True,
        }
    ],
    "homes": [
        {
            "id": "P1",
            "landlord": "L2",
            "lat": 51.25,
            "lon": 0.82,
            "area": "E07000110",
            "bedrooms": 2,
            "step_free": True,
            "pets": True,
        }
    ],
    "ledger": {"L1": -2, "L2": -2},
    "rules": {"max_extra_bedrooms": 1, "same_landlord": False},
}


@pytest.fixture
def example() -> dict[str, Any]:
    """The contract's own example, with the home moved inside the household's near zone."""
    return copy.deepcopy(EXAMPLE)
