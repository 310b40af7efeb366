"""Company and site pages: scoped by visible_to, so foreign companies and sites are a 404."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.core import testing as t
from softwhere.inventory.models import NumberRange, VoiceService
from softwhere.tickets import actions
from softwhere.tickets.choices import ServiceState

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def names(response: object) -> set[str]:
    return {o.name for o in response.context["page"]}  # type: ignore[attr-defined]


def test_company_pages_require_login(client: Client, world: SimpleNamespace) -> None:
    for url in (reverse("customers:list"), reverse("customers:detail", args=[world.acme.pk]),
                reverse("customers:site", args=[world.acme_site.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_staff_list_every_company_but_the_operator(world: SimpleNamespace) -> None:
    response = client_for(world.adv).get(reverse("customers:list"))
    assert names(response) == {"ACME Industries", "Intégrateur Sud", "Boulangerie Martin", "Autre Société"}


def test_company_list_counts_sites_and_open_tickets(world: SimpleNamespace) -> None:
    actions.create_ticket(actor=world.n1, organisation=world.acme, subject="x", service_state=ServiceState.DEGRADED)
    t.make_site(world.acme, "Agence")
    page = client_for(world.n1).get(reverse("customers:list"), {"q": "acme"}).context["page"]
    (acme,) = list(page)
    assert (acme.site_count, acme.open_tickets) == (2, 1)


def test_client_lists_only_its_company(world: SimpleNamespace) -> None:
    assert names(client_for(world.client_user).get(reverse("customers:list"))) == {"ACME Industries"}


def test_partner_lists_itself_and_its_clients(world: SimpleNamespace) -> None:
    assert names(client_for(world.partner_user).get(reverse("customers:list"))) == {
        "Intégrateur Sud", "Boulangerie Martin"}


@pytest.mark.parametrize(("role", "visible", "foreign"), [
    ("client_user", "acme", "other"),
    ("partner_user", "partner_client", "acme"),
    ("other_client_user", "other", "acme"),
])
def test_company_detail_is_404_outside_scope(world: SimpleNamespace, role: str, visible: str, foreign: str) -> None:
    c = client_for(getattr(world, role))
    assert c.get(reverse("customers:detail", args=[getattr(world, visible).pk])).status_code == 200
    assert c.get(reverse("customers:detail", args=[getattr(world, foreign).pk])).status_code == 404


@pytest.mark.parametrize(("role", "visible", "foreign"), [
    ("client_user", "acme_site", "other_site"),
    ("partner_user", "partner_site", "acme_site"),
])
def test_site_detail_is_404_outside_scope(world: SimpleNamespace, role: str, visible: str, foreign: str) -> None:
    c = client_for(getattr(world, role))
    assert c.get(reverse("customers:site", args=[getattr(world, visible).pk])).status_code == 200
    assert c.get(reverse("customers:site", args=[getattr(world, foreign).pk])).status_code == 404


def test_company_detail_shows_contacts_sites_and_tickets(world: SimpleNamespace) -> None:
    ticket = actions.create_ticket(actor=world.n1, organisation=world.acme, site=world.acme_site, subject="Coupure",
                                   service_state=ServiceState.INTERRUPTED)
    body = client_for(world.n1).get(reverse("customers:detail", args=[world.acme.pk])).content.decode()
    assert str(world.acme_contact) in body
    assert "01 42 68 53 00" in body  # E.164 shown in the French national form
    assert "Siège ACME" in body
    assert reverse("tickets:detail", args=[ticket.reference]) in body


def test_client_sees_portal_links_for_its_tickets(world: SimpleNamespace) -> None:
    ticket = actions.create_ticket(actor=world.n1, organisation=world.acme, site=world.acme_site, subject="Coupure",
                                   service_state=ServiceState.INTERRUPTED)
    body = client_for(world.client_user).get(reverse("customers:detail", args=[world.acme.pk])).content.decode()
    assert reverse("portal:detail", args=[ticket.reference]) in body
    assert reverse("tickets:detail", args=[ticket.reference]) not in body


def test_site_detail_shows_service_specifics_and_equipment(world: SimpleNamespace,
                                                           django_assert_max_num_queries: object) -> None:
    voice = VoiceService(site=world.acme_site, voice_kind="sip_trunk", simultaneous_calls=10, label="Trunk siège")
    voice.full_clean()
    voice.save()
    for first, last, kind in (("0142685300", "0142685300", "ndi"), ("0142685310", "0142685319", "sda")):
        rng = NumberRange(voice_service=voice, kind=kind, first_number=first, last_number=last)
        rng.full_clean()
        rng.save()
    c = client_for(world.n1)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = c.get(reverse("customers:site", args=[world.acme_site.pk]))
    body = response.content.decode()
    assert "GTR 4 h heures ouvrées" in body  # access specifics
    assert "10 appels simultanés" in body  # voice specifics
    assert "01 42 68 53 10 → 01 42 68 53 19 (10 n°)" in body  # SDA range
    assert world.acme_ont.serial_number in body
