from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case, HouseholdMember, Perpetrator, SafeContactRules
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.jobs.models import JobOutput
from safemoves.organisations.models import Role, SchemeMembership
from safemoves.reciprocal.models import SHARED_PROFILE_FIELDS, Offer
from safemoves.reciprocal.profile import ProfileView, build_profile
from tests.bodies import response_text
from tests.factories import World, sign_in
from tests.jobrun import Capture, job_of, start_job
from tests.reciprocal.factories import (
    accept,
    circulated_request,
    make_home,
    offer_home,
    reciprocal_case,
    third_landlord,
)

pytestmark = pytest.mark.django_db


def test_shared_profile_allow_list_is_frozen(world: World) -> None:
    # Adding a field to what crosses landlords needs a privacy review: change this test with it.
    assert SHARED_PROFILE_FIELDS == (
        "reference",
        "adults",
        "children_age_bands",
        "bedrooms_needed",
        "access_need",
        "pets",
        "safe_areas",
        "risk_band",
        "tenure_to_keep",
        "urgent",
        "days_waiting",
    )
    view_fields = {field.name for field in dataclasses.fields(ProfileView)}
    assert view_fields == set(SHARED_PROFILE_FIELDS) | {"request_id", "status", "is_own"}
    request = circulated_request(world.a, reciprocal_case(world.a))
    with organisation_scope(world.a.organisation.pk):
        assert tuple(build_profile(request)) == SHARED_PROFILE_FIELDS


def _get_urls(ids: dict[str, Any]) -> list[str]:
    """Every GET-able URL pattern whose parameters we can fill from ``ids``."""
    urls: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name:
                params = set(getattr(pattern.pattern, "converters", {}))
                if params <= set(ids):
                    urls.append(reverse(f"{namespace}{pattern.name}", kwargs={key: ids[key] for key in params}))

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


def _set_canaries(case: Case, canary: str) -> list[str]:
    values = {
        "name": f"{canary} Namecanary",
        "address": f"{canary} Addresscanary Street",
        "postcode": f"ZZ{canary[:4].upper()} 9QQ",
        "phone": f"0770{canary[:6]}",
        "child": f"{canary} Childcanary",
        "perpetrator": f"{canary} Perpcanary",
    }
    with organisation_scope(case.organisation_id):
        case.lead_name = values["name"]
        case.address = values["address"]
        case.postcode = values["postcode"]
        case.save(update_fields=["lead_name", "address", "postcode"])
        rules = SafeContactRules.objects.get(case=case)
        rules.safe_phone = values["phone"]
        rules.save(update_fields=["safe_phone"])
        for member in HouseholdMember.objects.filter(case=case):
            member.name = values["child"]
            member.save(update_fields=["name"])
        for person in Perpetrator.objects.filter(case=case):
            person.name = values["perpetrator"]
            person.save(update_fields=["name"])
    return list(values.values())


def test_no_canary_reaches_another_landlord(world: World) -> None:
    """A third landlord's staff, browsing everything, and the rehousing landlord before acceptance,
    never see her name, address, postcode or phone (nor her child's or his name)."""
    third = third_landlord(areas=("E07000113", "E07000106"))
    SchemeMembership.objects.create(scheme=world.scheme, organisation=third.organisation)
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    home = make_home(world.b)
    third_home = make_home(third, postcode="ME10 4AA", address="2 Lantern Yard")
    offer = offer_home(world.b, home, request)
    ids = {
        "case_id": case.pk,
        "request_id": request.pk,
        "offer_id": offer.pk,
        "home_id": home.pk,
        "move_id": offer.pk,
        "entry_id": 1,
        "assessment_id": case.pk,
        "action_id": case.pk,
        "referral_id": case.pk,
        "place_id": case.pk,
    }
    extra = [reverse("reciprocal:home_fits", kwargs={"home_id": third_home.pk})]
    urls = [*_get_urls(ids), *extra]
    viewers = {
        "third lettings": third[Role.LETTINGS_OFFICER],
        "third manager": third[Role.MANAGER],
        "third coordinator": third[Role.COORDINATOR],
        "rehousing lettings": world.b[Role.LETTINGS_OFFICER],
        "rehousing manager": world.b[Role.MANAGER],
        "rehousing coordinator": world.b[Role.COORDINATOR],
    }
    clients = {label: sign_in(Client(), user) for label, user in viewers.items()}
    seen_profile = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        canary=st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=6, max_size=10),
        url=st.sampled_from(urls),
        viewer=st.sampled_from(sorted(clients)),
    )
    def check(canary: str, url: str, viewer: str) -> None:
        markers = _set_canaries(case, "Qx" + canary)
        body = response_text(clients[viewer].get(url))
        if request.reference in body:
            seen_profile.append(url)
        leaked = [marker for marker in markers if marker in body]
        assert leaked == [], f"{viewer} saw {leaked} at {url}"

    check()
    # Every viewer can reach the pool; the check was not vacuous.
    for label, client in clients.items():
        markers = _set_canaries(case, "QxFINAL")
        for url in urls:
            body = response_text(client.get(url))
            assert [m for m in markers if m in body] == [], f"{label} at {url}"
    assert request.reference in clients["third lettings"].get(reverse("reciprocal:pool")).content.decode()


