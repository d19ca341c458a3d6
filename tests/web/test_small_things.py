"""Issue 14, item 12: actions a person cannot take are not links; "remove" asks first; a favicon."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in

pytestmark = pytest.mark.django_db


def test_the_auditor_is_not_offered_open_a_case(world: World) -> None:
    auditor = sign_in(Client(), world.a[Role.AUDITOR]).get(reverse("cases:list")).content.decode()
    officer = sign_in(Client(), world.a[Role.OFFICER]).get(reverse("cases:list")).content.decode()
    open_link = f'href="{reverse("cases:open")}"'
    assert open_link not in auditor
    assert open_link in officer


def test_write_a_letter_says_why_when_letters_are_not_agreed(world: World) -> None:
    agreed = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)  # letters to a safe address
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])  # no safe-contact rules yet
    client = sign_in(Client(), world.a[Role.OFFICER])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{reverse("cases:letter", args=[case.pk])}"' not in page
    assert "Write a letter: not possible." in page
    assert "Write a letter: not possible." not in client.get(reverse("cases:detail", args=[agreed.pk])).content.decode()


def test_remove_asks_to_confirm_and_a_get_changes_nothing(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with organisation_scope(world.a.organisation.pk):
        member = case.household.get()
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("cases:household_remove", args=[case.pk, member.pk])
    assert f'href="{url}"' in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    confirm = client.get(url)
    assert "Remove Sam Example from the household?" in confirm.content.decode()
    with organisation_scope(world.a.organisation.pk):
        assert case.household.count() == 1
    assert client.post(url).status_code == 302
    with organisation_scope(world.a.organisation.pk):
        assert case.household.count() == 0


def test_every_page_links_the_favicon(world: World) -> None:
    page = sign_in(Client(), world.a[Role.OFFICER]).get(reverse("web:home")).content.decode()
    assert '<link rel="icon" href="/static/safemoves/favicon.svg" type="image/svg+xml">' in page
    assert Client().get("/static/safemoves/favicon.svg").status_code == 200
