"""Finding a landlord's own cases by postcode, address, phone or perpetrator, and the
same-perpetrator alert (ADR 0022)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases import services
from safemoves.cases.codes import Relationship
from safemoves.cases.finding import normalise_phone, perpetrator_match_token
from safemoves.cases.models import Case, CaseSearchToken, Perpetrator
from safemoves.cases.selectors import find_cases, same_perpetrator_cases
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import Landlord, World, sign_in


def _find(landlord: Landlord, role: Role, field: str, query: str) -> list[str]:
    with organisation_scope(landlord.organisation.pk):
        return [case.reference for case in find_cases(landlord[role].membership, field=field, query=query)]


def _perpetrator(landlord: Landlord, case: Case, name: str) -> Perpetrator:
    with organisation_scope(landlord.organisation.pk):
        return services.perpetrator_add(
            case=case,
            actor=landlord[Role.MANAGER],
            name=name,
            relationship=Relationship.EX_PARTNER,
            lives_at_address=False,
            joint_tenant=False,
            has_key=False,
        )


def test_phone_numbers_are_compared_by_their_digits() -> None:
    assert normalise_phone("+44 7700 900123") == "07700900123"
    assert normalise_phone("0044 7700 900123") == "07700900123"
    assert normalise_phone("07700 900 123") == "07700900123"


@pytest.mark.parametrize(
    ("field", "query"),
    [
        ("postcode", "me4 4aa"),
        ("postcode", "ME44AA"),
        ("postcode", "ME4"),
        ("address", "example street"),
        ("address", "Chatham"),
        ("phone", "+44 7700 900123"),
        ("perpetrator", "john harmer"),
        ("perpetrator", "Harmer"),
    ],
)
def test_a_manager_finds_the_case_by_each_field(world: World, field: str, query: str) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    other = make_case(world.a, name="Other Person")  # a second case that must not match
    with organisation_scope(world.a.organisation.pk):
        services.case_update(
            case=other,
            actor=world.a[Role.MANAGER],
            expected_version=other.version,
            changes={"postcode": "CT1 1AA", "address": "9 Far Lane\nCanterbury"},
        )
    assert _find(world.a, Role.MANAGER, field, query) == [case.reference]


def test_no_match_across_fields_or_on_part_of_a_word(world: World) -> None:
    make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    assert _find(world.a, Role.MANAGER, "address", "ME4 4AA") == []
    assert _find(world.a, Role.MANAGER, "perpetrator", "Jane Example") == []
    assert _find(world.a, Role.MANAGER, "phone", "07700") == []
    assert _find(world.a, Role.MANAGER, "perpetrator", "Harm") == []


def test_results_are_the_members_own_visible_cases_of_their_landlord(world: World) -> None:
    other_officer_case = make_case(world.a, assigned_to=world.a[Role.MANAGER], full=True)
    make_case(world.b, assigned_to=world.b[Role.OFFICER], full=True)  # the same details at landlord B
    assert _find(world.a, Role.MANAGER, "postcode", "ME4 4AA") == [other_officer_case.reference]
    # An officer finds only cases they may open (this one is assigned to someone else).
    assert _find(world.a, Role.OFFICER, "postcode", "ME4 4AA") == []


def test_the_search_is_audited_by_field_never_by_text(world: World) -> None:
    make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    _find(world.a, Role.MANAGER, "perpetrator", "John Harmer")
    with scopes_disabled():
        event = AuditEvent.objects.get(action="case.searched")
        stored = " ".join(str(value) for value in AuditEvent.objects.values_list("fields", "reason", "object_id"))
    assert (event.fields, event.reason, event.object_type) == (["perpetrator"], "search by perpetrator: 1 found", "")
    assert "harmer" not in stored.lower()


def test_changing_the_details_changes_what_finds_the_case(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        services.case_update(case=case, actor=manager, expected_version=case.version, changes={"postcode": "CT1 1AA"})
        services.contact_rules_update(
            case=case, actor=manager, expected_version=None, changes={"safe_phone": "01632 960001"}
        )
        [person] = Perpetrator.objects.filter(case=case)
        services.perpetrator_update(case=case, actor=manager, perpetrator=person, changes={"name": "Jon Harmer"})
    assert _find(world.a, Role.MANAGER, "postcode", "ME4 4AA") == []
    assert _find(world.a, Role.MANAGER, "postcode", "CT1 1AA") == [case.reference]
    assert _find(world.a, Role.MANAGER, "phone", "07700 900123") == []
    assert _find(world.a, Role.MANAGER, "phone", "01632960001") == [case.reference]
    assert _find(world.a, Role.MANAGER, "perpetrator", "John Harmer") == []
    assert _find(world.a, Role.MANAGER, "perpetrator", "Jon Harmer") == [case.reference]


def test_the_data_migration_fills_the_index_of_existing_cases(world: World) -> None:
    from importlib import import_module

    from django.apps import apps

    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with scopes_disabled():
        CaseSearchToken.objects.filter(case=case).delete()
        Perpetrator.objects.filter(case=case).update(name_index="")
    migration: Any = import_module("safemoves.cases.migrations.0005_perpetrator_name_index_and_search_tokens")
    migration.fill_search_index(apps, None)
    migration.fill_search_index(apps, None)  # rerunnable
    assert _find(world.a, Role.MANAGER, "postcode", "ME4 4AA") == [case.reference]
    with scopes_disabled():
        [person] = Perpetrator.objects.filter(case=case)
    assert person.name_index == perpetrator_match_token(world.a.organisation.pk, "John Harmer")


# --- the same perpetrator on another case -------------------------------------------------


def test_the_same_perpetrator_on_two_cases_is_flagged_to_those_who_see_both(world: World) -> None:
    officer = world.a[Role.OFFICER]
    first = make_case(world.a, assigned_to=officer)
    second = make_case(world.a, name="Ann Other", assigned_to=officer)
    third = make_case(world.a, name="Third Tenant", assigned_to=world.a[Role.MANAGER])
    _perpetrator(world.a, first, "John Harmer")
    _perpetrator(world.a, second, "JOHN  HARMER")
    _perpetrator(world.a, third, "John Harmer")
    with organisation_scope(world.a.organisation.pk):
        as_manager = same_perpetrator_cases(world.a[Role.MANAGER].membership, first)
        as_officer = same_perpetrator_cases(officer.membership, first)
    assert [case.reference for case in as_manager] == sorted([second.reference, third.reference])
    # The officer cannot see the third case: it is neither named nor hinted at.
    assert [case.reference for case in as_officer] == [second.reference]
    client = sign_in(Client(), officer)
    page = client.get(reverse("cases:detail", kwargs={"case_id": first.pk})).content.decode()
    assert "The same perpetrator is on another case" in page
    assert second.reference in page
    assert third.reference not in page


def test_unknown_names_and_other_names_raise_no_alert(world: World) -> None:
    manager = world.a[Role.MANAGER]
    first = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    second = make_case(world.a, name="Ann Other", assigned_to=world.a[Role.OFFICER])
    _perpetrator(world.a, first, "Not known")
    _perpetrator(world.a, second, "not known")
    _perpetrator(world.a, second, "John Harmer-Smith")
    _perpetrator(world.a, first, "John Harmer")
    with organisation_scope(world.a.organisation.pk):
        assert same_perpetrator_cases(manager.membership, first) == []
    page = sign_in(Client(), manager).get(reverse("cases:detail", kwargs={"case_id": first.pk})).content.decode()
    assert "The same perpetrator is on another case" not in page


def test_landlord_bs_identical_perpetrator_never_triggers_anything_at_a(world: World) -> None:
    at_a = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    at_b = make_case(world.b, assigned_to=world.b[Role.OFFICER])
    person_a = _perpetrator(world.a, at_a, "John Harmer")
    person_b = _perpetrator(world.b, at_b, "John Harmer")
    # Keyed per landlord: the same name gives unrelated tokens.
    assert person_a.name_index
    assert person_b.name_index
    assert person_a.name_index != person_b.name_index
    for landlord, case in ((world.a, at_a), (world.b, at_b)):
        with organisation_scope(landlord.organisation.pk):
            assert same_perpetrator_cases(landlord[Role.MANAGER].membership, case) == []
    page = (
        sign_in(Client(), world.a[Role.MANAGER])
        .get(reverse("cases:detail", kwargs={"case_id": at_a.pk}))
        .content.decode()
    )
    assert "The same perpetrator is on another case" not in page


# --- the page ---------------------------------------------------------------------------


def test_the_find_page_searches_by_post_and_shows_the_case(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("cases:find")
    assert client.get(url).status_code == 200
    page = client.post(url, {"field": "postcode", "query": "me4 4aa"}).content.decode()
    assert "1 case found" in page
    assert case.reference in page
    bad = client.post(url, {"field": "shoe size", "query": ""}).content.decode()
    assert "Search by" in bad
    assert "This field is required." in bad
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="case.searched").count() == 1
