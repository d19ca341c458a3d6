from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in


def test_every_read_of_a_case_is_in_its_access_log(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    officer = sign_in(Client(), world.a[Role.OFFICER])
    assert officer.get(reverse("cases:detail", kwargs={"case_id": case.pk})).status_code == 200
    manager = sign_in(Client(), world.a[Role.MANAGER])
    page = manager.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Who has looked at this record" in page
    with scopes_disabled():
        viewers = list(
            AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk))
            .order_by("seq")
            .values_list("actor_id", flat=True)
        )
    assert viewers == [world.a[Role.OFFICER].pk, world.a[Role.MANAGER].pk]
    # Officers do not see the access log; managers and auditors do.
    officer_page = officer.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Who has looked at this record" not in officer_page


def test_stale_edit_gets_a_clear_conflict_and_the_other_change_survives(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    url = reverse("cases:edit", kwargs={"case_id": case.pk})
    officer = sign_in(Client(), world.a[Role.OFFICER])
    manager = sign_in(Client(), world.a[Role.MANAGER])
    form = {
        "version": case.version,
        "lead_name": case.lead_name,
        "lead_date_of_birth": "1990-05-17",
        "address": case.address,
        "postcode": case.postcode,
        "tenure": case.tenure,
        "referral_summary": case.referral_summary,
    }
    assert manager.post(url, {**form, "address": "1 Safe Place"}).status_code == 302
    response = officer.post(url, {**form, "address": "2 Stale Place"})
    assert response.status_code == 409
    page = response.content.decode()
    assert f"{world.a[Role.MANAGER].full_name} changed this record at" in page
    assert "(address) after you opened it" in page
    assert "See the case as it is now" in page
    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.get(pk=case.pk).address == "1 Safe Place"


def test_malformed_postcode_is_an_error_on_that_field(world: World) -> None:
    manager = sign_in(Client(), world.a[Role.MANAGER])
    response = manager.post(reverse("cases:open"), {"source": "staff", "lead_name": "A Person", "postcode": "ME1"})
    assert response.status_code == 200
    assert "Postcode: &#x27;ME1&#x27; is not a valid UK postcode format" in response.content.decode()
    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.count() == 0


def test_letter_is_refused_without_a_safe_address(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    officer = sign_in(Client(), world.a[Role.OFFICER])
    response = officer.get(reverse("cases:letter", kwargs={"case_id": case.pk}))
    assert response.status_code == 409
    assert "No safe-contact rules are recorded for this case." in response.content.decode()


def test_letter_is_addressed_only_to_the_safe_address(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    officer = sign_in(Client(), world.a[Role.OFFICER])
    response = officer.post(reverse("cases:letter", kwargs={"case_id": case.pk}), {"body": "Please call us."})
    page = response.content.decode()
    assert "c/o Women&#x27;s Aid<br>PO Box 1<br>Maidstone" in page
    assert "Example Street" not in page


def test_subject_access_export_holds_everything_and_is_audited(world: World) -> None:
    case = make_case(world.a, full=True)
    auditor = sign_in(Client(), world.a[Role.AUDITOR])
    response = auditor.get(reverse("cases:export_json", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["case"]["lead_name"] == "Jane Example"
    assert data["household"][0]["school"] == "Riverside Primary"
    assert data["perpetrators"][0]["court_orders"][0]["conditions"] == "Not to enter Example Street"
    assert data["safe_contact"]["safe_phone"] == "07700 900123"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}-subject-access.json"'
    html = auditor.get(reverse("cases:export_html", kwargs={"case_id": case.pk})).content.decode()
    assert "Riverside Primary" in html
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="case.exported", object_id=str(case.pk)).count() == 2


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_case_lists_use_the_same_number_of_queries_for_5_or_40_cases(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    for index in range(5):
        make_case(world.a, name=f"Person {index}", assigned_to=officer if index % 2 else None)
    officer_client, manager_client = sign_in(Client(), officer), sign_in(Client(), manager)
    urls = [(officer_client, reverse("cases:list")), (manager_client, reverse("cases:list") + "?all=1"),
            (manager_client, reverse("cases:caseloads")), (manager_client, reverse("cases:triage"))]  # fmt: skip
    few = [_queries_for(client, url) for client, url in urls]
    for index in range(35):
        make_case(world.a, name=f"Person {index + 5}", assigned_to=officer if index % 2 else None)
    many = [_queries_for(client, url) for client, url in urls]
    assert many == few
