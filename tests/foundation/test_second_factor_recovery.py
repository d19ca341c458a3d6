"""Issue 14, item 11: an administrator resets a lost second factor; recovery codes, shown once, work once each."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from tests.factories import PASSWORD, World, sign_in

LOGIN = reverse("accounts:login")
HOME = reverse("web:home")


def _enrol(client: Client, email: str) -> list[str]:
    """Password, then set up the authenticator; returns the recovery codes shown."""
    response = client.post(LOGIN, {"username": email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:enrol")
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user__email=email, confirmed=False)
    code = f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"
    response = client.post(reverse("accounts:enrol"), {"token": code})
    assert response["Location"] == reverse("accounts:recovery_codes")
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    # Shown once: the page no longer holds them.
    assert "<code>" not in client.get(reverse("accounts:recovery_codes")).content.decode()
    return codes


def test_reset_then_enrol_again_then_sign_in_with_recovery_codes(world: World) -> None:
    officer = world.a[Role.OFFICER]
    officer_session = sign_in(Client(), officer)
    admin = sign_in(Client(), world.a[Role.ADMIN])
    with scopes_disabled():
        url = reverse("organisations:reset_second_factor", args=[officer.membership.pk])
    # "Reset" asks to confirm first, and the staff page links to that page rather than acting.
    assert f'href="{url}"' in admin.get(reverse("organisations:staff")).content.decode()
    confirm = admin.get(url)
    assert "Reset the second factor of Tenancy services officer of Alpha Homes?" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert admin.post(url).status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 0
    assert officer_session.get(HOME).status_code == 302  # their session ended
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action="staff.second_factor_reset")
    assert (event.actor, event.reason) == (world.a[Role.ADMIN], "1 session(s) ended; must enrol again")

    codes = _enrol(Client(), officer.email)
    assert len(codes) == 10
    assert len(set(codes)) == 10

    client = Client()
    assert client.post(LOGIN, {"username": officer.email, "password": PASSWORD})["Location"] == reverse(
        "accounts:verify"
    )
    response = client.post(reverse("accounts:recover"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    # The same code does not work twice.
    again = Client()
    again.post(LOGIN, {"username": officer.email, "password": PASSWORD})
    refused = again.post(reverse("accounts:recover"), {"code": codes[0]})
    assert refused.status_code == 200
    assert "That recovery code is not right, or it has been used already." in refused.content.decode()
    assert StaticDevice.objects.get(user=officer).token_set.count() == 9
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="auth.recovery_code_used", actor=officer).count() == 1


def test_an_administrator_cannot_reset_their_own_second_factor(world: World) -> None:
    admin_user = world.a[Role.ADMIN]
    admin = sign_in(Client(), admin_user)
    with scopes_disabled():
        url = reverse("organisations:reset_second_factor", args=[admin_user.membership.pk])
    admin.post(url)
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1
