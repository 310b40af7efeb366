"""In Chromium: with more companies than the select lists, the agent finds one by typing and the grid filters on it."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from softwhere.core.tests.browser import BROWSER_MARKS, chromium_page, login, shot  # noqa: E402
from softwhere.core.widgets import SearchableSelect  # noqa: E402
from softwhere.tickets import actions  # noqa: E402
from softwhere.tickets.choices import ServiceState  # noqa: E402

pytestmark = BROWSER_MARKS


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as page:
        yield page


def test_agent_searches_a_company_and_filters_the_grid(
    page: Any, live_server: Any, world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SearchableSelect, "limit", 2)
    for org, subject in ((world.acme, "Coupure chez ACME"), (world.other, "Coupure chez Autre")):
        actions.create_ticket(actor=world.n1, organisation=org, subject=subject, service_state=ServiceState.INTERRUPTED)
    base = live_server.url
    login(page, base, "n1")
    page.goto(f"{base}/tickets/")
    select = page.locator("#id_organisation")
    assert select.locator("option").count() == 1  # only « Toutes »: the list is fetched on demand

    page.fill("[data-searchable-for=id_organisation]", "autre soc")
    page.wait_for_selector("#id_organisation option:has-text('Autre Société')", state="attached")
    select.select_option(label="Autre Société")  # a change of filter redraws the grid (HTMX)
    page.wait_for_function("() => !document.querySelector('#ticket-grid').textContent.includes('Coupure chez ACME')")
    grid = page.locator("#ticket-grid").inner_text()
    assert "Coupure chez Autre" in grid and "Coupure chez ACME" not in grid
    shot(page, "grid-company-search")
