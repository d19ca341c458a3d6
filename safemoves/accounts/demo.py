"""The demo's way past the second factor. It exists only while SAFEMOVES_DEMO is on."""

from __future__ import annotations

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.models import User


def demo_code_for(user: User, device: TOTPDevice) -> str | None:
    """The current code of a demo account's authenticator, shown on screen in demo mode only."""
    if not settings.DEMO or not user.is_demo:
        return None
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{totp.token():0{device.digits}d}"
