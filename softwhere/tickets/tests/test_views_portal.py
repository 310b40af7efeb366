"""Client portal: own tickets only, public timeline only, opening, commenting, confirming closure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.tickets import actions
from softwhere.tickets.choices import Channel, ServiceState, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def ticket_for(world: SimpleNamespace, organisation: object = None, site: object = None, **kw: object) -> Ticket:
    return actions.create_ticket(
        actor=world.n1,
        organisation=organisation or world.acme,  # type: ignore[arg-type]
        site=site or world.acme_site,  # type: ignore[arg-type]
        subject=kw.pop("subject", "Standard injoignable"),  # type: ignore[arg-type]
        service_state=ServiceState.DEGRADED,
        **kw,  # type: ignore[arg-type]
    )


def resolved(world: SimpleNamespace) -> Ticket:
    ticket = ticket_for(world, case=ResolutionCase.objects.get(pk="incident_fixe_trunk_non_enregistre"))
    actions.transition_ticket(ticket, "take", actor=world.n1)
    return actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="Trunk réenregistré.")


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_portal_requires_login(client: Client) -> None:
    assert client.get(reverse("portal:list"))["Location"].startswith(reverse("login"))


def test_agents_are_sent_to_the_desk(world: SimpleNamespace) -> None:
    ticket = ticket_for(world)
    c = client_for(world.n1)
    assert c.get(reverse("portal:list"))["Location"] == reverse("tickets:list")
    assert c.get(reverse("portal:detail", args=[ticket.reference]))["Location"] == reverse(
        "tickets:detail", args=[ticket.reference]
    )


def test_home_sends_each_role_to_its_landing_page(world: SimpleNamespace) -> None:
    assert client_for(world.client_user).get(reverse("home"))["Location"] == reverse("portal:list")
    assert client_for(world.partner_user).get(reverse("home"))["Location"] == reverse("portal:list")
    assert client_for(world.n2).get(reverse("home"))["Location"] == reverse("tickets:list")


def test_client_lists_only_its_company_tickets(world: SimpleNamespace) -> None:
    own = ticket_for(world, subject="chez nous")
    foreign = ticket_for(world, organisation=world.other, site=world.other_site, subject="ailleurs")
    response = client_for(world.client_user).get(reverse("portal:list"))
    refs = {x.reference for x in response.context["page"]}
    assert refs == {own.reference}
    assert foreign.reference not in response.content.decode()


def test_partner_lists_own_and_its_clients_tickets(world: SimpleNamespace) -> None:
    client_ticket = ticket_for(world, organisation=world.partner_client, site=world.partner_site)
    acme_ticket = ticket_for(world)
    response = client_for(world.partner_user).get(reverse("portal:list"))
    refs = {x.reference for x in response.context["page"]}
    assert refs == {client_ticket.reference}
    assert acme_ticket.reference not in refs
    assert "Boulangerie Martin" in response.content.decode()  # partner view shows the company column


@pytest.mark.parametrize("role", ["other_client_user", "partner_user"])
def test_foreign_ticket_is_404(world: SimpleNamespace, role: str) -> None:
    ticket = ticket_for(world)
    c = client_for(getattr(world, role))
    assert c.get(reverse("portal:detail", args=[ticket.reference])).status_code == 404
    assert c.post(reverse("portal:comment", args=[ticket.reference]), {"body": "coucou"}).status_code == 404
    assert c.post(reverse("portal:transition", args=[ticket.reference, "close"])).status_code == 404
    assert ticket.timeline.filter(kind=TimelineKind.COMMENT).count() == 0


def test_detail_shows_only_public_timeline_entries(world: SimpleNamespace) -> None:
    ticket = ticket_for(world)
    actions.add_comment(ticket, actor=world.n1, body="Client pénible, à rappeler", visibility=Visibility.INTERNAL)
    actions.add_comment(ticket, actor=world.n1, body="Nous analysons votre ligne.", visibility=Visibility.PUBLIC)
    response = client_for(world.client_user).get(reverse("portal:detail", args=[ticket.reference]))
    body = response.content.decode()
    assert "Nous analysons votre ligne." in body
    assert "Client pénible" not in body
    assert all(e.visibility == Visibility.PUBLIC for e in response.context["timeline"])
    assert "Support SoftWhere" in body  # staff authors are shown as the support team


def test_client_opens_a_ticket_on_its_own_site(world: SimpleNamespace) -> None:
    contact = t.make_contact(world.acme, email=world.client_user.email)
    c = client_for(world.client_user)
    page = c.get(reverse("portal:create")).content.decode()
    assert "Siège ACME" in page and "Entrepôt" not in page
    response = c.post(
        reverse("portal:create"),
        {"site": world.acme_site.pk, "subject": "Plus de tonalité", "description": "Depuis 9h",
         "service_state": ServiceState.INTERRUPTED},
    )
    ticket = Ticket.objects.get(subject="Plus de tonalité")
    assert response["Location"] == reverse("portal:detail", args=[ticket.reference])
    assert (ticket.organisation, ticket.site, ticket.channel) == (world.acme, world.acme_site, Channel.WEB)
    assert ticket.created_by == world.client_user
    assert ticket.reporter == contact
    assert ticket.status == TicketStatus.NEW


def test_client_cannot_open_a_ticket_on_a_foreign_site(world: SimpleNamespace) -> None:
    response = client_for(world.client_user).post(
        reverse("portal:create"),
        {"site": world.other_site.pk, "subject": "x", "description": "y", "service_state": ServiceState.DEGRADED},
    )
    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_client_comment_is_public(world: SimpleNamespace) -> None:
    ticket = ticket_for(world)
    client_for(world.client_user).post(reverse("portal:comment", args=[ticket.reference]), {"body": "Toujours KO"})
    entry = ticket.timeline.get(kind=TimelineKind.COMMENT)
    assert (entry.body, entry.visibility, entry.author) == ("Toujours KO", Visibility.PUBLIC, world.client_user)


def test_client_confirms_closure(world: SimpleNamespace) -> None:
    ticket = resolved(world)
    c = client_for(world.client_user)
    body = c.get(reverse("portal:detail", args=[ticket.reference])).content.decode()
    assert "Oui, clôturer le ticket" in body and "Rouvrir le ticket" in body
    response = c.post(reverse("portal:transition", args=[ticket.reference, "close"]), follow=True)
    assert "Merci : le ticket est clôturé." in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_client_reopens_with_a_reason(world: SimpleNamespace) -> None:
    ticket = resolved(world)
    c = client_for(world.client_user)
    response = c.post(reverse("portal:transition", args=[ticket.reference, "reopen"]), follow=True)
    assert "Un motif est obligatoire." in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    c.post(reverse("portal:transition", args=[ticket.reference, "reopen"]), {"reopen-reason": "Coupé à nouveau"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS


def test_client_cannot_run_agent_transitions(world: SimpleNamespace) -> None:
    ticket = ticket_for(world)
    before = ticket.timeline.count()
    response = client_for(world.client_user).post(
        reverse("portal:transition", args=[ticket.reference, "cancel"]), {"cancel-reason": "x"}, follow=True
    )
    assert "Votre rôle ne permet pas : Annuler." in messages_of(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.timeline.count() == before


def test_no_confirmation_offered_while_ticket_is_worked(world: SimpleNamespace) -> None:
    ticket = ticket_for(world)
    body = client_for(world.client_user).get(reverse("portal:detail", args=[ticket.reference])).content.decode()
    assert "Oui, clôturer le ticket" not in body
    assert "Rouvrir le ticket" not in body
