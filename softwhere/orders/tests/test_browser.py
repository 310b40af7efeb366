"""In Chromium: an ADV agent finds an order blocked by a missing RIB, completes the file, then walks
the 11 steps of seed II.E c to delivery, with the expected dates on the page.

Run with ``pytest -m browser``; screenshots land in ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

playwright_api = pytest.importorskip("playwright.sync_api")

from softwhere.core.tests.browser import BROWSER_MARKS, chromium_page, login, shot  # noqa: E402
from softwhere.orders import actions  # noqa: E402
from softwhere.orders.choices import OrderStatus, PortabilityStatus  # noqa: E402
from softwhere.orders.models import Order  # noqa: E402
from softwhere.orders.services import calendar  # noqa: E402

from .factories import BIC, DATA_VOICE_ITEMS, IBAN, add_role_contacts, file_facts  # noqa: E402

pytestmark = BROWSER_MARKS


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(height=1000) as page:
        yield page


def fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def test_order_blocked_by_missing_rib_then_through_the_11_steps(
    live_server: Any, transactional_db: None, world: SimpleNamespace, page: Any
) -> None:
    expect = playwright_api.expect
    base = live_server.url
    today = timezone.localdate()
    add_role_contacts(world.acme)
    order = actions.create_order(
        actor=world.adv,
        organisation=world.acme,
        site=world.acme_site,
        items=DATA_VOICE_ITEMS,
        **file_facts(iban="", bic=""),
    )
    actions.create_portability_request(
        order,
        actor=world.adv,
        operator="France Telecom",
        numbers=["0472102030", "0472102040-0472102049"],
        mandate_signed_on=today,
        mandate_stamped=True,
        carrier_invoice_date=today - timedelta(days=10),
    )

    login(page, base, "adv")
    page.wait_for_url(re.compile(r"/tickets/$"))
    page.goto(f"{base}/commandes/")
    page.click(f"text={order.reference}")
    expect(page.locator("[data-testid=missing-items]")).to_have_text("RIB (IBAN et BIC)")

    # --- Blocked: the file lacks the RIB --------------------------------------------------------------------
    page.click("[data-testid=start-processing]")
    expect(page.locator("#messages")).to_contain_text("Dossier incomplet, la commande est bloquée : RIB (IBAN et BIC).")
    expect(page.locator("[data-testid=order-status]")).to_have_text("Reçue")
    shot(page, "orders-01-bloquee-rib")
    page.fill("#id_iban", "FR76 3000 6000 0112 3456 7890 188")  # wrong check digits
    page.fill("#id_bic", BIC)
    page.click("[data-testid=save-file]")
    expect(page.locator("[data-testid=file-form]")).to_contain_text("IBAN invalide")
    page.fill("#id_iban", IBAN)
    page.click("[data-testid=save-file]")
    expect(page.locator("[data-testid=file-complete]")).to_be_visible()

    # --- Complete: processing starts with the expected dates -------------------------------------------------
    page.click("[data-testid=start-processing]")
    expect(page.locator("[data-testid=order-status]")).to_have_text("En cours")
    order.refresh_from_db()
    assert order.expected_delivery_on is not None and order.delivery_deadline_on is not None
    expect(page.locator("[data-testid=expected-delivery]")).to_have_text(fr(order.expected_delivery_on))
    expect(page.locator("[data-testid=delivery-deadline]")).to_have_text(fr(order.delivery_deadline_on))
    expect(page.locator("[data-testid=milestones]")).to_contain_text("SDSL Orange")
    expect(page.locator("[data-testid=steps] tbody tr")).to_have_count(11)
    shot(page, "orders-02-demarree")

    def complete(number: int, code: str, *, button: str = "step-complete", **fields: str) -> None:
        expect(page.locator("[data-testid=step-form]")).to_contain_text(f"Étape {number} :")
        for selector, value in fields.items():
            page.fill(f"#{selector}", value)
        page.click(f"[data-testid={button}]")
        expect(page.locator("#messages")).to_contain_text(f"Étape {number} :")
        expect(page.locator(f"[data-testid=step-{code}] .badge")).not_to_have_text("À faire")

    complete(1, "eligibility", **{"f-note": "Éligible SDSL 2 paires"})
    complete(2, "carrier_order")
    complete(3, "account")
    complete(4, "study_findings", button="step-skip")
    complete(5, "appointment", **{"f-orange": f"{calendar.add_business_days(today, 2):%Y-%m-%d}T09:00"})
    # Portability cannot start before the link is delivered: step 6 is the current one.
    expect(page.locator("[data-testid=step-form]")).to_contain_text("Livraison du lien")
    complete(6, "link_delivery")
    expect(page.locator("[data-testid=billing-start]")).to_contain_text(fr(calendar.add_business_days(today, 3)))
    complete(7, "voice_go_ahead")
    complete(8, "voice_delivery")
    # The donor validated the request a while ago; the porting day (6 business days later) is past.
    validated = today - timedelta(days=30)
    complete(9, "portability_order", **{"f-validated": f"{validated:%Y-%m-%d}"})
    planned = calendar.add_business_days(validated, 6)
    complete(10, "portability_done", button="step-start", **{"f-planned": f"{planned:%Y-%m-%d}"})
    expect(page.locator("[data-testid=portability]")).to_contain_text(f"prévue le {fr(planned)}")
    complete(10, "portability_done", **{"f-ported": f"{planned:%Y-%m-%d}T11:00"})
    shot(page, "orders-03-portabilite")
    complete(11, "fax_to_mail")

    expect(page.locator("[data-testid=order-status]")).to_have_text("Livrée")
    expect(page.locator("[data-testid=delivered-on]")).to_have_text(fr(today))
    expect(page.locator("[data-testid=step-form]")).to_have_count(0)
    shot(page, "orders-04-livree")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert [s.state for s in order.steps.order_by("number")] == ["done"] * 3 + ["skipped"] + ["done"] * 7
    assert order.active_portability is not None and order.active_portability.status == PortabilityStatus.DONE
    assert Order.objects.get(pk=order.pk).link_delivered_on == today


def test_choosing_the_client_offers_its_sites(
    live_server: Any, transactional_db: None, world: SimpleNamespace, page: Any
) -> None:
    base = live_server.url
    login(page, base, "adv")
    page.goto(f"{base}/commandes/nouvelle/")
    site = page.locator("#id_site")
    assert site.locator("option").count() == 1  # « --------- » until a client is chosen
    page.select_option("#id_organisation", label="ACME Industries")  # HTMX redraws the site list
    page.wait_for_selector("#id_site option:has-text('Siège ACME')", state="attached")
    labels = page.locator("#id_site option").all_inner_texts()
    assert any(label.startswith("Siège ACME") for label in labels)
    assert not any("Entrepôt" in label for label in labels)  # another company's site is never offered
