"""« Nouvelle commande » : the desk records a received file with its items, parameters and mandate."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from softwhere.orders.models import Order, PortabilityRequest

from .factories import BIC, IBAN, add_role_contacts

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(world: Any, **overrides: str) -> dict[str, str]:
    data = {
        "organisation": str(world.acme.pk),
        "site": str(world.acme_site.pk),
        "quote_signed_on": "2025-05-30",
        "contracts_signed_on": "2025-05-30",
        "direct_debit_signed_on": "2025-05-30",
        "client_phone": "04 72 10 20 00",
        "installation_siret": "73282932000074",
        "numbers_postal_code": "69003",
        "item_0_kind": "sdsl",
        "item_0_quantity": "1",
        "item_0_parameters": "carrier=orange\npairs=2\ncommitment_months=36\neligibility_number=0472102030",
        "item_1_kind": "opios",
        "item_1_parameters": "",
        "item_2_kind": "sip_trunk",
        "item_2_parameters": "simultaneous_calls=10",
    }
    data.update(overrides)
    return data


def test_intake_without_rib_is_recorded_and_lists_what_is_missing(world: Any) -> None:
    add_role_contacts(world.acme)
    client = login(world.adv)
    assert "Nouvelle commande" in client.get("/commandes/").content.decode()
    response = client.post("/commandes/nouvelle/", _post(world), follow=True)
    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == f"/commandes/{order.pk}/"
    page = response.content.decode()
    assert f"Commande {order.reference} enregistrée ; dossier incomplet : RIB (IBAN et BIC)." in page
    assert sorted(i.kind for i in order.items.all()) == ["opios", "sdsl", "sip_trunk"]
    opios = order.items.get(kind="opios")
    assert opios.parameters["lan_voice"]["network"] == "192.168.254.0/24"  # the seed's default plan
    assert order.items.get(kind="sdsl").parameters["pairs"] == 2
    assert order.expected_delivery_on is not None


def test_complete_file_with_portability_mandate(world: Any) -> None:
    add_role_contacts(world.acme)
    data = _post(
        world,
        iban=IBAN,
        bic=BIC,
        port_operator="france telecom",
        port_numbers="04 72 10 20 30\n0472102040-0472102049",
        port_mandate_signed_on="2025-05-30",
        port_mandate_stamped="on",
        port_carrier_invoice_date="2025-05-05",
    )
    response = login(world.adv).post("/commandes/nouvelle/", data, follow=True)
    order = Order.objects.get()
    request = PortabilityRequest.objects.get(order=order)
    assert request.operator == "France TELECOM (FT)" and len(request.numbers) == 11
    assert "enregistrée" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"iban": "FR76 1234", "bic": BIC}, "IBAN invalide"),
        ({"installation_siret": "12345678901234"}, "SIRET"),
        ({"item_0_parameters": "carrier=orange\npairs=3\ncommitment_months=36"}, "Un lien SDSL a 1, 2 ou 4 paires."),
        ({"item_0_parameters": "carrier orange"}, "« clé=valeur » attendu"),
        ({"port_operator": "Opérateur Inconnu", "port_numbers": "0472102030"}, "ARCEP"),
        (
            {"port_operator": "SFR", "port_numbers": "0472102030", "port_invoice_numbers": "0472102030\n0472102031"},
            "Portabilité partielle refusée",
        ),
    ],
)
def test_bad_input_gives_a_french_error_and_saves_nothing(world: Any, overrides: dict[str, str], message: str) -> None:
    response = login(world.adv).post("/commandes/nouvelle/", _post(world, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists() and not PortabilityRequest.objects.exists()


def test_only_the_order_desk_records_orders(world: Any) -> None:
    for user in (world.n1, world.client_user, world.partner_user):
        assert login(user).get("/commandes/nouvelle/").status_code == 403
        assert login(user).post("/commandes/nouvelle/", _post(world)).status_code == 403
    assert not Order.objects.exists()


def test_site_list_follows_the_chosen_client_and_refuses_another_company_site(world: Any) -> None:
    client = login(world.adv)
    blank = client.get("/commandes/nouvelle/").content.decode()
    assert "Siège ACME" not in blank and "Entrepôt" not in blank  # no client chosen: no site offered
    chosen = client.get("/commandes/nouvelle/", {"organisation": world.acme.pk}).content.decode()
    site_block = chosen.split('id="order-site"', 1)[1].split("</select>", 1)[0]
    assert f'value="{world.acme_site.pk}"' in site_block and "Entrepôt" not in site_block
    response = client.post("/commandes/nouvelle/", _post(world, site=str(world.other_site.pk)))
    assert response.status_code == 400 and not Order.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()
