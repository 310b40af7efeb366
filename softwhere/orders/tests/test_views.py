"""Order desk pages: scoping, the blocked then completed file, step forms, calculators, commissions export."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from softwhere.orders import actions
from softwhere.orders.choices import OrderStatus

from .factories import BIC, IBAN, make_order

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_and_detail_are_scoped(world: Any) -> None:
    order = make_order(world)
    adv = login(world.adv)
    assert order.reference in adv.get("/commandes/").content.decode()
    page = adv.get(f"/commandes/{order.pk}/").content.decode()
    assert "Dossier complet" in page and "192.168.254.0/24" in page
    assert login(world.other_client_user).get(f"/commandes/{order.pk}/").status_code == 404
    assert login(world.client_user).get(f"/commandes/{order.pk}/").status_code == 200


def test_missing_rib_blocks_then_file_form_completes(world: Any) -> None:
    order = make_order(world, iban="", bic="")
    client = login(world.adv)
    page = client.post(f"/commandes/{order.pk}/demarrer/", follow=True).content.decode()
    assert "Dossier incomplet, la commande est bloquée : RIB (IBAN et BIC)." in page
    fields = {
        "quote_signed_on": "2025-05-30",
        "contracts_signed_on": "2025-05-30",
        "direct_debit_signed_on": "2025-05-30",
        "client_phone": "04 72 10 20 00",
        "installation_siret": order.installation_siret,
        "numbers_postal_code": order.numbers_postal_code,
    }
    bad = client.post(f"/commandes/{order.pk}/dossier/", {**fields, "iban": "FR76 1234", "bic": BIC})
    assert bad.status_code == 400 and "IBAN invalide" in bad.content.decode()
    order.refresh_from_db()
    assert order.iban == ""
    client.post(f"/commandes/{order.pk}/dossier/", {**fields, "iban": IBAN, "bic": BIC})
    client.post(f"/commandes/{order.pk}/demarrer/")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    response = client.post(
        f"/commandes/{order.pk}/etapes/eligibility/", {"move": "complete", "note": "2 paires OK"}, follow=True
    )
    assert "Étape 1 : fait." in response.content.decode()
    refused = client.post(f"/commandes/{order.pk}/etapes/link_delivery/", {"move": "complete"}, follow=True)
    assert "Terminez d&#x27;abord l&#x27;étape 2" in refused.content.decode()


def test_client_cannot_move_steps(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv)
    page = (
        login(world.client_user)
        .post(f"/commandes/{order.pk}/etapes/eligibility/", {"move": "complete"}, follow=True)
        .content.decode()
    )
    assert "ne permet pas de traiter les commandes" in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"operator": "France Telecom", "numbers": "0176710500-0176710509"}, "50 €"),
        ({"operator": "FT", "numbers": "0176710500-0176710504\n0176710507-0176710509"}, "100 €"),
        ({"operator": "FT", "numbers": "0176710500\n0472102030", "postpone": "on"}, "200 €"),
        (
            {"operator": "FT", "numbers": "0176710500\n0176710520\n0176710540\n0176710560\n0176710580", "cancel": "on"},
            "500 €",
        ),
    ],
)
def test_portability_quote_page(world: Any, data: dict[str, str], expected: str) -> None:
    page = login(world.partner_user).post("/commandes/portabilite/devis/", data).content.decode()
    assert f'data-testid="portability-total">{expected}' in page


def test_portability_quote_page_refusal(world: Any) -> None:
    response = login(world.partner_user).post(
        "/commandes/portabilite/devis/", {"operator": "Bouygues", "numbers": "0472102030"}
    )
    assert response.status_code == 400 and "ARCEP" in response.content.decode()


def test_fee_calculator_page(world: Any) -> None:
    client = login(world.adv)
    page = client.post(
        "/commandes/frais/", {"kind": "cancellation", "technology": "sdsl", "pairs": "2", "desaturation": "bi"}
    ).content.decode()
    assert 'data-testid="fee-total">1\u202f390 €' in page
    refused = client.post(
        "/commandes/frais/",
        {"kind": "cancellation", "technology": "sdsl", "pairs": "2", "desaturation_found_after_orange_check": "on"},
    )
    assert refused.status_code == 400 and "fiabilisation d&#x27;Orange" in refused.content.decode()
    sizing = client.post("/commandes/frais/", {"calculator": "sizing", "stations": "100"}).content.decode()
    assert "30 à 35" in sizing


def test_commissions_csv_export(world: Any) -> None:
    actions.record_commission(actor=world.adv, partner=world.partner, month=timezone.localdate(), amount=120)
    response = login(world.partner_user).get("/commandes/commissions/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Partenaire;Mois;Commissions (€ HT)"
    assert f"Intégrateur Sud;{timezone.localdate():%m/%Y};120,00" in text
    assert "Intégrateur Sud" not in login(world.client_user).get("/commandes/commissions/?format=csv").content.decode(
        "utf-8-sig"
    )


def test_dates_are_relative_to_processing(world: Any) -> None:
    order = actions.start_processing(make_order(world), actor=world.adv)
    assert order.expected_delivery_on and order.expected_delivery_on > date.today()  # noqa: DTZ011


def test_detail_shows_eligibility_warnings(world: Any) -> None:
    items = [
        {
            "kind": "sdsl",
            "parameters": {
                "carrier": "orange",
                "pairs": 1,
                "commitment_months": 12,
                "eligibility_number": "0472102030",
                "distance_m": 3800,
            },
        },
        {"kind": "sip_trunk", "parameters": {"simultaneous_calls": 4}},
    ]
    page = login(world.adv).get(f"/commandes/{make_order(world, items=items).pk}/").content.decode()
    assert "VoIP fortement déconseillée : SDSL à plus de 3700 m" in page
    assert "option 2 ou 4 paires" in page
