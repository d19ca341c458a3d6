"""Offline geography: postcode lookup, local authority districts, distances.

No Django import here: the matching engine and scripts use this package on its own.
"""

from safemoves.geo.areas import (
    AREA_NAMES,
    AREAS,
    KENT_AND_MEDWAY,
    Area,
    area_centroid,
    area_name,
    is_known_area,
)
from safemoves.geo.distance import EARTH_RADIUS_KM, haversine_km, round_distance_km
from safemoves.geo.postcodes import (
    Place,
    PostcodeError,
    lookup_many,
    lookup_postcode,
    normalise_postcode,
)

__all__ = [
    "AREAS",
    "AREA_NAMES",
    "EARTH_RADIUS_KM",
    "KENT_AND_MEDWAY",
    "Area",
    "Place",
    "PostcodeError",
    "area_centroid",
    "area_name",
    "haversine_km",
    "is_known_area",
    "lookup_many",
    "lookup_postcode",
    "normalise_postcode",
    "round_distance_km",
]
