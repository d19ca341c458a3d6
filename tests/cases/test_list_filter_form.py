"""The case lists' filter form as a list opens, rendered once per process, writes exactly what
the form itself writes (``cases.forms.blank_case_filter_form``)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.cases.forms import CaseFilterForm, blank_case_filter_form
from safemoves.organisations.models import Role
from tests.factories import World, sign_in

LIST = reverse("cases:list")
FORM = re.compile(r'<form method="get" class="filter-form".*?</form>', re.DOTALL)


def test_each_field_is_the_forms_own_label_id_and_html() -> None:
    form = CaseFilterForm()
    shown = blank_case_filter_form()
    assert list(shown) == ["q", "status", "overdue"]
    for name, field in shown.items():
        assert (field.label, field.id_for_label, field.html) == (
            str(form[name].label),
            form[name].id_for_label,
            str(form[name]),
        )
        assert field.__html__() == str(form[name])


@pytest.mark.parametrize(("role", "asked"), [(Role.OFFICER, "?q="), (Role.MANAGER, "?q=&status=")])
def test_a_list_as_it_opens_shows_the_form_a_blank_search_shows(world: World, role: Role, asked: str) -> None:
    """The list with nothing asked (the kept rendering) and the list searched for nothing (the
    form built from the request) write the same form, byte for byte."""
    client = sign_in(Client(), world.a[role])
    opened = client.get(LIST)
    searched = client.get(LIST + asked)
    assert (opened.status_code, searched.status_code) == (200, 200)
    (kept,) = FORM.findall(opened.content.decode())
    (built,) = FORM.findall(searched.content.decode())
    assert kept == built
    assert 'name="q"' in kept
    assert 'name="status"' in kept
    assert 'name="overdue"' in kept


def test_a_search_still_shows_what_was_asked(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    page = client.get(LIST + "?q=Ann&overdue=on").content.decode()
    (form,) = FORM.findall(page)
    assert 'value="Ann"' in form
    assert "checked" in form