def test_identity_after_acceptance_and_consent_is_shown_and_audited(world: World) -> None:
    case = reciprocal_case(world.a, name="Nadia Visible")
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    client = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    url = reverse("reciprocal:offer_detail", kwargs={"offer_id": offer.pk})
    assert "Nadia Visible" not in client.get(url).content.decode()
    accept(world.a, offer)
    page = client.get(url).content.decode()
    assert "Nadia Visible" in page
    assert "Phone: 07700 900123" in page
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reciprocal.identity_viewed", object_id=str(offer.pk)).count() == 1
        read = AuditEvent.objects.filter(
            action="case.viewed", object_id=str(case.pk), actor=world.b[Role.LETTINGS_OFFICER]
        )
        assert read.count() == 1
    # The rehousing landlord's coordinator is not its lettings staff: no identity.
    assert "Nadia Visible" not in sign_in(Client(), world.b[Role.COORDINATOR]).get(url).content.decode()


def test_offer_withdraw_by_referring_side_is_not_found(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b), request)
    client = sign_in(Client(), world.a[Role.MANAGER])
    response = client.post(reverse("reciprocal:offer_withdraw", kwargs={"offer_id": offer.pk}))
    assert response.status_code == 404
    with scopes_disabled():
        assert Offer.objects.get(pk=offer.pk).status == "offered"


def test_protected_address_only_for_rehousing_and_named_officer(world: World) -> None:
    from django.utils import timezone

    from safemoves.reciprocal.pool import services

    request = circulated_request(world.a, reciprocal_case(world.a))
    offer = offer_home(world.b, make_home(world.b, address="77 Protected Row"), request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    url = reverse("reciprocal:move_detail", kwargs={"move_id": move.pk})
    shown = {
        label: "77 Protected Row" in sign_in(Client(), user).get(url).content.decode()
        for label, user in {
            "rehousing lettings": world.b[Role.LETTINGS_OFFICER],
            "named officer": world.a[Role.OFFICER],
            "referring manager": world.a[Role.MANAGER],
            "rehousing coordinator": world.b[Role.COORDINATOR],
        }.items()
    }
    assert shown == {
        "rehousing lettings": True,
        "named officer": True,
        "referring manager": False,
        "rehousing coordinator": False,
    }
    # The let home is out of the pool: its matching and offer pages no longer exist for anyone.
    for user in (world.b[Role.LETTINGS_OFFICER], world.b[Role.MANAGER]):
        client = sign_in(Client(), user)
        assert client.get(reverse("reciprocal:home_fits", kwargs={"home_id": offer.home_id})).status_code == 404
        assert client.post(reverse("reciprocal:offer_create", kwargs={"home_id": offer.home_id})).status_code == 404


def test_matching_a_home_is_logged_on_each_request_and_shows_no_distances(world: World) -> None:
    from safemoves.audit.models import AuditEvent
    from safemoves.common.scoping import scopes_disabled

    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(world.b)
    client = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    page = client.get(reverse("reciprocal:home_fits", kwargs={"home_id": home.pk})).content.decode()
    assert " km from a place she needs to be near" not in page
    with scopes_disabled():
        checks = list(
            AuditEvent.objects.filter(action="reciprocal.fit_checked").values_list(
                "organisation_id", "object_id", "actor_id"
            )
        )
    assert checks == [(world.a.organisation.pk, str(request.pk), world.b[Role.LETTINGS_OFFICER].pk)]


def test_no_canary_reaches_a_stored_matching_run(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    """The matching run is a job whose output is kept (sealed) and shown later: a coordinator of
    another landlord who runs it while the household's record holds canaries sees none of them,
    on the job page or the stored run's page, though the run proposes her request."""
    third = third_landlord(areas=("E07000113", "E07000106"))
    SchemeMembership.objects.create(scheme=world.scheme, organisation=third.organisation)
    case = reciprocal_case(world.a)
    request = circulated_request(world.a, case)
    make_home(world.b)
    markers = _set_canaries(case, "QxRUN")
    for landlord in (third, world.b):
        client = sign_in(Client(), landlord[Role.COORDINATOR])
        job_page = start_job(client, "/reciprocal/matching/", django_capture_on_commit_callbacks, data={"run": "1"})
        job = job_of(job_page, landlord.organisation.pk)
        with organisation_scope(landlord.organisation.pk):
            output = JobOutput.objects.get(job=job)
        bodies = [
            response_text(client.get(job_page)),
            response_text(client.get(f"/reciprocal/matching/?result={output.pk}")),
        ]
        assert request.reference in bodies[1]
        assert [marker for body in bodies for marker in markers if marker in body] == []
