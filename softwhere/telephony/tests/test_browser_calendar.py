"""Browser check of the calendar page's rows: « Ajouter un horaire type » (JavaScript) and « Supprimer cet horaire ».

Run with ``pytest -m browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from softwhere.core.tests.browser import BROWSER_MARKS, chromium_page, login  # noqa: E402
from softwhere.telephony.models import Calendar  # noqa: E402

pytestmark = BROWSER_MARKS


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(height=900) as page:
        yield page


def test_manager_adds_and_removes_schedule_rows(
    live_server: Any, transactional_db: None, tel: SimpleNamespace, page: Any
) -> None:
    expect = playwright_api.expect
    login(page, live_server.url, tel.manager.username)
    page.goto(f"{live_server.url}/telephonie/{tel.org.pk}/service/")
    page.click("[data-testid=edit-calendar]")
    expect(page.locator("[data-testid=schedule-row]")).to_have_count(1)
    page.click("[data-testid=add-schedule]")
    page.click("[data-testid=add-schedule]")  # a second blank row, left empty: ignored
    expect(page.locator("[data-testid=schedule-row]")).to_have_count(3)
    page.check("#id_schedules-1-days_5")  # samedi
    page.fill("#id_schedules-1-start", "09:00")
    page.fill("#id_schedules-1-end", "12:00")
    page.click("[data-testid=add-period]")
    page.fill("#id_periods-1-first_day", "2026-12-24")
    page.fill("#id_periods-1-last_day", "2026-12-31")
    page.check("#id_periods-0-DELETE")
    page.click("[data-testid=submit]")
    expect(page.locator("#messages")).to_contain_text("Calendrier « Bureaux » modifié.")
    calendar = Calendar.objects.get(pk=tel.calendar.pk)
    assert [s["days"] for s in calendar.schedules] == [["lun", "mar", "mer", "jeu", "ven"], ["sam"]]
    assert calendar.closure_periods == [{"first_day": "2026-12-24", "last_day": "2026-12-31"}]
