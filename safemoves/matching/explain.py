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
    # Every per-pair value as a Python list first: indexing numpy arrays one scalar at a
    # time costs several times more than the string formatting itself.
    totals = scores.total.tolist()
    urgent_points, waiting_points = scores.urgent.tolist(), scores.waiting.tolist()
    prefer_points, size_points, ledger_points = scores.prefer.tolist(), scores.size.tolist(), scores.ledger.tolist()
    needed_beds, offered_beds = households.bedrooms[household].tolist(), homes.bedrooms[home].tolist()
    access_needs, has_pets = households.access_needs[household].tolist(), households.pets[household].tolist()
    uncertainties, tenures = homes.uncertainty_km[home].tolist(), homes.tenure[home].tolist()
    min_tenures, is_urgent = households.min_tenure[household].tolist(), households.urgent[household].tolist()
    waited, home_areas = households.waiting_days[household].tolist(), homes.area[home].tolist()
    landlords = homes.landlord[home].tolist()
    balances = instance.ledger[homes.landlord[home]].tolist()
    areas_ptr, avoid_areas_ptr = households.areas_ptr.tolist(), households.avoid_areas_ptr.tolist()
    result = []
    for i, h in enumerate(household.tolist()):
        lines = []
        needed, offered = needed_beds[i], offered_beds[i]
        fit = "exact fit" if needed == offered else f"{_plural(offered - needed, 'extra bedroom')}"
        lines.append(f"{_plural(needed, 'bedroom')} needed, home has {offered} ({fit})")
        needs = access_needs[i]
        if needs == STEP_FREE_BIT:
            lines.append("step-free access needed, home is step-free")
        elif needs:
            lines.append(f"access needed ({_access(needs)}), home provides it")
        if has_pets[i]:
            lines.append("household has pets, home allows pets")
        uncertainty = uncertainties[i]
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
        needed_tenure = min_tenures[i]
        if needed_tenure:
            lines.append(f"tenure security {tenures[i]}, at least {needed_tenure} needed")
        if areas_ptr[h + 1] > areas_ptr[h]:
            lines.append(f"in a chosen area ({instance.area_names[home_areas[i]]})")
        v0, v1 = avoid_areas_ptr[h], avoid_areas_ptr[h + 1]
        if v1 > v0:
            names = ", ".join(instance.area_names[int(c)] for c in households.avoid_areas[v0:v1])
            lines.append(f"outside the areas to avoid ({names})")
        if is_urgent[i]:
            lines.append("urgent")
        waiting_days = waited[i]
        if waiting_days:
            lines.append(f"waiting {_plural(waiting_days, 'day')}")
        for distance, weight in prefer[i]:
            lines.append(f"{_distance(distance)} from a preferred place (weight {weight:g})")
        balance = balances[i]
        if balance < 0:
            name = instance.landlord_names[landlords[i]]
            lines.append(f"landlord {name} owes the pool {_plural(-balance, 'home')}")
        lines.append(
            f"score {totals[i]}: urgency {urgent_points[i]},"
            f" waiting {waiting_points[i]}, preferred places {prefer_points[i]},"
            f" size fit {size_points[i]}, ledger {ledger_points[i]}"
        )
        result.append(lines)
    return result


__all__ = ["reasons"]
