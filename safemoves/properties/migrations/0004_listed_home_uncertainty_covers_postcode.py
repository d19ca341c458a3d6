"""Listed homes' discs cover their postcode (ADR 0012).

Homes listed before issue 10 carry the default uncertainty of 0.1 km, and some carry
coordinates typed up to 5 km from their postcode. Each available or offered home gets the
uncertainty the new rule gives (0.25 km around the postcode's centre, plus the distance of
its stored point from it), never less than it had. Rerunnable; batched.
"""

import math
from typing import Any

from django.db import migrations

from safemoves.geo import PostcodeError, haversine_km, lookup_postcode

_BATCH = 500
_POSTCODE_UNCERTAINTY_KM = 0.25  # importing.POSTCODE_UNCERTAINTY_KM when this was written


def widen(apps: Any, schema_editor: Any) -> None:
    home_model = apps.get_model("properties", "Home")
    listed = home_model._base_manager.filter(status__in=("available", "offered"), latitude__isnull=False)
    for home in listed.order_by("pk").iterator(chunk_size=_BATCH):
        try:
            place = lookup_postcode(home.postcode)
        except PostcodeError:
            distance = 5.0  # the old rule's limit: the widest a typed point could be
        else:
            distance = haversine_km(home.latitude, home.longitude, place.lat, place.lon)
        # Measured from the stored (rounded) point: rounding and any typed offset are inside it.
        wanted = math.ceil((_POSTCODE_UNCERTAINTY_KM + distance) * 100) / 100
        if wanted > home.position_uncertainty_km:
            home_model._base_manager.filter(pk=home.pk).update(position_uncertainty_km=wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("properties", "0003_home_let_has_no_uprn"),
    ]

    operations = [migrations.RunPython(widen, migrations.RunPython.noop)]
