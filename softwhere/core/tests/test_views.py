"""Who may open which page: one table of every server-rendered page against every role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.tickets import actions
from softwhere.tickets.choices import ServiceState

pytestmark = pytest.mark.django_db

STAFF = ("n1", "n2", "supervisor", "adv", "admin")
PORTAL = ("client_user", "partner_user")


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def pages(world: SimpleNamespace) -> dict[str, tuple[str, int, int]]:
    """name -> (url, status for staff, status for client/partner users)."""
    ticket = actions.create_ticket(actor=world.n1, organisation=world.partner_client, site=world.partner_site,
                                   subject="Coupure", service_state=ServiceState.INTERRUPTED)
    org, site = world.partner_client.pk, world.partner_site.pk  # visible to the partner only among portal users
    return {
        "grid": (reverse("tickets:list"), 200, 403),
        "new ticket": (reverse("tickets:create"), 200, 403),
        "ticket": (reverse("tickets:detail", args=[ticket.reference]), 200, 403),
        "timeline": (reverse("tickets:timeline", args=[ticket.reference]), 200, 403),
        "companies": (reverse("customers:list"), 200, 200),
        "company": (reverse("customers:detail", args=[org]), 200, -1),
        "site": (reverse("customers:site", args=[site]), 200, -1),
        "equipment": (reverse("inventory:equipment_list"), 200, 200),
        "catalogue": (reverse("catalogue:list"), 200, 403),
        "case": (reverse("catalogue:detail", args=["incident_internet_perte_wan"]), 200, 403),
        "leds": (reverse("catalogue:leds"), 200, 403),
        "tokens": (reverse("api_tokens"), 200, 200),
        "portal": (reverse("portal:list"), 302, 200),
        "portal new": (reverse("portal:create"), 302, 200),
        "portal ticket": (reverse("portal:detail", args=[ticket.reference]), 302, -1),
    }


@pytest.mark.parametrize("role", STAFF + PORTAL)
def test_every_page_answers_according_to_role(world: SimpleNamespace, role: str) -> None:
    user = getattr(world, role)
    c = client_for(user)
    for name, (url, staff_status, portal_status) in pages(world).items():
        if role in STAFF:
            expected = staff_status
        elif portal_status == -1:  # the partner's client: in the partner's scope, not in ACME's client's
            expected = 200 if role == "partner_user" else 404
        else:
            expected = portal_status
        assert c.get(url).status_code == expected, (name, role)


def test_anonymous_users_are_sent_to_login(client: Client, world: SimpleNamespace) -> None:
    for name, (url, _, _) in pages(world).items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_healthz(client: Client) -> None:
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_pages_are_french_and_use_local_assets(world: SimpleNamespace) -> None:
    body = client_for(world.n1).get(reverse("tickets:list")).content.decode()
    assert '<html lang="fr">' in body
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "cdn" not in body.lower()
