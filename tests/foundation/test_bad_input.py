from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.organisations.models import Role
from tests.factories import World, sign_in


@pytest.mark.parametrize("query", ["action=%00", "action=case.%00read", "page=1%00", "%00=1"])
def test_a_null_character_in_a_filter_is_refused_with_a_message_not_a_server_error(world: World, query: str) -> None:
    auditor = sign_in(Client(), world.a[Role.AUDITOR])
    response = auditor.get(f"{reverse('audit:log')}?{query}")
    assert response.status_code == 400
    assert "null character (%00)" in response.content.decode()


def test_an_ordinary_filter_still_works(world: World) -> None:
    auditor = sign_in(Client(), world.a[Role.AUDITOR])
    assert auditor.get(f"{reverse('audit:log')}?action=case.").status_code == 200
