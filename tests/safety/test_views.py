from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.safety.models import Place, SafetyAction
from safemoves.safety.services import safety_actions_for_new_case
from tests.factories import World, make_member, sign_in
from tests.safety.factories import make_case


def test_the_case_page_shows_overdue_actions_and_the_overdue_page_lists_them(world: World) -> None:
    colleague = make_member(world.a.organisation, Role.OFFICER, email="colleague@alpha.test")
    mine = make_case(world, received_at=timezone.now() - timedelta(hours=30))
    theirs = make_case(world, officer=colleague, received_at=timezone.now() - timedelta(hours=26))
    with organisation_scope(world.a.organisation.pk):
        for case in (mine, theirs):
            safety_actions_for_new_case(case, None)
    officer = sign_in(Client(), world.a[Role.OFFICER])
    case_page = officer.get(reverse("cases:detail", kwargs={"case_id": mine.pk}))
    assert b'class="row--overdue"' in case_page.content
    assert b'Mark done<span class="visually-hidden">: Change the locks</span>' in case_page.content
    own = officer.get(reverse("safety:overdue")).content.decode()
    assert mine.reference in own
    assert theirs.reference not in own
    everything = sign_in(Client(), world.a[Role.MANAGER]).get(reverse("safety:overdue")).content.decode()
    assert mine.reference in everything
    assert theirs.reference in everything


def test_marking_done_through_the_page(world: World) -> None:
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        [action] = safety_actions_for_new_case(case, None)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("safety:action_complete", kwargs={"case_id": case.pk, "action_id": action.pk})
    empty = client.post(url, {"done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "evidence_note": ""})
    assert b"This field is required." in empty.content
    done = client.post(url, {"done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "evidence_note": "Job 12"})
    assert done.status_code == 302
    assert done["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    with organisation_scope(world.a.organisation.pk):
        assert SafetyAction.objects.get().status == "done"


def test_an_unknown_postcode_is_an_error_on_the_postcode_field(world: World) -> None:
    case = make_case(world)
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.post(
        reverse("safety:place_add", kwargs={"case_id": case.pk}),
        {"kind": "avoid", "label": "His flat", "postcode": "ZZ99 9ZZ", "radius_km": "5"},
    )
    assert response.status_code == 200
    assert (
        b'<a href="#id_postcode">Postcode: Enter a full UK postcode that exists, like ME1 1AA; '
        b"this one was not found.</a>" in response.content
    )
    with organisation_scope(world.a.organisation.pk):
        assert Place.objects.count() == 0


def test_only_managers_add_agencies(world: World) -> None:
    officer = sign_in(Client(), world.a[Role.OFFICER])
    assert officer.get(reverse("safety:agencies")).status_code == 200
    assert officer.get(reverse("safety:agency_new")).status_code == 404
    manager = sign_in(Client(), world.a[Role.MANAGER])
    response = manager.post(
        reverse("safety:agency_new"),
        {"name": "Medway IDVA", "kind": "idva", "area_codes": ["E06000035"], "phone": "01634 000000"},
    )
    assert response.status_code == 302
    listing = officer.get(reverse("safety:agencies")).content.decode()
    assert "Medway IDVA" in listing
    assert "E06000035" in listing
