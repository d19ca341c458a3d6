"""Human-readable reasons for a pair: which rules it meets, and where its score comes from.

Distances are rounded for display only; feasibility was decided on exact values.
"""

from __future__ import annotations

from .contract import FloatArray, Instance
from .feasibility import point_distances
from .model import STEP_FREE_BIT, IndexArray, access_names
from .scoring import Scores


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _radius(km: float) -> str:
    return f"{km:g} km"


def _access(mask: int) -> str:
    return ", ".join(name.replace("_", " ") for name in access_names(mask))


def _distance(km: float) -> str:
    return f"{km:.1f} km"


def _distance_beyond(km: float, radius: float) -> str:
    """A distance shown with enough decimals that it visibly exceeds ``radius``."""
    for decimals in (1, 2, 3):
        if round(km, decimals) > radius:
            return f"{km:.{decimals}f} km"
    return f"{km:.6f} km"


def _distances_by_pair(
    instance: Instance, household: IndexArray, home: IndexArray, which: str
) -> list[list[tuple[float, float]]]:
    """For each pair, (distance, point value) for every point of the household, in order."""
    points = getattr(instance.households, which)
    per_pair: list[list[tuple[float, float]]] = [[] for _ in range(len(household))]
    if len(points.lat) == 0 or len(household) == 0:
        return per_pair
    pair_index, row, km = point_distances(household, home, points, instance.homes)
    values: FloatArray = points.value[row]
    for i, distance, value in zip(pair_index.tolist(), km.tolist(), values.tolist(), strict=True):
        per_pair[i].append((distance, value))
    return per_pair


def reasons(instance: Instance, household: IndexArray, home: IndexArray, scores: Scores) -> list[list[str]]:
    """Reasons for each pair ``(household[i], home[i])``, scored by ``scores``."""
    households, homes = instance.households, instance.homes
    avoid = _distances_by_pair(instance, household, home, "avoid")
    near = _distances_by_pair(instance, household, home, "near")
    prefer = _distances_by_pair(instance, household, home, "prefer")
    totals = scores.total
    result = []
    for i, (h, p) in enumerate(zip(household.tolist(), home.tolist(), strict=True)):
        lines = []
        needed, offered = int(households.bedrooms[h]), int(homes.bedrooms[p])
        fit = "exact fit" if needed == offered else f"{_plural(offered - needed, 'extra bedroom')}"
        lines.append(f"{_plural(needed, 'bedroom')} needed, home has {offered} ({fit})")
        needs = int(households.access_needs[h])
        if needs == STEP_FREE_BIT:
            lines.append("step-free access needed, home is step-free")
        elif needs:
            lines.append(f"access needed ({_access(needs)}), home provides it")
        if households.pets[h]:
            lines.append("household has pets, home allows pets")
        uncertainty = float(homes.uncertainty_km[p])
        if uncertainty:
            lines.append(f"home position known to within {_radius(uncertainty)}; every point of that disc was checked")
        if avoid[i]:
            distance, radius = min(avoid[i])
            if uncertainty:
                lines.append(
                    f"{_distance_beyond(distance, radius + uncertainty)} from the nearest unsafe place"
                    f" (must be more than {_radius(radius)} plus the {_radius(uncertainty)} uncertainty)"
                )
            else:
                lines.append(
                    f"{_distance_beyond(distance, radius)} from the nearest unsafe place"
                    f" (must be more than {_radius(radius)})"
                )
        for distance, radius in near[i]:
            lines.append(f"within {_radius(radius)} of a required place ({_distance(distance)})")
        needed_tenure = int(households.min_tenure[h])
        if needed_tenure:
            lines.append(f"tenure security {int(homes.tenure[p])}, at least {needed_tenure} needed")
        area = instance.area_names[int(homes.area[p])]
        a0, a1 = households.areas_ptr[h], households.areas_ptr[h + 1]
        if a1 > a0:
            lines.append(f"in a chosen area ({area})")
        v0, v1 = households.avoid_areas_ptr[h], households.avoid_areas_ptr[h + 1]
        if v1 > v0:
            names = ", ".join(instance.area_names[int(c)] for c in households.avoid_areas[v0:v1])
            lines.append(f"outside the areas to avoid ({names})")
        if households.urgent[h]:
            lines.append("urgent")
        waiting_days = int(households.waiting_days[h])
        if waiting_days:
            lines.append(f"waiting {_plural(waiting_days, 'day')}")
        for distance, weight in prefer[i]:
            lines.append(f"{_distance(distance)} from a preferred place (weight {weight:g})")
        landlord = int(homes.landlord[p])
        balance = int(instance.ledger[landlord])
        if balance < 0:
            name = instance.landlord_names[landlord]
            lines.append(f"landlord {name} owes the pool {_plural(-balance, 'home')}")
        lines.append(
            f"score {int(totals[i])}: urgency {int(scores.urgent[i])},"
            f" waiting {int(scores.waiting[i])}, preferred places {int(scores.prefer[i])},"
            f" size fit {int(scores.size[i])}, ledger {int(scores.ledger[i])}"
        )
        result.append(lines)
    return result


__all__ = ["reasons"]
