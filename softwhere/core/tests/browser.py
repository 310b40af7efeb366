"""Shared Playwright setup for the browser tests: Debian's Chromium, one page per test, screenshots.

Test modules mark themselves with ``BROWSER_MARKS`` and wrap ``chromium_page()`` in their ``page``
fixture. Screenshots land in ``artifacts/screenshots/`` (git-ignored) for a visual check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures, final assertions) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
PASSWORD = "motdepasse-Test-1"  # the `world` fixture's password
# Generous: a loaded CI machine can take several seconds for a first page; a real failure still fails.
DEFAULT_TIMEOUT_MS = 30_000

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@contextmanager
def chromium_page(*, width: int = 1440, height: int = 900) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # ``expect`` assertions have their own 5 s default: a form POST whose reactions (SLA clocks, mails) run
    # before the redirect can take longer on a loaded CI machine, and the assertion must wait like the actions.
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            yield context.new_page()
        finally:
            # While Playwright's event loop runs, Django keeps the connections it opens in a separate
            # (async-context) storage that the usual teardown never sees: close them here, or the
            # PostgreSQL test database cannot be dropped at the end of the session.
            connections.close_all()
            context.close()
            browser.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form; lands on the user's home page."""
    page.goto(f"{base}/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
