"""End-to-end journey in Chromium: an N1 agent works a fibre incident, escalates it, an N2 agent resolves it.

Run with ``pytest -m browser``. Screenshots of each main step land in
``artifacts/screenshots/`` (git-ignored) for a visual check of the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

from softwhere.core.tests.browser import BROWSER_MARKS, PASSWORD, chromium_page, shot  # noqa: E402
from softwhere.tickets.choices import Level, TicketStatus, TimelineKind  # noqa: E402
from softwhere.tickets.models import Ticket  # noqa: E402

pytestmark = BROWSER_MARKS


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(height=900) as page:
        yield page


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/tickets/")


def open_action_panel(page: Any, name: str) -> None:
    """Open a transition's panel and wait for Bootstrap's collapse to finish: a click on « Confirmer » while
    the panel is still growing can land beside the button on a loaded machine, and nothing is submitted."""
    page.click(f"[data-testid=action-{name}]")
    page.wait_for_selector(f"#panel-{name}.collapse.show:not(.collapsing)")


def logout(page: Any, base: str) -> None:
    page.click("[data-testid=user-menu]")
    page.click("text=Se déconnecter")
    page.wait_for_url(f"{base}/connexion/")


def status_badge(page: Any) -> str:
    return str(page.inner_text("[data-testid=ticket-status]")).strip()


def test_n1_escalates_and_n2_resolves(
    live_server: Any, transactional_db: None, world: SimpleNamespace, page: Any
) -> None:
    expect = playwright_api.expect
    base = live_server.url

    # --- N1 opens a ticket for the client's site ---------------------------------------------------------
    login(page, base, "n1")
    expect(page.locator("[data-testid=role-badge]")).to_have_text("N1")
    shot(page, "01-grille-n1")
    page.click("text=Nouveau ticket >> nth=0")
    page.select_option("#id_organisation", str(world.acme.pk))  # HTMX redraws site / reporter
    page.wait_for_selector(f"#id_site option[value='{world.acme_site.pk}']", state="attached")
    page.select_option("#id_site", str(world.acme_site.pk))  # HTMX offers the site's services
    page.check(f"input[name=services][value='{world.acme_access.pk}']")
    page.check(f"input[name=equipment][value='{world.acme_ont.pk}']")
    page.select_option("#id_reporter", str(world.acme_contact.pk))
    page.fill("#id_subject", "Plus d'internet au siège, voyant LOS rouge")
    page.fill("#id_description", "Coupure depuis 8h45, le terminal de paiement est hors service.")
    page.check("input[name=service_state][value=interrompu]")
    page.select_option("#id_priority", "1")
    shot(page, "02-nouveau-ticket")
    page.click("text=Créer le ticket")
    page.wait_for_url(re.compile(r"/tickets/\d{10}/$"))
    reference = page.inner_text("[data-testid=ticket-reference]").strip()
    expect(page.locator("#messages")).to_contain_text(f"Ticket {reference} créé.")
    # The other apps' panels: live GTR clock of the interrupted fibre access, equipment diagnostics.
    expect(page.locator("[data-testid=sla-clock-gtr]")).to_contain_text("En cours")
    expect(page.locator("[data-testid=diagnostics-panel]")).to_be_visible()

    # --- Qualify, take it ------------------------------------------------------------------------------------
    page.select_option("[data-testid=qualify-form] select", "incident_materiel_ont")
    page.click("[data-testid=qualify-form] button")
    expect(page.locator("[data-testid=checklist-n1] > li")).to_have_count(4)
    page.click("[data-testid=action-take]")
    expect(page.locator("[data-testid=ticket-status]")).to_have_text("En cours (N1)")

    # --- ONT LEDs before and after the reboot -------------------------------------------------------------
    before = {"power": "vert_fixe", "pon": "rouge_fixe", "los": "rouge_clignotant", "lan": "eteint"}
    after = {"power": "vert_fixe", "pon": "rouge_fixe", "los": "rouge_clignotant", "lan": "vert_fixe"}
    for phase, states in (("before", before), ("after", after)):
        form = page.locator("[data-testid=led-form-ont]")
        form.locator(f"input[name=ont-phase][value={phase}]").check()
        for led, state in states.items():
            form.locator(f"select[name=ont-led_{led}]").select_option(state)
        form.locator("button[type=submit]").click()
        expect(page.locator("#messages")).to_contain_text("Relevé enregistré : Contrôle ONT : Power vert fixe")
    shot(page, "03-releve-voyants")

    # --- Tick the N1 checklist (HTMX, one request per line) ---------------------------------------------
    items = page.locator("[data-testid=checklist-n1] > li")
    for i in range(items.count()):
        item_id = items.nth(i).get_attribute("id")
        with page.expect_response(re.compile(r"/checklist/\d+/$")):
            page.locator(f"#{item_id} input[type=checkbox]").check()
        expect(page.locator(f"#{item_id}")).to_have_class(re.compile(r"\bdone\b"))
    first_id = items.nth(0).get_attribute("id")
    with page.expect_response(re.compile(r"/checklist/\d+/$")):
        page.locator(f"#{first_id} input[name=note]").fill("Fibre bien clipsée dans le PTO.")
        page.locator(f"#{first_id} input[name=note]").press("Tab")
    expect(page.locator("#timeline")).to_contain_text("Note : Fibre bien clipsée dans le PTO.")
    expect(page.locator("#checklist .card-header")).to_contain_text("complète")
    shot(page, "04-checklist-n1")

    # --- Escalate ------------------------------------------------------------------------------------------------
    open_action_panel(page, "escalate")
    page.fill("#id_escalate-reason", "LOS rouge clignotant après redémarrage : rupture fibre probable.")
    page.click("[data-testid=confirm-escalate]")
    expect(page.locator("[data-testid=ticket-status]")).to_have_text("Escaladé (N2)")
    expect(page.locator("[data-testid=action-resolve]")).to_have_count(0)  # N1 may no longer resolve it
    expect(page.locator("[data-testid=checklist-n2] input[type=checkbox]").first).to_be_disabled()
    shot(page, "05-escalade")
    logout(page, base)

    # --- N2 resolves -----------------------------------------------------------------------------------------------
    login(page, base, "n2")
    page.select_option("#id_niveau", "n2")  # HTMX filter of the grid
    expect(page.locator("[data-testid=ticket-grid] tbody tr")).to_have_count(1)
    shot(page, "06-grille-n2")
    page.click(f"text={reference}")
    page.wait_for_url(f"{base}/tickets/{reference}/")
    n2_item = page.locator("[data-testid=checklist-n2] > li").first
    n2_item_id = n2_item.get_attribute("id")
    with page.expect_response(re.compile(r"/checklist/\d+/$")):
        page.locator(f"#{n2_item_id} input[type=checkbox]").check()  # N2 actions are tickable by N2 only
    expect(page.locator(f"#{n2_item_id}")).to_have_class(re.compile(r"\bdone\b"))
    open_action_panel(page, "resolve")
    page.fill("#id_resolve-resolution", "Fibre rompue au PBO, intervention technicien : signal PON rétabli.")
    page.click("[data-testid=confirm-resolve]")
    expect(page.locator("[data-testid=ticket-status]")).to_have_text("Rétabli")
    expect(page.locator("[data-testid=sla-clock-gtr]")).to_contain_text("Respecté")

    timeline = page.inner_text("[data-testid=timeline]")
    for step in (
        "Ticket créé (Téléphone).",
        "Qualifié : 18. Incident / Matériel – Défaut ONT ou alimentation fibre",
        "Nouveau → En cours (N1) : Prendre en charge",
        "Contrôle ONT : Power vert fixe, PON rouge fixe, LOS rouge clignotant, LAN éteint, avant redémarrage.",
        "Contrôle ONT : Power vert fixe, PON rouge fixe, LOS rouge clignotant, LAN vert fixe, après redémarrage.",
        "☑ N1 : Vérifier fibre correctement insérée.",
        "☑ N2 : Test signal optique côté opérateur.",
        "Note : Fibre bien clipsée dans le PTO.",
        "En cours (N1) → Escaladé (N2) : Escalader en N2",
        "Escaladé (N2) → Rétabli : Déclarer rétabli",
        "Fibre rompue au PBO",
    ):
        assert step in timeline, step
    shot(page, "07-retabli-historique")
    page.click("[data-testid=nav-sla] > a")  # the SLA supervision is one menu away
    page.click("text=Engagements dépassés")
    page.wait_for_url(f"{base}/sla/depasses/")

    ticket = Ticket.objects.get(reference=reference)
    assert (ticket.status, ticket.level) == (TicketStatus.RESOLVED, Level.N2)
    assert ticket.created_by == world.n1
    kinds = list(ticket.timeline.values_list("kind", flat=True))
    assert kinds.count(TimelineKind.LED_READING) == 2
    assert kinds.count(TimelineKind.CHECKLIST) == 6  # four N1 ticks, one note, one N2 tick
    assert ticket.timeline.filter(kind=TimelineKind.STATUS, author=world.n2).exists()
