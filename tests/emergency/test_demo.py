from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.common.scoping import organisation_scope
from safemoves.demo.emergency import seed_demo_emergency_offers
from safemoves.emergency.models import EmergencyOffer
from safemoves.emergency.selectors import offer_counts
from tests.factories import World
from tests.safety.factories import make_case


def test_demo_offers_tell_the_seed_story_once(world: World) -> None:
    User.objects.filter(pk__in=[user.pk for user in world.a.users.values()]).update(is_demo=True)
    cases = [make_case(world) for _ in range(4)]
    assert seed_demo_emergency_offers() == 3
    assert seed_demo_emergency_offers() == 0
    today = timezone.localdate()
    with organisation_scope(world.a.organisation.pk):
        refused = EmergencyOffer.objects.get(case=cases[0])
        assert EmergencyOffer.objects.filter(case=cases[3]).count() == 0
        counts = offer_counts(organisation_id=world.a.organisation.pk, start=today - timedelta(days=30), end=today)
    assert (refused.decision, refused.refusal_reason) == ("refused", "too_far_support_network")
    assert [(item.label, item.km) for item in refused.place_distances] == [("Parent's home", 57.8)]
    assert (counts.offered, counts.refused, counts.accepted, counts.pending) == (3, 1, 1, 1)
