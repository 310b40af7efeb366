"""The navigation bar is role-aware, and every link it offers a role opens for that role."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="navbar.*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#]*)"')


def nav_links(user: object) -> tuple[Client, list[str]]:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    response = c.get(reverse("home"), follow=True)
    assert response.status_code == 200
    match = NAV.search(response.content.decode())
    assert match is not None
    return c, [h.replace("&amp;", "&") for h in HREF.findall(match.group(0))]


STAFF_PAGES = [
    "sla:at-risk",
    "sla:breached",
    "sla:carriers",
    "sla:clients",
    "orders:list",
    "telephony:home",
    "interop:signalisations",
]


@pytest.mark.parametrize("role", ["n1", "n2", "supervisor", "adv", "admin"])
def test_staff_navigation_reaches_every_desk_area(world: SimpleNamespace, role: str) -> None:
    c, links = nav_links(getattr(world, role))
    for name in STAFF_PAGES:
        assert reverse(name) in links, name
    assert reverse("portal:list") not in links
    for href in links:
        if href == reverse("logout"):
            continue
        assert c.get(href, follow=True).status_code == 200, href


def test_order_intake_and_device_access_links_follow_the_role(world: SimpleNamespace) -> None:
    _, n1_links = nav_links(world.n1)
    _, adv_links = nav_links(world.adv)
    _, admin_links = nav_links(world.admin)
    assert reverse("orders:create") in adv_links and reverse("orders:create") not in n1_links
    assert reverse("diagnostics:access") in admin_links
    assert reverse("diagnostics:access") not in n1_links and reverse("diagnostics:access") not in adv_links


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_portal_navigation_hides_desk_supervision(world: SimpleNamespace, role: str) -> None:
    c, links = nav_links(getattr(world, role))
    assert reverse("portal:list") in links
    assert reverse("orders:list") in links and reverse("telephony:home") in links
    for name in ("tickets:list", "sla:at-risk", "sla:breached", "interop:signalisations", "diagnostics:access"):
        assert reverse(name) not in links, name
    for href in links:
        if href == reverse("logout"):
            continue
        assert c.get(href, follow=True).status_code == 200, href
