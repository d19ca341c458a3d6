"""Issue 10 item 4: areas to avoid never leave the referring landlord; the risk band is shared."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal import pool
from safemoves.reciprocal.models import SharedProfile
from safemoves.risk.services import risk_assessment_record
from tests.factories import World, sign_in
from tests.reciprocal.factories import UNSAFE_AREA, circulated_request, make_home, reciprocal_case
from tests.safety.factories import answers


def test_the_profile_carries_the_risk_band_and_no_area_to_avoid(world: World) -> None:
    case = reciprocal_case(world.a)
    with organisation_scope(world.a.organisation.pk):
        risk_assessment_record(case=case, actor=world.a[Role.OFFICER], answers=answers(14, rest="not_known"))
    request = circulated_request(world.a, case)
    with scopes_disabled():
        data = SharedProfile.objects.get(request=request).data
    assert data["risk_band"] == "high"
    assert "unsafe_areas" not in data
    assert UNSAFE_AREA not in str(data)

    other = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    page = other.get(reverse("reciprocal:pool_request", kwargs={"request_id": request.pk})).content.decode()
    assert "<dt>Risk level</dt><dd>High</dd>" in page
    assert "Areas to avoid" not in page
    assert "Medway" not in page
    [view] = pool.pool_profiles(world.b[Role.LETTINGS_OFFICER].membership).profiles
    assert view.risk_band_label == "High"
    assert not hasattr(view, "unsafe_areas")


def test_the_engine_still_keeps_homes_out_of_the_areas_to_avoid(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a, avoid_postcode=""))
    in_medway = make_home(world.b, postcode="ME1 1AA")  # the unsafe area, no unsafe place named
    assert not pool.home_fits_request(in_medway, request)
    assert pool.home_fits_request(make_home(world.b, address="9 Saxon Rise"), request)


def test_the_data_migration_drops_the_areas_and_adds_the_band(world: World) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("safemoves.reciprocal.migrations.0003_profile_risk_band_not_unsafe_areas")
    request = circulated_request(world.a, reciprocal_case(world.a))
    with scopes_disabled():
        profile = SharedProfile.objects.get(request=request)
        old = {key: value for key, value in profile.data.items() if key != "risk_band"} | {
            "unsafe_areas": [UNSAFE_AREA]
        }
        SharedProfile.objects.filter(pk=profile.pk).update(data=old)
        migration.forwards(apps, None)
        migration.forwards(apps, None)  # rerunnable
        profile.refresh_from_db()
    assert profile.data == {key: value for key, value in old.items() if key != "unsafe_areas"} | {
        "risk_band": "not_assessed"
    }
    with scopes_disabled():
        profile.save()  # the allow-list check on save passes
