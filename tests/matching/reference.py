"""Straightforward re-statements of the v1 and v2 rules, written independently of the engine.

Scalar ``math`` code on purpose: the tests compare the vectorised engine against it.
"""

from __future__ import annotations

import math
from typing import Any

R_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2) - math.radians(lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def rules_of(doc: dict[str, Any]) -> tuple[int, bool]:
    rules = doc.get("rules", {})
    return rules.get("max_extra_bedrooms", 1), rules.get("same_landlord", False)


def is_feasible(h: dict[str, Any], p: dict[str, Any], doc: dict[str, Any]) -> bool:
    max_extra, same_landlord = rules_of(doc)
    if not h["bedrooms"] <= p["bedrooms"] <= h["bedrooms"] + max_extra:
        return False
    # Rule 2 and v2 rule 9: every need (step_free folded in) is something the home provides.
    needs = set(h.get("access_needs", [])) | ({"step_free"} if h.get("step_free", False) else set())
    provides = set(p.get("access", [])) | ({"step_free"} if p.get("step_free", False) else set())
    if not needs <= provides:
        return False
    if h.get("pets", False) and not p.get("pets", False):
        return False
    # Rules 3 and 4 over the home's uncertainty disc (v2; radius 0 in v1).
    u = p.get("uncertainty_km", 0)
    for z in h.get("avoid", []):
        if not distance_km(p["lat"], p["lon"], z["lat"], z["lon"]) - u > z["km"]:
            return False
    for z in h.get("near", []):
        if not distance_km(p["lat"], p["lon"], z["lat"], z["lon"]) + u <= z["km"]:
            return False
    if p.get("tenure_security", 0) < h.get("min_tenure_security", 0):
        return False
    if p["id"] in h.get("refused", []):
        return False
    if p["area"] in h.get("avoid_areas", []):
        return False
    if h.get("areas") and p["area"] not in h["areas"]:
        return False
    return same_landlord or p["landlord"] != h["landlord"]


def score(h: dict[str, Any], p: dict[str, Any], doc: dict[str, Any]) -> int:
    """The documented scoring formula (ADR 0004), one pair at a time."""
    total: int = 200 if h.get("urgent", False) else 0
    total += min(h.get("waiting_days", 0) // 7, 104)
    prefer = h.get("prefer", [])
    weight = sum(z["weight"] for z in prefer)
    if weight > 0:
        closeness = 0.0
        for z in prefer:
            d = distance_km(p["lat"], p["lon"], z["lat"], z["lon"])
            closeness += z["weight"] * (10.0 / (10.0 + d))
        total += round(100 * closeness / weight)
    total += max(0, 50 - 25 * (p["bedrooms"] - h["bedrooms"]))
    balance = doc.get("ledger", {}).get(p["landlord"], 0)
    total += 10 * min(max(-balance, 0), 5)
    return total


def feasible_pairs(doc: dict[str, Any]) -> list[tuple[int, int]]:
    return [
        (i, j) for i, h in enumerate(doc["households"]) for j, p in enumerate(doc["homes"]) if is_feasible(h, p, doc)
    ]


def best_matching_value(doc: dict[str, Any]) -> tuple[int, int]:
    """(most households housed, best total score among those) by exhaustive search."""
    pairs = feasible_pairs(doc)
    by_household: dict[int, list[int]] = {}
    for i, j in pairs:
        by_household.setdefault(i, []).append(j)
    scores = {(i, j): score(doc["households"][i], doc["homes"][j], doc) for i, j in pairs}
    households = sorted(by_household)
    best = (0, 0)

    def walk(k: int, used: frozenset[int], housed: int, total: int) -> None:
        nonlocal best
        if k == len(households):
            best = max(best, (housed, total))
            return
        walk(k + 1, used, housed, total)
        i = households[k]
        for j in by_household[i]:
            if j not in used:
                walk(k + 1, used | {j}, housed + 1, total + scores[(i, j)])

    walk(0, frozenset(), 0, 0)
    return best
