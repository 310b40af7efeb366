"""Orders API: scoping, bad input (400 with French field messages, nothing saved), flow refusals (409),
calculators; every response is validated against the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from softwhere.core.tests.api_client import api_client
from softwhere.orders.models import Order, PortabilityRequest

from .factories import BIC, DATA_VOICE_ITEMS, IBAN, add_role_contacts, make_order

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"


def create_body(world: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organisation": world.acme.pk,
        "site": world.acme_site.pk,
        "items": DATA_VOICE_ITEMS,
        "quote_signed_on": "2025-05-30",
        "contracts_signed_on": "2025-05-30",
        "direct_debit_signed_on": "2025-05-30",
        "iban": IBAN,
        "bic": BIC,
        "client_phone": "04 72 10 20 00",
        "installation_siret": "732 829 320 00074",
    }
    body.update(overrides)
    return body


def test_create_and_read_order(world: Any) -> None:
    client = api_client(world.adv)
    response = client.post(URL, create_body(world), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"].startswith("CMD")
    assert data["iban"] == "FR7630006000011234567890189"
    assert data["installation_siret"] == "73282932000074"
    opios = next(i for i in data["items"] if i["kind"] == "opios")
    assert opios["parameters"]["lan_voice"]["network"] == "192.168.254.0/24"
    assert {m["code"] for m in data["missing"]} == {"contacts"}
    assert data["milestones"][0]["code"] == "link_sdsl"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban", "IBAN invalide"),
        ({"bic": "XX"}, "bic", "BIC invalide"),
        ({"installation_siret": "12345678901234"}, "installation_siret", "SIRET invalide"),
        ({"client_phone": "04 72"}, "client_phone", "invalide"),
        (
            {"items": [{"kind": "sdsl", "parameters": {"carrier": "orange", "pairs": 3, "commitment_months": 12}}]},
            "items",
            "1, 2 ou 4 paires",
        ),
        ({"items": [{"kind": "teleport"}]}, "items", ""),
    ],
)
def test_bad_input_is_400_in_french_and_saves_nothing(
    world: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = api_client(world.adv).post(URL, create_body(world, **overrides), format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Order.objects.exists()


def test_foreign_organisation_is_refused_and_foreign_order_is_404(world: Any) -> None:
    order = make_order(world)
    assert api_client(world.other_client_user).get(f"{URL}{order.pk}/").status_code == 404
    assert api_client(world.client_user).get(f"{URL}{order.pk}/").status_code == 200
    listing = api_client(world.partner_user).get(URL).json()
    assert listing["count"] == 0
    response = api_client(world.client_user).post(URL, create_body(world), format="json")
    assert response.status_code == 403  # clients read their orders; the ADV records them


def test_start_blocked_by_missing_rib_then_completed(world: Any) -> None:
    add_role_contacts(world.acme)
    client = api_client(world.adv)
    order_id = client.post(URL, create_body(world, iban="", bic=""), format="json").json()["id"]
    response = client.post(f"{URL}{order_id}/start/")
    assert response.status_code == 409
    assert response.json()["code"] == "file_incomplete"
    assert response.json()["missing"] == ["RIB (IBAN et BIC)"]
    bad = client.patch(f"{URL}{order_id}/", {"iban": "FR00 1234"}, format="json")
    assert bad.status_code == 400 and "IBAN invalide" in bad.json()["iban"][0]
    assert client.patch(f"{URL}{order_id}/", {"iban": IBAN, "bic": BIC}, format="json").status_code == 200
    started = client.post(f"{URL}{order_id}/start/")
    assert started.status_code == 200
    assert started.json()["status"] == "in_progress" and len(started.json()["steps"]) == 11
    refused = client.post(f"{URL}{order_id}/steps/account/", {"move": "complete"}, format="json")
    assert refused.status_code == 409 and "étape 1" in refused.json()["detail"]
    done = client.post(
        f"{URL}{order_id}/steps/eligibility/", {"move": "complete", "note": "OK 2 paires"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["steps"][0]["state"] == "done" and done.json()["steps"][0]["owner"] == str(world.adv)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"operator": "Bouygues", "numbers": ["0472102030"]}, "operator", "ARCEP"),
        ({"operator": "SFR", "numbers": ["0472"]}, "numbers", "invalide"),
        (
            {"operator": "SFR", "numbers": ["0472102030"], "invoice_numbers": ["0472102030", "0472102031"]},
            "numbers",
            "Portabilité partielle refusée",
        ),
    ],
)
def test_bad_portability_mandate_is_400(world: Any, body: dict[str, Any], field: str, message: str) -> None:
    order = make_order(world)
    response = api_client(world.adv).post(f"{URL}{order.pk}/portability/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not PortabilityRequest.objects.exists()


def test_portability_mandate_and_postpone(world: Any) -> None:
    order = make_order(world)
    client = api_client(world.adv)
    created = client.post(
        f"{URL}{order.pk}/portability/",
        {
            "operator": "France TELECOM (FT)",
            "numbers": ["0176710500-0176710504", "0176710507-0176710509"],
            "mandate_signed_on": "2025-05-30",
            "mandate_stamped": True,
            "carrier_invoice_date": "2025-05-05",
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["quote"]["total_eur"] == 100
    refused = client.post(
        f"/api/v1/portability-requests/{created.json()['id']}/postpone/", {"new_date": "2025-07-01"}, format="json"
    )
    assert refused.status_code == 409  # not launched yet: nothing to postpone
    assert (
        api_client(world.other_client_user).get(f"/api/v1/portability-requests/{created.json()['id']}/").status_code
        == 404
    )


# --- Calculators ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "total"),
    [
        ({"operator": "FT", "numbers": ["0176710500-0176710509"]}, 50),
        ({"operator": "FT", "numbers": ["0176710500-0176710504", "0176710507-0176710509"]}, 100),
        ({"operator": "FT", "numbers": ["0176710500", "0472102030"], "postpone": True}, 200),
        (
            {
                "operator": "FT",
                "numbers": ["0176710500", "0176710520", "0176710540", "0176710560", "0176710580"],
                "cancel": True,
            },
            500,
        ),
    ],
)
def test_portability_quote_endpoint(world: Any, body: dict[str, Any], total: int) -> None:
    response = api_client(world.partner_user).post("/api/v1/portability/quote/", body, format="json")
    assert response.status_code == 200
    assert response.json()["total_eur"] == total


def test_portability_quote_refusal_is_400(world: Any) -> None:
    response = api_client(world.partner_user).post(
        "/api/v1/portability/quote/", {"operator": "Orange", "numbers": ["0472102030"]}, format="json"
    )
    assert response.status_code == 400 and "ambigu" in response.json()["operator"][0]


def test_operator_table_endpoint(world: Any) -> None:
    rows = api_client(world.n1).get("/api/v1/portability/operators/").json()
    assert len(rows) == 38 and rows[0]["name"] == "AB PLUS (Completel)"


@pytest.mark.parametrize(
    ("body", "total"),
    [
        ({"kind": "termination", "technology": "adsl"}, 60),
        (
            {
                "kind": "termination",
                "technology": "sdsl",
                "commitment_months": 36,
                "months_elapsed": 20,
                "carrier": "sfr",
            },
            890,
        ),
        ({"kind": "cancellation", "technology": "sdsl", "pairs": 4, "desaturation": "quadri"}, 1690),
        ({"kind": "address_error", "technology": "adsl_nue"}, 90),
        ({"kind": "works", "desaturation": "bi", "internal_wiring": True}, 1440),
        ({"kind": "link_change", "technology": "adsl", "direction": "upgrade"}, 100),
        ({"kind": "move", "technology": "sdsl", "months_active": 6, "monthly_fee": "100", "recommit_months": 36}, 900),
        ({"kind": "expertise"}, 172),
        ({"kind": "amo", "hours": "2.5"}, 250),
        ({"kind": "extended_gtr", "technology": "sdsl"}, 60),
    ],
)
def test_fee_quote_endpoint(world: Any, body: dict[str, Any], total: int) -> None:
    response = api_client(world.adv).post("/api/v1/fees/quote/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["total_eur"] == total


def test_fee_refusal_is_400(world: Any) -> None:
    response = api_client(world.adv).post(
        "/api/v1/fees/quote/",
        {
            "kind": "cancellation",
            "technology": "sdsl",
            "pairs": 2,
            "desaturation_found_after_orange_check": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "fiabilisation d'Orange" in response.json()["desaturation_found_after_orange_check"][0]


def test_sizing_and_eligibility_endpoints(world: Any) -> None:
    client = api_client(world.partner_user)
    assert client.post("/api/v1/sizing/", {"stations": 100}, format="json").json() == {"low": 30, "high": 35}
    erlang = client.post(
        "/api/v1/sizing/", {"traffic_erlangs": 10.43, "blocking": 0.01, "lines": 18}, format="json"
    ).json()
    assert erlang["lines_needed"] == 18 and erlang["blocking_with_lines"] <= 0.01
    assert client.post("/api/v1/sizing/", {}, format="json").status_code == 400
    hints = client.post("/api/v1/eligibility/hints/", {"technology": "sdsl", "distance_m": 3800}, format="json").json()
    assert {"voip_weak_sdsl", "sdsl_pairs"} <= {h["code"] for h in hints}


def test_commissions_scoped_and_exported(world: Any) -> None:
    from softwhere.orders import actions

    today = timezone.localdate().replace(day=1)
    actions.record_commission(actor=world.adv, partner=world.partner, month=today, amount=120)
    client = api_client(world.partner_user)
    listing = client.get("/api/v1/commissions/").json()
    assert listing["count"] == 1
    assert api_client(world.client_user).get("/api/v1/commissions/").json()["count"] == 0
    invoice = client.post(
        "/api/v1/commission-invoices/",
        {
            "partner": world.partner.pk,
            "year": 2025,
            "quarter": 1,
            "invoice_number": "F-1",
            "invoice_date": "2025-05-15",
            "lines": [{"month": "2025-01-01", "amount": "0"}],
        },
        format="json",
    )
    assert invoice.status_code == 201
    assert invoice.json()["status"] == "refused" and len(invoice.json()["problems"]) == 2
