"""Run the engine on a contract v2 document, with or without an engine that reads v2.

The pool always builds v2 (ADR 0010). Until the engine parses v2 (branch ``engine``), the
document is lowered to v1 here without ever loosening a rule:

* the home's disc is folded into the circles (rule 3: d - u > km  <=>  d > km + u; rule 4:
  d + u <= km  <=>  d <= km - u), exactly for one home, with the largest uncertainty of the
  document for many (stricter, never looser);
* tenure, refused homes and access (rules 7-9) are checked per pair: before the engine for
  one home (exact), after it for a batch (a pair failing them is dropped and its household
  reported unmatched).

When the engine reads v2 the document goes through unchanged and this module is a
pass-through; the lowering can then be deleted.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from safemoves.matching import ContractError, match, parse, rank

_V2_HOUSEHOLD = ("min_tenure_security", "refused", "access_needs")
_V2_HOME = ("uncertainty_km", "tenure_security", "access")


@cache
def engine_reads_v2() -> bool:
    try:
        parse({"version": 2, "households": [], "homes": []})
    except ContractError:
        return False
    return True


def pair_allowed(household: dict[str, Any], home: dict[str, Any]) -> bool:
    """Rules 7-9 of contract v2 for one pair."""
    access = set(home.get("access", [])) | ({"step_free"} if home.get("step_free") else set())
    needs = set(household.get("access_needs", [])) | ({"step_free"} if household.get("step_free") else set())
    return (
        int(home.get("tenure_security", 0)) >= int(household.get("min_tenure_security", 0))
        and home["id"] not in set(household.get("refused", []))
        and needs <= access
    )


def _lower(document: dict[str, Any], uncertainty_km: float) -> dict[str, Any]:
    lowered = copy.deepcopy(document)
    lowered.pop("version", None)
    households = []
    for household in lowered["households"]:
        for name in _V2_HOUSEHOLD:
            household.pop(name, None)
        household["avoid"] = [{**point, "km": point["km"] + uncertainty_km} for point in household.get("avoid", [])]
        near = [{**point, "km": point["km"] - uncertainty_km} for point in household.get("near", [])]
        if any(point["km"] < 0 for point in near):
            continue  # no point of any home's disc can be within reach: never feasible
        household["near"] = near
        households.append(household)
    lowered["households"] = households
    for home in lowered["homes"]:
        for name in _V2_HOME:
            home.pop(name, None)
    return lowered


def rank_home(document: dict[str, Any], *, home_id: str, top: int) -> list[dict[str, Any]]:
    """The engine's candidates for the one home ``home_id`` of ``document``."""
    if engine_reads_v2():
        return list(rank(document, home=home_id, top=top)["candidates"])
    [home] = [home for home in document["homes"] if home["id"] == home_id]
    narrowed = {
        **document,
        "homes": [home],
        "households": [h for h in document["households"] if pair_allowed(h, home)],
    }
    if not narrowed["households"]:
        return []
    lowered = _lower(narrowed, float(home.get("uncertainty_km", 0.0)))
    if not lowered["households"]:
        return []
    return list(rank(lowered, home=home_id, top=top)["candidates"])


def match_all(document: dict[str, Any]) -> dict[str, Any]:
    """The engine's assignments for ``document``; v2 rules held either way."""
    if engine_reads_v2():
        return match(document)
    widest = max((float(home.get("uncertainty_km", 0.0)) for home in document["homes"]), default=0.0)
    lowered = _lower(document, widest)
    kept = {household["id"] for household in lowered["households"]}
    dropped = [household["id"] for household in document["households"] if household["id"] not in kept]
    result = match(lowered) if lowered["households"] else {"assignments": [], "unmatched": [], "stats": {}}
    households = {household["id"]: household for household in document["households"]}
    homes = {home["id"]: home for home in document["homes"]}
    assignments = []
    unmatched = list(result["unmatched"]) + dropped
    for assignment in result["assignments"]:
        if pair_allowed(households[assignment["household"]], homes[assignment["home"]]):
            assignments.append(assignment)
        else:
            unmatched.append(assignment["household"])
    return {**result, "assignments": assignments, "unmatched": unmatched}
