"""A company set up with the hosted telephony offer: a site, an office calendar, three fixed lines."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from softwhere.telephony import actions

from .builders import OFFICE, A, B, C

PHONE = {"kind": "poste_ip", "model": "Polycom VVX 450", "mac": "64:16:7f:b2:69:d6"}


@pytest.fixture
def tel(world: SimpleNamespace) -> SimpleNamespace:
    """Telephony of ACME (client company, Paris site: numbers in 01), edited by its manager (client_user)."""
    acme, manager = world.acme, world.client_user
    world.acme_site.postal_code = "75015"
    world.acme_site.save()
    actions.set_offer(
        acme,
        actor=manager,
        plans={"fixe": 5, "numero_fixe_mobile": 1, "analogique": 1, "groupement": 2, "avi": 1},
        options={"collaboration": 1},
    )
    site = actions.create_site(acme, actor=manager, name="Siège", customer_site=world.acme_site)
    calendar = actions.create_calendar(acme, actor=manager, **OFFICE)
    lines = [
        actions.create_line(
            acme,
            actor=manager,
            site=site,
            kind="fixe",
            number=n,
            first_name=f,
            last_name=ln,
            email=f"{f.lower()}@acme.fr",
            hardware=PHONE,
        )
        for n, f, ln in ((A, "Julie", "Bertrand"), (B, "Marc", "Durand"), (C, "Lea", "Petit"))
    ]
    return SimpleNamespace(org=acme, manager=manager, site=site, calendar=calendar, lines=lines, world=world)


def make_line(tel: SimpleNamespace, number: str, **fields: Any) -> Any:
    fields.setdefault("hardware", PHONE)
    return actions.create_line(
        tel.org, actor=tel.manager, site=tel.site, kind=fields.pop("kind", "fixe"), number=number, **fields
    )
