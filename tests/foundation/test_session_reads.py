"""A staff request's first reads, the user with their membership and the session's device,
go to the database in one round trip (ADR 0035), and every check on them still holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from safemoves.common import bound as bound_module
from safemoves.organisations.models import Role
from tests.factories import World, device_of, sign_in

HOME = reverse("web:home")
LOGIN = reverse("accounts:login")
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_together(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names of the reads each read_together() block was given, in order."""
    sent: list[list[str]] = []
    real = bound_module._read

    def spy(reads: list[Any], also: list[Any]) -> Any:
        sent.append([read.name for read in reads])
        return real(reads, also)

    monkeypatch.setattr(bound_module, "_read", spy)
    return sent


def test_the_user_and_the_device_are_read_together(world: World, sent_together: list[list[str]]) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    assert sent_together[0] == ["organisations.user_with_membership", "otp.device.otp_totp.totpdevice"]
    statements = [query["sql"] for query in queries.captured_queries]
    # Each is read once, on both databases: the read ahead answers the backend and django-otp.
    assert sum('FROM "organisations_membership"' in sql for sql in statements) == 1
    assert sum('FROM "otp_totp_totpdevice"' in sql for sql in statements) == 1


def test_nothing_is_read_ahead_for_a_visitor(world: World, sent_together: list[list[str]]) -> None:
    assert Client().get(HOME).status_code == 302
    assert sent_together == []


def test_another_users_device_in_the_session_still_signs_out(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(world.a[Role.MANAGER]).persistent_id
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_unconfirmed_device_still_signs_out(world: World) -> None:
    officer = world.a[Role.OFFICER]
    client = sign_in(Client(), officer)
    device = device_of(officer)
    device.confirmed = False
    device.save(update_fields=["confirmed"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_device_id_that_is_not_a_number_is_no_device(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = "otp_totp.totpdevice/not-a-number"
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
