"""Browser journey (Chromium): a manager builds a calendar, a Cyclique call group and an IVR, then asks
« où va cet appel ? » for a call at 12:30 on a weekday and reads the trace.

Run with ``pytest -m browser``; screenshots land in ``artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from softwhere.core.tests.browser import BROWSER_MARKS, chromium_page, login  # noqa: E402
from softwhere.core.tests.browser import shot as browser_shot  # noqa: E402
from softwhere.telephony.models import CallGroup, Ivr  # noqa: E402

from .audio import wav  # noqa: E402
from .builders import A, B, C  # noqa: E402

pytestmark = BROWSER_MARKS


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(height=900) as page:
        yield page


def shot(page: Any, name: str) -> None:
    browser_shot(page, f"telephonie-{name}")


def test_manager_builds_ivr_to_cyclic_group_and_asks_where_a_lunchtime_call_goes(
    live_server: Any, transactional_db: None, tel: SimpleNamespace, page: Any
) -> None:
    expect = playwright_api.expect
    base = live_server.url
    login(page, base, tel.manager.username)
    page.goto(f"{base}/telephonie/")
    expect(page.locator("[data-testid=telephony-menu]")).to_contain_text("Gérer votre offre")
    shot(page, "01-offre")

    # --- Calendar with a lunch break -------------------------------------------------------------------------
    page.click("text=Gérer votre service")
    page.click("[data-testid=new-calendar]")
    page.fill("#id_name", "Horaires bureau")
    page.fill("#id_schedules-0-start", "09:00")
    page.fill("#id_schedules-0-end", "18:00")
    page.check("#id_schedules-0-lunch")
    page.fill("#id_schedules-0-lunch_start", "12:00")
    page.fill("#id_schedules-0-lunch_end", "14:00")
    page.click("[data-testid=submit]")
    expect(page.locator("#messages")).to_contain_text("Calendrier « Horaires bureau » créé.")
    expect(page.locator("[data-testid=calendars]")).to_contain_text("pause 12:00–14:00")

    # --- Call group, three members, Cyclique ------------------------------------------------------------------
    page.click("text=Gérer vos lignes")
    page.click("[data-testid=new-group]")
    page.fill("#id_name", "Accueil")
    page.fill("#id_number", "01 87 04 41 00")
    page.select_option("#id_distribution", "cyclique")
    for number in (A, B, C):
        page.check(f"input[name=members][value='{number}']")
    shot(page, "02-groupement")
    page.click("[data-testid=submit]")
    expect(page.locator("[data-testid=group-distribution]")).to_have_text("Cyclique")
    expect(page.locator("[data-testid=group-members] tbody tr")).to_have_count(3)

    # --- IVR: key 1 → the group, by calendar ---------------------------------------------------------------
    page.click("text=Gérer vos lignes")
    page.click("[data-testid=new-ivr]")
    page.fill("#id_name", "Standard")
    page.fill("#id_number", "01 87 04 42 00")
    page.select_option("#id_calendar", "Horaires bureau")
    page.set_input_files("#id_announcement", files=[{"name": "accueil.wav", "mimeType": "audio/wav", "buffer": wav(8)}])
    page.fill("#id_key_1", "+33187044100")
    page.click("[data-testid=submit]")
    expect(page.locator("#messages")).to_contain_text("Accueil vocal interactif « Standard » créé.")
    expect(page.locator("[data-testid=ivr-list]")).to_contain_text("Horaires bureau")

    # --- Où va cet appel ? Monday 23/11/2026 at 12:30 --------------------------------------------------------
    page.click("[data-testid=nav-simulate]")
    page.fill("#id_to", "01 87 04 42 00")
    page.fill("#id_day", "2026-11-23")
    page.fill("#id_time", "12:30")
    page.fill("#id_caller", "02 98 76 54 32")
    page.fill("#id_keys", "1")
    page.click("[data-testid=simulate-submit]")
    trace = page.locator("[data-testid=trace]")
    expect(trace).to_contain_text("lundi 23/11/2026 à 12:30")
    expect(trace).to_contain_text("fermé (pause déjeuner 12:00–14:00) : menu des heures de fermeture")
    expect(trace).to_contain_text("L'appelant tape 1 : renvoi vers +33187044100")
    expect(trace).to_contain_text("mode Cyclique")
    expect(page.locator("[data-testid=outcome]")).to_have_attribute("data-kind", "answered")
    expect(page.locator("[data-testid=outcome]")).to_contain_text("Julie Bertrand (+33187044001) répond")
    shot(page, "03-ou-va-cet-appel")

    group = CallGroup.objects.get(organisation=tel.org, number="+33187044100")
    assert [m.line.number for m in group.members.order_by("position")] == [A, B, C]
    ivr = Ivr.objects.get(organisation=tel.org)
    assert (ivr.calendar, ivr.open_menu["keys"]) == ("Horaires bureau", [{"key": "1", "number": "+33187044100"}])
