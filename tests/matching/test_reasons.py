"""Golden texts: coordinators read these, so their wording is part of the contract."""

from __future__ import annotations

from typing import Any

from safemoves.matching import match, rank


def test_contract_example_reasons(example: dict[str, Any]) -> None:
    (assignment,) = match(example)["assignments"]
    assert assignment == {
        "household": "H1",
        "home": "P1",
        "score": 319,
        "reasons": [
            "2 bedrooms needed, home has 2 (exact fit)",
            "household has pets, home allows pets",
            "18.2 km from the nearest unsafe place (must be more than 10 km)",
            "within 15 km of a required place (12.4 km)",
            "in a chosen area (E07000110)",
            "outside the areas to avoid (E07000106)",
            "urgent",
            "waiting 40 days",
            "12.6 km from a preferred place (weight 2)",
            "landlord L2 owes the pool 2 homes",
            "score 319: urgency 200, waiting 5, preferred places 44, size fit 50, ledger 20",
        ],
    }


def test_minimal_household_reasons() -> None:
    doc = {
        "households": [{"id": "H1", "landlord": "L1", "bedrooms": 1, "step_free": True}],
        "homes": [
            {
                "id": "P1",
                "landlord": "L2",
                "lat": 51.0,
                "lon": 0.0,
                "area": "A",
                "bedrooms": 2,
                "step_free": True,
            }
        ],
        "ledger": {"L2": 3},
    }
    (assignment,) = match(doc)["assignments"]
    assert assignment["reasons"] == [
        "1 bedroom needed, home has 2 (1 extra bedroom)",
        "step-free access needed, home is step-free",
        "score 25: urgency 0, waiting 0, preferred places 0, size fit 25, ledger 0",
    ]


def test_avoid_distance_never_displays_as_inside_the_zone() -> None:
    doc = {
        "households": [
            {
                "id": "H1",
                "landlord": "L1",
                "bedrooms": 1,
                "waiting_days": 1,
                "avoid": [{"lat": 51.0, "lon": 0.0, "km": 1.1}],
            }
        ],
        "homes": [{"id": "P1", "landlord": "L2", "lat": 51.00992, "lon": 0.0, "area": "A", "bedrooms": 1}],
    }
    reasons = match(doc)["assignments"][0]["reasons"]
    assert reasons[1] == "1.103 km from the nearest unsafe place (must be more than 1.1 km)"
    assert reasons[2] == "waiting 1 day"


def _pool() -> dict[str, Any]:
    homes = [
        {"id": f"P{i}", "landlord": "L2", "lat": 51.0 + i / 100, "lon": 0.0, "area": "A"} | {"bedrooms": 2 + i % 2}
        for i in range(5)
    ]
    households = [
        {"id": "H1", "landlord": "L1", "bedrooms": 2, "prefer": [{"lat": 51.0, "lon": 0.0, "weight": 1}]},
        {"id": "H2", "landlord": "L1", "bedrooms": 3, "urgent": True},
        {"id": "H3", "landlord": "L1", "bedrooms": 3, "waiting_days": 70},
    ]
    return {"households": households, "homes": homes}


def test_rank_homes_for_a_household() -> None:
    ranked = rank(_pool(), household="H1", top=3)
    assert ranked["household"] == "H1"
    assert ranked["feasible"] == 5
    assert [(c["home"], c["score"]) for c in ranked["candidates"]] == [
        ("P0", 150),
        ("P2", 132),
        ("P4", 119),
    ]
    assert ranked["candidates"][0]["reasons"][0] == "2 bedrooms needed, home has 2 (exact fit)"


def test_rank_households_for_a_home() -> None:
    ranked = rank(_pool(), home="P1")
    assert ranked == {
        "home": "P1",
        "feasible": 3,
        "candidates": [
            {
                "household": "H2",
                "score": 250,
                "reasons": [
                    "3 bedrooms needed, home has 3 (exact fit)",
                    "urgent",
                    "score 250: urgency 200, waiting 0, preferred places 0, size fit 50, ledger 0",
                ],
            },
            {
                "household": "H1",
                "score": 115,
                "reasons": [
                    "2 bedrooms needed, home has 3 (1 extra bedroom)",
                    "1.1 km from a preferred place (weight 1)",
                    "score 115: urgency 0, waiting 0, preferred places 90, size fit 25, ledger 0",
                ],
            },
            {
                "household": "H3",
                "score": 60,
                "reasons": [
                    "3 bedrooms needed, home has 3 (exact fit)",
                    "waiting 70 days",
                    "score 60: urgency 0, waiting 10, preferred places 0, size fit 50, ledger 0",
                ],
            },
        ],
    }


def test_v2_reasons_name_the_disc_tenure_and_access() -> None:
    doc = {
        "version": 2,
        "households": [
            {
                "id": "H1",
                "landlord": "L1",
                "bedrooms": 1,
                "avoid": [{"lat": 51.1, "lon": 0.0, "km": 5}],
                "min_tenure_security": 2,
                "access_needs": ["level_access", "lift"],
            }
        ],
        "homes": [
            {
                "id": "P1",
                "landlord": "L2",
                "lat": 51.0,
                "lon": 0.0,
                "area": "A",
                "bedrooms": 1,
                "uncertainty_km": 0.5,
                "tenure_security": 3,
                "access": ["lift", "level_access"],
            }
        ],
    }
    (assignment,) = match(doc)["assignments"]
    assert assignment["reasons"] == [
        "1 bedroom needed, home has 1 (exact fit)",
        "access needed (level access, lift), home provides it",
        "home position known to within 0.5 km; every point of that disc was checked",
        "11.1 km from the nearest unsafe place (must be more than 5 km plus the 0.5 km uncertainty)",
        "tenure security 3, at least 2 needed",
        "score 50: urgency 0, waiting 0, preferred places 0, size fit 50, ledger 0",
    ]
