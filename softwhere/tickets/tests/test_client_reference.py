"""The customer's own reference (« Votre référence »): given at creation, edited by agents, shown, searched, mailed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from softwhere.comms.actions import message_context
from softwhere.core import testing as t
from softwhere.core.tests.api_client import api_client
from softwhere.tickets import actions, search
from softwhere.tickets.choices import ServiceState
from softwhere.tickets.models import Ticket

from .test_search import client_for

pytestmark = pytest.mark.django_db


def test_client_gives_its_reference_on_the_portal_and_sees_it(world: SimpleNamespace) -> None:
    t.make_contact(world.acme, email=world.client_user.email)
    c = client_for(world.client_user)
    c.post(
        reverse("portal:create"),
        {"site": world.acme_site.pk, "subject": "Plus de tonalité", "description": "Depuis 9h",
         "service_state": ServiceState.INTERRUPTED, "client_reference": "  INC-77812  "},
    )  # fmt: skip
    ticket = Ticket.objects.get(subject="Plus de tonalité")
    assert ticket.client_reference == "INC-77812"
    page = c.get(reverse("portal:detail", args=[ticket.reference])).content.decode()
    assert 'data-testid="client-reference">INC-77812<' in page
    # The mails about the ticket carry it in their header, where seed 004 leaves « Votre référence : » for it.
    header = message_context(ticket)["header"]
    assert f"INFO INCIDENT {ticket.reference} / Votre référence : INC-77812 / Site : Siège ACME" in header


def test_agent_sets_and_corrects_it(world: SimpleNamespace) -> None:
    c = client_for(world.n1)
    response = c.post(
        reverse("tickets:create"),
        {"organisation": world.acme.pk, "site": world.acme_site.pk, "subject": "Lien coupé",
         "service_state": ServiceState.INTERRUPTED, "priority": 2, "channel": "phone",
         "client_reference": "BC-2026-118"},
    )  # fmt: skip
    ticket = Ticket.objects.get(subject="Lien coupé")
    assert response.status_code == 302 and ticket.client_reference == "BC-2026-118"
    page = c.get(reverse("tickets:detail", args=[ticket.reference])).content.decode()
    assert 'data-testid="client-reference">BC-2026-118<' in page
    actions.update_ticket(ticket, actor=world.n1, client_reference="BC-2026-119")
    ticket.refresh_from_db()
    assert ticket.client_reference == "BC-2026-119"
    change = ticket.timeline.filter(kind="field_change").latest("id")
    assert change.data["changes"] == {"client_reference": ["BC-2026-118", "BC-2026-119"]}
    assert change.body == "votre référence : BC-2026-118 → BC-2026-119"


def test_api_create_read_patch_and_search(world: SimpleNamespace) -> None:
    agent = api_client(world.n1)
    created = agent.post(
        "/api/v1/tickets/",
        {"organisation": world.acme.pk, "subject": "Ligne muette", "service_state": "interrompu",
         "client_reference": "SR-00042"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    ref = created.json()["reference"]
    assert created.json()["client_reference"] == "SR-00042"
    listed = {r["reference"]: r["client_reference"] for r in agent.get("/api/v1/tickets/").json()["results"]}
    assert listed[ref] == "SR-00042"
    patched = agent.patch(f"/api/v1/tickets/{ref}/", {"client_reference": "SR-00043"})
    assert patched.status_code == 200 and patched.json()["client_reference"] == "SR-00043"
    too_long = agent.patch(f"/api/v1/tickets/{ref}/", {"client_reference": "X" * 61})
    assert too_long.status_code == 400 and "client_reference" in too_long.json()
    # The customer reads it back and finds the ticket by it, in part and in any case.
    found = api_client(world.client_user).get("/api/v1/tickets/", {"q": "sr-0004"}).json()["results"]
    assert [r["reference"] for r in found] == [ref]


def test_search_finds_it_in_part_and_inside_a_sentence(world: SimpleNamespace) -> None:
    kw = {"actor": world.n1, "organisation": world.acme, "service_state": ServiceState.DEGRADED}
    mine = actions.create_ticket(subject="Débit faible", client_reference="CMD-558231", **kw)
    actions.create_ticket(subject="Autre incident", client_reference="CMD-990000", **kw)

    def subjects(term: str) -> set[str]:
        return set(search.filter_tickets(Ticket.objects.all(), term).values_list("subject", flat=True))

    assert subjects("CMD-558231") == {mine.subject}
    assert subjects("558231") == {mine.subject}
    assert subjects("relance de notre ticket cmd-558231") == {mine.subject}
    assert subjects("CMD-") == {"Débit faible", "Autre incident"}
