"""Subject-access exports read as labels: coded values, field names and district codes (issue 14, item 10)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safemoves.cases.export import case_export, readable
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in


def test_district_codes_become_names_wherever_they_are() -> None:
    document = {"areas": ["E07000110", "not a code"], "place": {"area_code": "E07000106"}, "count": 3}
    assert readable(document) == {
        "areas": ["Maidstone (E07000110)", "not a code"],
        "place": {"area_code": "Canterbury (E07000106)"},
        "count": 3,
    }


def test_coded_values_are_exported_as_their_labels(world: World) -> None:
    case = make_case(world.a, full=True)
    with organisation_scope(world.a.organisation.pk):
        document = case_export(case=case, actor=world.a[Role.MANAGER])
    assert (document["case"]["source"], document["case"]["tenure"], document["case"]["status"]) == (
        "Police",
        "Secure (lifetime)",
        "New (triage)",
    )
    assert document["perpetrators"][0]["relationship"] == "Ex-partner"
    assert document["perpetrators"][0]["court_orders"][0]["order_type"] == "Non-molestation order"


def test_the_printable_export_shows_labels_not_field_names(world: World) -> None:
    case = make_case(world.a, full=True)
    page = sign_in(Client(), world.a[Role.AUDITOR]).get(reverse("cases:export_html", kwargs={"case_id": case.pk}))
    html = page.content.decode()
    for label in (
        "<h2>The case</h2>",
        "<h2>Safe-contact rules</h2>",
        "<dt>Tenant&#x27;s name</dt>",
        "<dt>Referred by</dt>",
    ):
        assert label in html
    for code in ("lead_name", "safe_postal_address", "<dt>Lead name</dt>"):
        assert code not in html
