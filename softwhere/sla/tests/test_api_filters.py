"""Clock list API: the same at-risk / breached / client / carrier filters as the SLA pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.tickets.models import Ticket

from .conftest import paris
from .test_pages import Committed, cut

URL = "/api/v1/sla/clocks/"


@pytest.fixture
def outages(world: Any, committed: Committed) -> dict[str, Ticket]:
    """Monday 30 Nov 2026 09:00: ACME's Orange fibre and the partner's client's SFR SDSL are cut (GTR due 13:00)."""
    sfr = t.make_access(world.partner_site, "sdsl", carrier="SFR", monthly_fee=Decimal("120.00"))
    return {
        "acme": cut(world, committed, world.acme, world.acme_access, "2026-11-30 09:00", "Fibre coupée siège"),
        "partner": cut(world, committed, world.partner_client, sfr, "2026-11-30 09:00", "SDSL coupée boutique"),
    }


def tickets(client: APIClient, at: str, **params: Any) -> set[str]:
    with time_machine.travel(paris(at), tick=False):
        response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return {row["ticket"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("minutes", "listed_at_1230"),
    [("20", False), ("30", True), ("45", True), ("abc", True), ("0", False), ("999999", True)],
)
def test_at_risk_window_like_the_page(
    world: Any, outages: dict[str, Ticket], minutes: str, listed_at_1230: bool
) -> None:
    """GTR due at 13:00; the window is clamped to [1 min, one week] and a non-number means 60 minutes."""
    listed = tickets(api_client(world.supervisor), "2026-11-30 12:30", at_risk_minutes=minutes, kind="gtr")
    assert (outages["acme"].reference in listed) is listed_at_1230
    assert (outages["partner"].reference in listed) is listed_at_1230


def test_breached_lists_clocks_past_due_not_yet_marked(world: Any, outages: dict[str, Ticket]) -> None:
    client = api_client(world.supervisor)
    assert tickets(client, "2026-11-30 12:30", breached="true") == set()
    # Not recomputed by the worker since 09:00, the GTR clock is still stored as running: it counts anyway.
    assert tickets(client, "2026-11-30 14:00", breached="true", kind="gtr") == {
        outages["acme"].reference,
        outages["partner"].reference,
    }
    assert tickets(client, "2026-11-30 14:00", breached="false", kind="gtr", state="met") == set()


@pytest.mark.parametrize(
    ("carrier", "acme", "partner"),
    [
        ("Orange", True, False),
        ("France Télécom", True, False),  # an alias of the configured carrier
        ("SFR", False, True),
        ("Bouygues", False, False),  # not configured: plain text search
    ],
)
def test_breached_per_carrier_with_aliases(
    world: Any, outages: dict[str, Ticket], carrier: str, acme: bool, partner: bool
) -> None:
    listed = tickets(api_client(world.n1), "2026-11-30 14:00", breached="1", carrier=carrier)
    assert (outages["acme"].reference in listed, outages["partner"].reference in listed) == (acme, partner)


def test_per_client_and_unknown_client(world: Any, outages: dict[str, Ticket]) -> None:
    client = api_client(world.supervisor)
    assert tickets(client, "2026-11-30 14:00", breached="true", organisation=world.acme.pk) == {
        outages["acme"].reference
    }
    assert tickets(client, "2026-11-30 14:00", organisation=world.other.pk) == set()
    # Unknown (or, for partner/client scopes, out-of-scope) client: 404, as on the pages.
    assert client.get(URL, {"organisation": 999999}).status_code == 404
    assert client.get(URL, {"organisation": "acme"}).status_code == 404


def test_clock_list_is_scoped_like_the_pages(world: Any, outages: dict[str, Ticket]) -> None:
    """A partner sees its clients' clocks, a client its own; another company's id is a 404, as on the pages."""
    partner, client = api_client(world.partner_user), api_client(world.client_user)
    assert tickets(partner, "2026-11-30 12:30", at_risk_minutes="45") == {outages["partner"].reference}
    assert tickets(client, "2026-11-30 12:30", at_risk_minutes="45") == {outages["acme"].reference}
    assert tickets(client, "2026-11-30 14:00", breached="true", organisation=world.acme.pk) == {
        outages["acme"].reference
    }
    assert partner.get(URL, {"organisation": world.acme.pk}).status_code == 404
    assert client.get(URL, {"organisation": world.partner_client.pk}).status_code == 404
