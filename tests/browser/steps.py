"""Steps the browser tests share: signing in with the second factor, and signing out."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safemoves.accounts.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, current_code


def sign_in(page: Page, user: User) -> None:
    """The full sign-in (password, then the current code), axe-checking each page on the way."""
    # A code is accepted once; let the same person sign in again within the same 30 seconds.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.goto("/account/sign-in/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {user.full_name}")
    assert_accessible(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)
