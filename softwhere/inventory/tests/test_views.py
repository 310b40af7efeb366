"""Equipment list: scoped, searchable by serial number, MAC address and management IP."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.core import testing as t

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def serials(response: object) -> set[str]:
    return {e.serial_number for e in response.context["page"]}  # type: ignore[attr-defined]


def test_equipment_list_requires_login(client: Client) -> None:
    assert client.get(reverse("inventory:equipment_list"))["Location"].startswith(reverse("login"))


def test_staff_see_all_equipment_and_clients_only_theirs(world: SimpleNamespace) -> None:
    foreign = t.make_equipment(world.other_site, kind="router", serial_number="FOREIGN1")
    assert serials(client_for(world.n1).get(reverse("inventory:equipment_list"))) == {
        world.acme_ont.serial_number, "FOREIGN1"}
    body = client_for(world.client_user).get(reverse("inventory:equipment_list"))
    assert serials(body) == {world.acme_ont.serial_number}
    assert foreign.serial_number not in body.content.decode()


def test_search_by_serial_mac_and_ip(world: SimpleNamespace) -> None:
    t.make_equipment(world.acme_site, kind="router", serial_number="FGL2231A0QK", mac_address="00-1E-BD-0A-12-01",
                     management_ip="10.64.12.1")
    c = client_for(world.n1)
    url = reverse("inventory:equipment_list")
    assert serials(c.get(url, {"q": "fgl2231"})) == {"FGL2231A0QK"}
    assert serials(c.get(url, {"q": "001e.bd0a.1201"})) == {"FGL2231A0QK"}  # Cisco-style MAC
    assert serials(c.get(url, {"q": "10.64.12.1"})) == {"FGL2231A0QK"}
    assert serials(c.get(url, {"type": "ont"})) == {world.acme_ont.serial_number}


def test_inventory_root_is_the_equipment_list(world: SimpleNamespace) -> None:
    assert client_for(world.n1).get(reverse("inventory:index")).status_code == 200
