from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from safemoves.accounts.backends import STAFF_BACKEND
from safemoves.accounts.models import User
from safemoves.accounts.services import LAST_SEEN_AT, LOGIN_AT, SIGNED_IN_ORGANISATION
from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.organisations.services import member_deactivate
from tests.factories import PASSWORD, World, current_code, sign_in

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
HOME = reverse("web:home")


def _password_step(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password})


def test_full_sign_in_needs_password_then_code(world: World) -> None:
    officer = world.a[Role.OFFICER]
    client = Client()
    response = _password_step(client, officer.email)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    # Not signed in yet: the home page still sends us to sign in.
    assert client.get(HOME).status_code == 302
    response = client.post(VERIFY, {"token": current_code(officer)})
    assert response.status_code == 302
    assert response["Location"] == HOME
    home = client.get(HOME)
    assert home.status_code == 200
    assert "Tenancy services officer at Alpha Homes" in home.content.decode()
    # The membership's organisation, kept for the reads of every request (ADR 0035, addendum).
    assert client.session[SIGNED_IN_ORGANISATION] == world.a.organisation.pk
    with scopes_disabled():
        assert list(AuditEvent.objects.filter(actor=officer).values_list("action", flat=True)) == ["auth.login"]


def test_wrong_password_and_unknown_account_get_the_same_message(world: World) -> None:
    wrong = _password_step(Client(), world.a[Role.OFFICER].email, "not the password")
    unknown = _password_step(Client(), "nobody@nowhere.test", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct e-mail address and password." in response.content.decode()


def test_wrong_code_is_refused_and_does_not_sign_in(world: World) -> None:
    officer = world.a[Role.OFFICER]
    client = Client()
    _password_step(client, officer.email)
    wrong = "000000" if current_code(officer) != "000000" else "111111"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_code_page_without_a_password_step_goes_back_to_sign_in(world: World) -> None:
    response = Client().post(VERIFY, {"token": "123456"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_lockout_is_per_username_and_address(world: World, settings: SettingsWrapper) -> None:
    victim = world.a[Role.OFFICER]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(attacker, victim.email, "guess")
    # Now even the right password is refused from the attacker's address ...
    locked = _password_step(attacker, victim.email)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # ... while the colleague at her own desk signs in as usual.
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = _password_step(colleague, victim.email)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    colleague.post(VERIFY, {"token": current_code(victim)})
    assert colleague.get(HOME).status_code == 200


def test_wrong_codes_count_towards_the_lockout(world: World, settings: SettingsWrapper) -> None:
    officer = world.a[Role.OFFICER]
    client = Client(REMOTE_ADDR="203.0.113.10")
    _password_step(client, officer.email)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(VERIFY, {"token": "999999" if current_code(officer) != "999999" else "888888"})
    assert _password_step(client, officer.email).status_code == 429


def test_a_locked_pair_cannot_finish_with_the_right_code(world: World, settings: SettingsWrapper) -> None:
    officer = world.a[Role.OFFICER]
    client = Client(REMOTE_ADDR="203.0.113.11")
    _password_step(client, officer.email)
    wrong = "999999" if current_code(officer) != "999999" else "888888"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(VERIFY, {"token": wrong})
    response = client.post(VERIFY, {"token": current_code(officer)})
    assert response.status_code == 429
    assert client.get(HOME).status_code == 302


def test_absolute_session_limit_signs_out_after_twelve_hours(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    assert client.get(HOME).status_code == 200
    session = client.session
    session[LOGIN_AT] = (timezone.now() - timedelta(hours=12, seconds=1)).timestamp()
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def _session_writes(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")
    ]


def _rewind_last_seen(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN_AT] = (timezone.now() - timedelta(seconds=seconds)).timestamp()
    session.save()


def test_a_request_that_changes_nothing_does_not_write_the_session(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    assert client.get(HOME).status_code == 200
    assert _session_writes(client, HOME) == []
    assert _session_writes(client, HOME) == []


def test_activity_older_than_the_granularity_is_recorded(world: World, settings: SettingsWrapper) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    _rewind_last_seen(client, settings.SAFEMOVES_SESSION_ACTIVITY_GRANULARITY + 1)
    before = client.session[LAST_SEEN_AT]
    assert len(_session_writes(client, HOME)) == 1
    assert client.session[LAST_SEEN_AT] > before + settings.SAFEMOVES_SESSION_ACTIVITY_GRANULARITY
    assert _session_writes(client, HOME) == []


def test_idle_limit_signs_out_after_thirty_minutes(world: World, settings: SettingsWrapper) -> None:
    assert settings.SAFEMOVES_SESSION_IDLE_SECONDS == 30 * 60
    # The stored session outlives the idle limit, so the middleware's check is the one that bites.
    assert settings.SESSION_COOKIE_AGE > settings.SAFEMOVES_SESSION_IDLE_SECONDS
    client = sign_in(Client(), world.a[Role.OFFICER])
    _rewind_last_seen(client, 29 * 60)
    assert client.get(HOME).status_code == 200
    _rewind_last_seen(client, 30 * 60 + 1)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(HOME).status_code == 302


def test_session_without_second_factor_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.a[Role.OFFICER], backend=STAFF_BACKEND)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_deactivation_ends_every_session_at_once(world: World) -> None:
    officer = world.a[Role.OFFICER]
    desk = Client()
    _password_step(desk, officer.email)
    desk.post(VERIFY, {"token": current_code(officer)})
    phone = sign_in(Client(), officer)
    for client in (desk, phone):
        assert client.get(HOME).status_code == 200
    with scopes_disabled():
        membership = officer.membership
    with organisation_scope(world.a.organisation.pk):  # as the admin's page runs it
        member_deactivate(membership=membership, actor=world.a[Role.ADMIN])
    for client in (desk, phone):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert _password_step(Client(), officer.email).status_code == 200  # can no longer sign in


def test_logout_clears_site_data(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get(HOME).status_code == 302


def test_every_response_is_no_store_and_has_a_strict_csp(world: World) -> None:
    client = sign_in(Client(), world.a[Role.OFFICER])
    for url in (HOME, LOGIN):
        response = client.get(url) if url == HOME else Client().get(url)
        assert response["Cache-Control"] == "no-store, max-age=0"
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
        assert directives["script-src"].split()[0] == "'self'"
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_passwords_are_hashed_with_argon2() -> None:
    encoded = make_password("a long enough password", hasher="argon2")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("a long enough password", encoded)


def test_demo_code_is_shown_only_in_demo_mode(world: World, settings: SettingsWrapper) -> None:
    officer = world.a[Role.OFFICER]
    User.objects.filter(pk=officer.pk).update(is_demo=True)
    for demo, shown in ((False, False), (True, True)):
        settings.DEMO = demo
        client = Client()
        _password_step(client, officer.email)
        page = client.get(VERIFY).content.decode()
        assert ("data-demo-code" in page) is shown
        if shown:
            code = re.search(r"data-demo-code>(\d{6})<", page)
            assert code is not None
            client.post(VERIFY, {"token": code.group(1)})
            assert client.get(HOME).status_code == 200


def test_demo_code_is_never_shown_for_ordinary_accounts(world: World, settings: SettingsWrapper) -> None:
    settings.DEMO = True
    client = Client()
    _password_step(client, world.a[Role.OFFICER].email)
    assert "data-demo-code" not in client.get(VERIFY).content.decode()


def test_invitation_to_first_sign_in(world: World, django_capture_on_commit_callbacks: Any) -> None:
    admin = sign_in(Client(), world.a[Role.ADMIN])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("organisations:invite"),
            {"full_name": "Rosa Lewis", "email": "Rosa.Lewis@alpha.test", "role": Role.LETTINGS_OFFICER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/invitation/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    newcomer = Client()
    # The token in the URL must not travel as a Referer to the page's own assets or links.
    page = newcomer.get(link.group(1))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert Client().get("/account/invitation/not-a-real-token/")["Referrer-Policy"] == "no-referrer"
    response = newcomer.post(
        link.group(1), {"password1": "a river of quiet stones", "password2": "a river of quiet stones"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol")
    enrol_page = newcomer.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in enrol_page
    user = User.objects.get(email="rosa.lewis@alpha.test")
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"
    response = newcomer.post(reverse("accounts:enrol"), {"token": code})
    assert response.status_code == 302
    assert "Lettings officer at Alpha Homes" in newcomer.get(HOME).content.decode()
    # The link works once.
    assert Client().get(link.group(1)).status_code == 404


def test_demo_accounts_cannot_sign_in_or_stay_signed_in_under_production_settings(
    world: World, settings: SettingsWrapper
) -> None:
    officer = world.a[Role.OFFICER]
    settings.DEMO = True
    kept = sign_in(Client(), officer)
    User.objects.filter(pk=officer.pk).update(is_demo=True)
    assert kept.get(HOME).status_code == 200

    settings.DEMO = False
    # The published demo password no longer opens the account...
    refused = Client()
    response = _password_step(refused, officer.email)
    assert response.status_code == 200
    assert refused.get(VERIFY).status_code == 302
    # ...and a session opened in demo mode is not honoured either.
    assert kept.get(HOME).status_code == 302
