"""``object_address`` gives exactly what ``reverse`` gives (ADR 0030)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import re_path, reverse, set_script_prefix

from safemoves.common.addresses import object_address, page_addresses


def test_the_same_address_as_reverse_for_uuid_and_integer_ids() -> None:
    case_id, member_id = uuid.uuid4(), uuid.uuid4()
    assert object_address("cases:detail", case_id) == reverse("cases:detail", args=[case_id])
    assert object_address("cases:household_remove", case_id, member_id) == reverse(
        "cases:household_remove", args=[case_id, member_id]
    )
    assert object_address("organisations:reset_second_factor", 42) == reverse(
        "organisations:reset_second_factor", args=[42]
    )


def test_other_ids_are_left_to_reverse() -> None:
    case_id = uuid.uuid4()
    assert object_address("cases:detail", str(case_id)) == reverse("cases:detail", args=[str(case_id)])


def _year(request: HttpRequest, year: str) -> HttpResponse:
    return HttpResponse(year)


# A route narrower than any stand-in id: four digits only.
urlpatterns = [re_path(r"^year/(?P<year>[0-9]{4})/$", _year, name="year")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_route_the_stand_ins_do_not_fit_is_left_to_reverse() -> None:
    assert object_address("year", 2026) == reverse("year", args=[2026]) == "/year/2026/"


def test_the_script_prefix_is_part_of_the_key() -> None:
    case_id = uuid.uuid4()
    try:
        set_script_prefix("/safemoves/")
        assert object_address("cases:detail", case_id) == f"/safemoves/cases/{case_id}/"
    finally:
        set_script_prefix("/")
    assert object_address("cases:detail", case_id) == f"/cases/{case_id}/"


@override_settings(ROOT_URLCONF="safemoves.urls")
def test_the_template_tag_renders_what_the_url_tag_renders() -> None:
    case_id = uuid.uuid4()
    engine = engines["django"]
    ours = engine.from_string("{% load addresses %}{% address 'cases:edit' case_id %}").render({"case_id": case_id})
    theirs = engine.from_string("{% url 'cases:edit' case_id %}").render({"case_id": case_id})
    assert ours == theirs == f"/cases/{case_id}/edit/"


def test_a_pages_addresses_are_the_ones_reverse_gives() -> None:
    case_id, member_id = uuid.uuid4(), uuid.uuid4()
    address = page_addresses()
    assert address("cases:detail", case_id) == reverse("cases:detail", args=[case_id])
    assert address("cases:household_remove", case_id, member_id) == reverse(
        "cases:household_remove", args=[case_id, member_id]
    )
    assert address("organisations:reset_second_factor", 42) == reverse("organisations:reset_second_factor", args=[42])
    assert address("cases:detail", str(case_id)) == reverse("cases:detail", args=[str(case_id)])
    assert address("cases:list") == reverse("cases:list")


def test_a_page_keeps_the_script_prefix_it_started_with() -> None:
    case_id = uuid.uuid4()
    try:
        set_script_prefix("/safemoves/")
        address = page_addresses()
    finally:
        set_script_prefix("/")
    assert address("cases:detail", case_id) == f"/safemoves/cases/{case_id}/"
    assert page_addresses()("cases:detail", case_id) == f"/cases/{case_id}/"


def test_a_jinja2_page_with_a_request_writes_its_addresses_through_the_page_binding(rf: Any) -> None:
    case_id = uuid.uuid4()
    template = engines["jinja2"].from_string("{{ address.__qualname__ }} {{ address('cases:edit', case_id) }}")
    with_request = template.render({"case_id": case_id}, request=rf.get("/"))
    assert with_request == f"page_addresses.&lt;locals&gt;.address /cases/{case_id}/edit/"
    assert template.render({"case_id": case_id}) == f"object_address /cases/{case_id}/edit/"  # the global
