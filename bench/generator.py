"""Seeded, realistic-looking matching instances for the benchmark.

Homes cluster around real English towns, split into district-like areas. A household's
unsafe places sit near its old home; its 5-8 chosen areas lie in another region, 40-150 km
away; most households must stay within a few km of one place there (a child's school, family);
some name preferred places. A few households accept anywhere safe (no area, no near place).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from safemoves.matching.geometry import EARTH_RADIUS_KM

# (town, latitude, longitude, relative size)
TOWNS: list[tuple[str, float, float, float]] = [
    ("London", 51.507, -0.128, 12.0),
    ("Birmingham", 52.486, -1.890, 4.0),
    ("Manchester", 53.480, -2.242, 4.0),
    ("Leeds", 53.801, -1.549, 3.0),
    ("Liverpool", 53.408, -2.992, 2.5),
    ("Sheffield", 53.381, -1.470, 2.5),
    ("Bristol", 51.455, -2.588, 2.2),
    ("Newcastle", 54.978, -1.618, 2.0),
    ("Nottingham", 52.954, -1.158, 1.8),
    ("Leicester", 52.637, -1.139, 1.8),
    ("Coventry", 52.407, -1.512, 1.5),
    ("Bradford", 53.796, -1.759, 1.5),
    ("Stoke-on-Trent", 53.003, -2.180, 1.2),
    ("Wolverhampton", 52.587, -2.129, 1.2),
    ("Plymouth", 50.376, -4.143, 1.2),
    ("Southampton", 50.910, -1.404, 1.2),
    ("Portsmouth", 50.819, -1.088, 1.1),
    ("Reading", 51.454, -0.978, 1.0),
    ("Derby", 52.923, -1.475, 1.0),
    ("Hull", 53.745, -0.336, 1.2),
    ("Norwich", 52.630, 1.297, 0.9),
    ("Cambridge", 52.205, 0.122, 0.8),
    ("Oxford", 51.752, -1.258, 0.8),
    ("Ipswich", 52.057, 1.148, 0.7),
    ("Canterbury", 51.280, 1.079, 0.5),
    ("Maidstone", 51.272, 0.529, 0.6),
    ("Brighton", 50.823, -0.137, 1.1),
    ("Exeter", 50.718, -3.534, 0.6),
    ("Gloucester", 51.864, -2.244, 0.6),
    ("Swindon", 51.556, -1.780, 0.8),
    ("Peterborough", 52.573, -0.241, 0.8),
    ("Milton Keynes", 52.041, -0.759, 1.0),
    ("Northampton", 52.240, -0.902, 0.9),
    ("Lincoln", 53.231, -0.540, 0.5),
    ("York", 53.960, -1.087, 0.7),
    ("Middlesbrough", 54.574, -1.235, 0.7),
    ("Sunderland", 54.906, -1.381, 1.0),
    ("Preston", 53.763, -2.703, 0.7),
    ("Blackpool", 53.817, -3.036, 0.6),
    ("Carlisle", 54.892, -2.932, 0.4),
    ("Lancaster", 54.047, -2.801, 0.4),
    ("Chester", 53.193, -2.893, 0.5),
    ("Shrewsbury", 52.708, -2.754, 0.4),
    ("Worcester", 52.192, -2.220, 0.5),
    ("Hereford", 52.056, -2.716, 0.3),
    ("Bath", 51.381, -2.359, 0.4),
    ("Taunton", 51.015, -3.106, 0.3),
    ("Bournemouth", 50.720, -1.880, 0.9),
    ("Salisbury", 51.069, -1.795, 0.3),
    ("Chelmsford", 51.736, 0.480, 0.8),
    ("Colchester", 51.896, 0.892, 0.6),
    ("Luton", 51.879, -0.418, 1.0),
    ("Bedford", 52.136, -0.467, 0.5),
    ("Guildford", 51.236, -0.570, 0.5),
    ("Crawley", 51.109, -0.187, 0.5),
    ("Hastings", 50.854, 0.573, 0.4),
    ("Truro", 50.263, -5.051, 0.2),
    ("Barrow-in-Furness", 54.111, -3.226, 0.3),
    ("Scarborough", 54.283, -0.400, 0.3),
    ("King's Lynn", 52.751, 0.395, 0.3),
]

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0


def _offset(
    rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, sd_km: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around (lat, lon) with a Gaussian spread of ``sd_km``."""
    dlat = rng.normal(0.0, 1.0, np.shape(lat)) * sd_km / KM_PER_DEGREE
    dlon = rng.normal(0.0, 1.0, np.shape(lat)) * sd_km / (KM_PER_DEGREE * np.cos(np.radians(lat)))
    return np.clip(lat + dlat, -89.0, 89.0), lon + dlon


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    dx = (lon2 - lon1) * np.cos(np.radians((lat1 + lat2) / 2)) * KM_PER_DEGREE
    dy = (lat2 - lat1) * KM_PER_DEGREE
    result: np.ndarray = np.hypot(dx, dy)
    return result


