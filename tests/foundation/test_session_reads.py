"""A staff request's first reads, the user with their membership and the session's device,
go to the database in one round trip (ADR 0035), and every check on them still holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from safemoves.accounts import middleware as staff_middleware
from safemoves.accounts.services import SIGNED_IN_ORGANISATION
from safemoves.common import bound as bound_module
from safemoves.common import rls
from safemoves.organisations.models import Role
from tests.factories import World, device_of, sign_in

HOME = reverse("web:home")
CASES = reverse("cases:list")
LOGIN = reverse("accounts:login")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_known() -> Iterator[None]:
    """Each test starts as a new process: no session has been seen."""
    staff_middleware._KNOWN_SIGN_INS.clear()
    yield
    staff_middleware._KNOWN_SIGN_INS.clear()


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


@pytest.fixture
def settings_sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The row-level security settings sent to the database, in order (PostgreSQL)."""
    sent: list[tuple[str, str]] = []
    real = psycopg.Connection.execute

    def spy(self: Any, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if query == rls.SET_SQL:
            sent.append(tuple(params))
        return real(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", spy)
    return sent


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_the_membership_is_read_in_the_sessions_organisation(
    world: World, settings_sent: list[tuple[str, str]]
) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    organisation = str(world.a.organisation.pk)
    settings_sent.clear()
    assert client.get(CASES).status_code == 200
    assert settings_sent == [(organisation, "")]  # the membership's read, and the page's after it
    settings_sent.clear()
    assert client.get(CASES).status_code == 200
    assert settings_sent == []  # the connection holds that organisation already: nothing to send


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_a_session_without_the_organisation_reads_across_organisations(
    world: World, settings_sent: list[tuple[str, str]]
) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    session = client.session
    del session[SIGNED_IN_ORGANISATION]
    session.save()
    organisation = str(world.a.organisation.pk)
    settings_sent.clear()
    assert client.get(CASES).status_code == 200
    assert client.get(CASES).status_code == 200
    assert settings_sent == [("", "all"), (organisation, ""), ("", "all"), (organisation, "")]


@pytest.mark.parametrize("named", ["other organisation", "no organisation", "not a number"])
def test_a_session_naming_another_organisation_still_acts_as_the_membership(world: World, named: str) -> None:
    """A member has one membership: a session naming any other organisation (none is made so)
    reads it across organisations, as a session without the key does, and acts as it."""
    officer = world.a[Role.OFFICER]
    client = sign_in(Client(), officer)
    session = client.session
    session[SIGNED_IN_ORGANISATION] = {
        "other organisation": world.b.organisation.pk,
        "no organisation": 987654,
        "not a number": "1",
    }[named]
    session.save()
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Tenancy services officer at Alpha Homes" in response.content.decode()
    assert response.wsgi_request.membership.organisation_id == world.a.organisation.pk  # type: ignore[attr-defined]


SIGN_IN_READS = ["organisations.user_with_membership", "otp.device.otp_totp.totpdevice"]


def test_from_its_second_request_a_session_is_read_with_what_it_names(
    world: World, sent_together: list[list[str]]
) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CASES).status_code == 200
        statements = [query["sql"] for query in queries.captured_queries]
        assert sum('FROM "django_session"' in sql for sql in statements) == 1
    # The first request reads the session, then what it names; the next ones send all three at once.
    assert [names for names in sent_together if "organisations.user_with_membership" in names] == [
        SIGN_IN_READS,
        ["sessions.session", *SIGN_IN_READS],
        ["sessions.session", *SIGN_IN_READS],
    ]


def test_what_a_session_named_is_kept_by_a_digest_of_its_key_not_the_key(world: World) -> None:
    officer = world.a[Role.OFFICER]
    client = sign_in(Client(), officer)
    assert client.get(CASES).status_code == 200
    key = client.session.session_key
    assert key is not None
    assert list(staff_middleware._KNOWN_SIGN_INS) == [staff_middleware._digest(key)]
    assert key.encode() not in staff_middleware._KNOWN_SIGN_INS
    assert all(key not in str(value) for value in staff_middleware._KNOWN_SIGN_INS.values())
    assert staff_middleware._KNOWN_SIGN_INS[staff_middleware._digest(key)] == (
        officer.pk,
        device_of(officer).persistent_id,
        world.a.organisation.pk,
    )


@pytest.mark.parametrize("change", ["another user's device", "unconfirmed device", "another user", "signed out"])
def test_a_session_that_changed_since_its_last_request_is_judged_on_what_it_names_now(
    world: World, sent_together: list[list[str]], change: str
) -> None:
    """The reads sent ahead name what the session named last time; a session that names
    something else now is read again and judged on that, exactly as on its first request."""
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    client = sign_in(Client(), officer)
    assert client.get(CASES).status_code == 200
    session = client.session
    key = session.session_key
    if change == "another user's device":
        session[DEVICE_ID_SESSION_KEY] = device_of(manager).persistent_id
        session.save()
    elif change == "unconfirmed device":
        device = device_of(officer)
        device.confirmed = False
        device.save(update_fields=["confirmed"])
    elif change == "another user":
        session["_auth_user_id"] = str(manager.pk)
        session.save()
    else:
        session.delete()
    sent_together.clear()
    response = client.get(CASES)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert sent_together[0] == ["sessions.session", *SIGN_IN_READS]  # what it named before
    if change in {"another user's device", "another user"}:
        assert sent_together[1] == SIGN_IN_READS  # what it names now, read again
    # Signed out, the session is forgotten with what it named (also when Django flushes it).
    assert key is not None
    assert staff_middleware._digest(key) not in staff_middleware._KNOWN_SIGN_INS
