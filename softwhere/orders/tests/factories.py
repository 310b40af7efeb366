"""Builders for order tests: a complete Data + Voice file for the ``world`` fixture's ACME."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from softwhere.core import testing as t
from softwhere.orders import actions
from softwhere.orders.models import Order

PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR76 3000 6000 0112 3456 7890 189"
BIC = "BNPAFRPPXXX"
RECEIVED = datetime(2025, 6, 2, 9, 30, tzinfo=PARIS)  # Monday

DATA_VOICE_ITEMS: list[dict[str, Any]] = [
    {
        "kind": "sdsl",
        "parameters": {"carrier": "orange", "pairs": 2, "commitment_months": 36, "eligibility_number": "0472102030"},
    },
    {"kind": "opios", "parameters": {}},
    {"kind": "sip_trunk", "parameters": {"simultaneous_calls": 10}},
    {"kind": "fax_to_mail", "parameters": {"email": "fax@acme.example", "after_portability": True}},
]


def add_role_contacts(organisation: Any) -> None:
    t.make_contact(organisation, roles=["commercial"], email="ventes@acme.example")
    t.make_contact(organisation, roles=["facturation"], email="compta@acme.example")
    t.make_contact(organisation, roles=["technique"], email="it@acme.example")


def file_facts(**overrides: Any) -> dict[str, Any]:
    facts: dict[str, Any] = dict(
        quote_signed_on=date(2025, 5, 30),
        contracts_signed_on=date(2025, 5, 30),
        direct_debit_signed_on=date(2025, 5, 30),
        iban=IBAN,
        bic=BIC,
        client_phone="04 72 10 20 00",
        installation_siret=t.make_siret(4242),
    )
    facts.update(overrides)
    return facts


def make_order(
    world: Any, *, items: list[dict[str, Any]] | None = None, contacts: bool = True, **overrides: Any
) -> Order:
    if contacts:
        add_role_contacts(world.acme)
    return actions.create_order(
        actor=world.adv,
        organisation=world.acme,
        site=world.acme_site,
        received_at=RECEIVED,
        items=DATA_VOICE_ITEMS if items is None else items,
        **file_facts(**overrides),
    )


def add_portability(world: Any, order: Order, **kw: Any) -> Any:
    return actions.create_portability_request(
        order,
        actor=world.adv,
        operator=kw.pop("operator", "France Telecom"),
        numbers=kw.pop("numbers", ["0472102030", "0472102040-0472102049"]),
        mandate_signed_on=kw.pop("mandate_signed_on", date(2025, 5, 30)),
        mandate_stamped=kw.pop("mandate_stamped", True),
        carrier_invoice_date=kw.pop("carrier_invoice_date", date(2025, 5, 5)),
        **kw,
    )