def generate(n_households: int, n_homes: int, seed: int = 1) -> dict[str, Any]:
    """A v1 input document with ``n_households`` households and ``n_homes`` homes."""
    rng = np.random.default_rng(seed)
    town_lat = np.array([t[1] for t in TOWNS])
    town_lon = np.array([t[2] for t in TOWNS])
    town_size = np.array([t[3] for t in TOWNS])

    # Districts: a county has about a dozen, England about 300 (local authority districts).
    n_areas = int(np.clip(n_homes // 50, 12, 300))
    area_town = rng.choice(len(TOWNS), n_areas, p=town_size / town_size.sum())
    area_lat, area_lon = _offset(rng, town_lat[area_town], town_lon[area_town], 8.0)
    area_spread = rng.uniform(2.0, 6.0, n_areas)
    area_weight = town_size[area_town] * rng.uniform(0.5, 1.5, n_areas)
    area_p = area_weight / area_weight.sum()
    area_code = [f"E0{7000001 + i:07d}" for i in range(n_areas)]
    between = _km(area_lat[:, None], area_lon[:, None], area_lat[None, :], area_lon[None, :])
    nearest_areas = np.argsort(between, axis=1)

    # Landlords are regional: each area is served by its nearest two landlord "homes".
    n_landlords = int(np.clip(n_homes // 400, 12, 200))
    landlord_base = rng.choice(n_areas, n_landlords, replace=n_landlords > n_areas)
    to_base = between[:, landlord_base]
    area_landlords = np.argsort(to_base, axis=1)[:, :2]

    home_area = rng.choice(n_areas, n_homes, p=area_p)
    home_lat, home_lon = _offset(rng, area_lat[home_area], area_lon[home_area], area_spread[home_area])
    home_landlord = area_landlords[home_area, rng.integers(0, 2, n_homes)]
    home_beds = rng.choice([1, 2, 3, 4], n_homes, p=[0.3, 0.37, 0.25, 0.08])
    home_step_free = rng.random(n_homes) < 0.3
    home_pets = rng.random(n_homes) < 0.55
    homes = [
        {
            "id": f"P{j:06d}",
            "landlord": f"L{int(home_landlord[j]):03d}",
            "lat": round(float(home_lat[j]), 5),
            "lon": round(float(home_lon[j]), 5),
            "area": area_code[int(home_area[j])],
            "bedrooms": int(home_beds[j]),
            "step_free": bool(home_step_free[j]),
            "pets": bool(home_pets[j]),
        }
        for j in range(n_homes)
    ]

    old_area = rng.choice(n_areas, n_households, p=area_p)
    old_lat, old_lon = _offset(rng, area_lat[old_area], area_lon[old_area], area_spread[old_area])
    households = []
    for i in range(n_households):
        a = int(old_area[i])
        landlord = int(area_landlords[a, rng.integers(0, 2)])
        avoid = [
            {"lat": round(float(old_lat[i]), 5), "lon": round(float(old_lon[i]), 5), "km": int(rng.integers(5, 16))}
        ]
        if rng.random() < 0.4:
            lat, lon = _offset(rng, old_lat[i], old_lon[i], 10.0)
            avoid.append({"lat": round(float(lat), 5), "lon": round(float(lon), 5), "km": int(rng.integers(2, 8))})
        avoid_areas = [area_code[a]]
        household: dict[str, Any] = {
            "id": f"H{i:06d}",
            "landlord": f"L{landlord:03d}",
            "bedrooms": int(rng.choice([1, 2, 3, 4], p=[0.35, 0.35, 0.22, 0.08])),
            "step_free": bool(rng.random() < 0.12),
            "pets": bool(rng.random() < 0.25),
            "avoid_areas": avoid_areas,
            "avoid": avoid,
            "waiting_days": int(min(rng.exponential(90.0), 1000)),
            "urgent": bool(rng.random() < 0.2),
        }
        if rng.random() >= 0.005:
            distance = between[a]
            far = np.flatnonzero((distance > 40) & (distance < 150))
            if len(far) == 0:
                far = np.argsort(distance)[len(distance) // 2 :]
            destination = int(rng.choice(far))
            wanted = int(rng.integers(5, 9))
            chosen = [int(c) for c in nearest_areas[destination] if distance[c] > 25][:wanted]
            household["areas"] = [area_code[c] for c in chosen]
            if rng.random() < 0.65:
                anchor = chosen[int(rng.integers(0, len(chosen)))]
                lat, lon = _offset(rng, area_lat[anchor], area_lon[anchor], area_spread[anchor])
                household["near"] = [
                    {"lat": round(float(lat), 5), "lon": round(float(lon), 5), "km": int(rng.integers(3, 11))}
                ]
            prefer = []
            for _ in range(int(rng.integers(0, 4))):
                place = chosen[int(rng.integers(0, len(chosen)))]
                lat, lon = _offset(rng, area_lat[place], area_lon[place], area_spread[place])
                prefer.append(
                    {"lat": round(float(lat), 5), "lon": round(float(lon), 5), "weight": int(rng.integers(1, 4))}
                )
            household["prefer"] = prefer
        households.append(household)

    ledger = {f"L{k:03d}": int(rng.integers(-6, 7)) for k in range(n_landlords)}
    return {
        "households": households,
        "homes": homes,
        "ledger": ledger,
        "rules": {"max_extra_bedrooms": 1, "same_landlord": False},
    }


def densify(doc: dict[str, Any], no_area_share: float, radius_scale: float, seed: int = 1) -> dict[str, Any]:
    """The dense family: a share of households drop their area list, required radii widen.

    Still a valid v1 document (the kind a national scheme, a coordinator widening radii or an
    API client may send): households without areas take candidates from their required place
    or, without one, from every home of a fitting size. ``no_area_share`` 0.25 and
    ``radius_scale`` 5 give about 1,000 safe homes per household at 20k x 15k.
    """
    rng = np.random.default_rng(seed + 7919)
    households = []
    for household in doc["households"]:
        household = dict(household)
        if "areas" in household and rng.random() < no_area_share:
            del household["areas"]
        if "near" in household:
            household["near"] = [dict(z, km=z["km"] * radius_scale) for z in household["near"]]
        households.append(household)
    return {**doc, "households": households}
