"""Browser tests: Playwright driving Debian's Chromium, with an axe check of every page visited."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SAFEMOVES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run ./scripts/install-chromium (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessibilityLedger:
    """Remembers every page the browser showed and which of them passed axe."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and frame.url.startswith("http"):
            self.visited.append(frame.url.split("#", 1)[0])

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        results = _axe.run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
        violations = results.response["violations"]
        summary = [
            f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']]}"
            for violation in violations
        ]
        assert violations == [], f"axe found WCAG 2.2 AA violations on {self.page.url}:\n" + "\n".join(summary)
        self.checked.add(self.page.url.split("#", 1)[0])

    def unchecked(self) -> list[str]:
        return [url for url in dict.fromkeys(self.visited) if url not in self.checked]


@pytest.fixture
def page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    ledger = AccessibilityLedger(page)
    page.axe = ledger  # type: ignore[attr-defined]
    yield page
    context.close()
    assert ledger.unchecked() == [], "pages visited without an axe check"


def assert_accessible(page: Page) -> None:
    """Run axe (WCAG 2.2 AA) on the current page; every page a test visits must pass through here."""
    page.axe.check()  # type: ignore[attr-defined]
