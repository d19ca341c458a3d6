from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case
from safemoves.common.fields import Sealed
from safemoves.common.scoping import organisation_scope
from safemoves.emergency.models import EmergencyOffer
from safemoves.emergency.selectors import offer_counts
from safemoves.emergency.services import OfferDetails, emergency_offer_record, emergency_offer_update
from safemoves.geo import area_centroid, haversine_km, lookup_postcode
from safemoves.organisations.models import Role
from safemoves.safety.services import place_add
from tests.factories import World
from tests.safety.factories import make_case


def _case_with_places(world: World) -> Case:
    case = make_case(world)
    officer = world.a[Role.OFFICER]
    place_add(case=case, actor=officer, kind="near", label="Parent's home", postcode="ME1 1AA", radius_km="5")
    place_add(case=case, actor=officer, kind="near", label="Children's school", area_code="E06000035")
    place_add(case=case, actor=officer, kind="avoid", label="His flat", postcode="ME14 1XX", radius_km="3")
    return case


def _km(a: str, b: str) -> float:
    first, second = lookup_postcode(a), lookup_postcode(b)
    return round(haversine_km(first.lat, first.lon, second.lat, second.lon), 1)


def _refused(**changes: object) -> OfferDetails:
    values: dict[str, object] = {
        "kind": "refuge",
        "provider": "Women's Aid refuge service",
        "offered_on": timezone.localdate(),
        "postcode": "CT20 1AA",
        "decision": "refused",
        "refusal_reason": "too_far_support_network",
        "decision_note": "Wants to stay near their mother",
    }
    values.update(changes)
    return OfferDetails(**values)  # type: ignore[arg-type]


def test_an_offer_records_distances_to_the_near_places_only(scoped: World) -> None:
    case = _case_with_places(scoped)
    offer = emergency_offer_record(case=case, actor=scoped.a[Role.OFFICER], details=_refused())
    assert (offer.area_code, offer.postcode) == ("E07000112", "CT20 1AA")
    folkestone = lookup_postcode("CT20 1AA")
    medway = area_centroid("E06000035")
    school_km = round(haversine_km(folkestone.lat, folkestone.lon, medway[0], medway[1]), 1)
    distances = [(item.label, item.km, item.approximate) for item in offer.place_distances]
    assert distances == [("Parent's home", _km("CT20 1AA", "ME1 1AA"), False), ("Children's school", school_km, True)]
    assert distances[0][1] == 57.8  # Folkestone to Rochester, as the crow flies
    stored = EmergencyOffer.objects.filter(pk=offer.pk).values("provider", "postcode", "distances", "lat").get()
    assert all(isinstance(value, Sealed) for value in stored.values())
    event = AuditEvent.objects.get(action="emergency.offer_recorded")
    assert (event.object_type, event.object_id) == ("case", str(case.pk))
    assert event.fields == sorted(
        ["kind", "provider", "postcode", "area_code", "offered_on", "decision", "refusal_reason", "decision_note"]
    )
    assert event.reason == f"offer {offer.pk}: refuge, refused"


def test_a_district_only_offer_gives_approximate_distances(scoped: World) -> None:
    case = _case_with_places(scoped)
    offer = emergency_offer_record(
        case=case,
        actor=scoped.a[Role.OFFICER],
        details=_refused(postcode="", area_code="E07000105", decision="pending", refusal_reason="", decision_note=""),
    )
    assert offer.postcode == ""
    assert [item.approximate for item in offer.place_distances] == [True, True]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"provider": " "}, ["provider"]),
        ({"postcode": "ZZ9 9ZZ"}, ["postcode"]),
        ({"postcode": "", "area_code": ""}, ["area_code"]),
        ({"postcode": "", "area_code": "E99999999"}, ["area_code"]),
        ({"area_code": "E07000110"}, ["area_code"]),
        ({"refusal_reason": ""}, ["refusal_reason"]),
        ({"refusal_reason": "other", "decision_note": ""}, ["decision_note"]),
        ({"decision": "accepted"}, ["refusal_reason"]),
        ({"kind": "hotel"}, ["kind"]),
        ({"offered_on": timezone.localdate() + timedelta(days=2)}, ["offered_on"]),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    scoped: World, changes: dict[str, object], errors: list[str]
) -> None:
    case = _case_with_places(scoped)
    with pytest.raises(ValidationError) as caught:
        emergency_offer_record(case=case, actor=scoped.a[Role.OFFICER], details=_refused(**changes))
    assert sorted(caught.value.message_dict) == errors
    assert EmergencyOffer.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="emergency.").exists()


def test_an_unchanged_save_changes_nothing_and_a_decision_is_audited(scoped: World) -> None:
    case = _case_with_places(scoped)
    officer = scoped.a[Role.OFFICER]
    pending = _refused(decision="pending", refusal_reason="", decision_note="")
    offer = emergency_offer_record(case=case, actor=officer, details=pending)
    assert emergency_offer_update(case=case, actor=officer, offer=offer, details=pending, expected_version=1) == []
    assert offer.version == 1
    assert AuditEvent.objects.filter(action="emergency.offer_updated").count() == 0
    changed = emergency_offer_update(case=case, actor=officer, offer=offer, details=_refused(), expected_version=1)
    assert changed == ["decision", "refusal_reason", "decision_note"]
    assert (offer.version, offer.decision, offer.refusal_reason) == (2, "refused", "too_far_support_network")
    event = AuditEvent.objects.get(action="emergency.offer_updated")
    assert event.fields == sorted(changed)
    with pytest.raises(ValidationError, match="Someone else changed"):
        emergency_offer_update(case=case, actor=officer, offer=offer, details=pending, expected_version=1)


def test_counts_by_reason_for_one_landlord_and_date_range(world: World) -> None:
    today = timezone.localdate()
    with organisation_scope(world.a.organisation.pk):
        case = _case_with_places(world)
        officer = world.a[Role.OFFICER]
        emergency_offer_record(case=case, actor=officer, details=_refused())
        emergency_offer_record(case=case, actor=officer, details=_refused(refusal_reason="too_far_school"))
        emergency_offer_record(case=case, actor=officer, details=_refused(offered_on=today - timedelta(days=40)))
        emergency_offer_record(
            case=case, actor=officer, details=_refused(decision="accepted", refusal_reason="", decision_note="")
        )
        counts = offer_counts(organisation_id=world.a.organisation.pk, start=today - timedelta(days=30), end=today)
    assert (counts.offered, counts.accepted, counts.refused, counts.pending) == (3, 1, 2, 0)
    assert counts.refused_by_reason == {
        "too_far_support_network": 1,
        "too_far_school": 1,
        "too_far_work": 0,
        "unsafe_area": 0,
        "unsuitable_for_needs": 0,
        "other": 0,
    }
    assert counts.reasons_with_labels()[0] == ("Too far from the tenant's support network", 1)
    with organisation_scope(world.b.organisation.pk):
        other = offer_counts(organisation_id=world.b.organisation.pk, start=today - timedelta(days=400), end=today)
    assert other.offered == 0


def test_a_closed_case_takes_no_offer(scoped: World) -> None:
    case = _case_with_places(scoped)
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        emergency_offer_record(case=case, actor=scoped.a[Role.OFFICER], details=_refused())
