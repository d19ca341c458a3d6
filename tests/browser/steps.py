"""Steps the browser tests share: signing in with the second factor, signing out, and working a
page from the keyboard (links, buttons, radios, boxes and selects)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

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


def press(target: Locator) -> None:
    """Activate a link or button from the keyboard."""
    target.focus()
    target.press("Enter")


def tick(target: Locator) -> None:
    """Select a radio button or tick a box from the keyboard."""
    target.focus()
    target.press("Space")
    expect(target).to_be_checked()


def choose(select: Locator, label: str) -> None:
    """Pick an option of a native select with the keyboard: focus it, then arrow down to it."""
    labels = [text.strip() for text in select.locator("option").all_inner_texts()]
    select.focus()
    select.press("Home")
    for _ in range(labels.index(label)):
        select.press("ArrowDown")
    expect(select.locator("option:checked")).to_have_text(label)
