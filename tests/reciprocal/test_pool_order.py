"""The pool's order: most urgent first, then longest waiting (the days waited when the profile
was taken plus the days since), then by reference; whatever the keys hold."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal import pool
from safemoves.reciprocal.models import SharedProfile
from tests.factories import World
from tests.reciprocal.factories import circulated_request, reciprocal_case

# (urgent, days waited when taken, taken this many days ago, reference)
KEYS = [
    (False, 40, 0, "MR-B"),
    (True, 3, 0, "MR-Z"),
    (False, 10, 30, "MR-C"),  # 40 days by now: ties with MR-B, then the reference decides
    (True, 3, 2, "MR-Y"),  # urgent, 5 days by now
    (False, 0, 0, "MR-A"),
    (True, 5, 0, "MR-X"),  # urgent, 5 days: ties with MR-Y
]


def test_the_pool_lists_the_most_urgent_then_the_longest_waiting_first(world: World) -> None:
    now = timezone.now()
    with scopes_disabled():
        for index, (urgent, waited, ago, reference) in enumerate(KEYS):
            request = circulated_request(world.a, reciprocal_case(world.a, name=f"Tenant {index}"))
            profile = SharedProfile.objects.get(request=request)
            data = profile.data | {"urgent": urgent, "days_waiting": waited, "reference": reference}
            SharedProfile.objects.filter(pk=profile.pk).update(data=data, taken_at=now - timedelta(days=ago))

    shown = pool.pool_profiles(world.a[Role.COORDINATOR].membership).profiles

    assert [(view.reference, view.urgent, view.days_waiting) for view in shown] == [
        ("MR-X", True, 5),
        ("MR-Y", True, 5),
        ("MR-Z", True, 3),
        ("MR-B", False, 40),
        ("MR-C", False, 40),
        ("MR-A", False, 0),
    ]
