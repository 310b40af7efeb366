"""Desk-only ticket data over the API: staff receive it, client and partner users never do.

Every response is validated against the OpenAPI schema by ``api_client``, so the
fields left out for portal users must be optional there.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from softwhere.core.tests.api_client import api_client
from softwhere.tickets import actions
from softwhere.tickets.api.serializers import INTERNAL_FIELDS
from softwhere.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(world: SimpleNamespace) -> Ticket:
    """A partner's client ticket (visible to the client's partner) with internal notes and comments."""
    ticket = actions.create_ticket(
        actor=world.n1,
        organisation=world.partner_client,
        site=world.partner_site,
        subject="Coupure boutique",
        service_state="interrompu",
        alerts="Client sensible : VIP",
        complementary_data="Code d'accès portail 4321",
    )
    actions.add_comment(ticket, actor=world.n1, body="Note interne : escalade probable")
    actions.add_comment(ticket, actor=world.n1, body="Nous analysons votre demande.", visibility="public")
    return ticket


def _portal_user(world: SimpleNamespace, role: str) -> object:
    if role == "client_user":  # the client user of the ticket's own company
        from softwhere.accounts.choices import Role
        from softwhere.core import testing as t

        return t.make_user(Role.CLIENT, world.partner_client, "boulangerie")
    return world.partner_user


@pytest.mark.parametrize("role", ["n1", "adv", "supervisor"])
def test_staff_receive_the_internal_header_fields(world: SimpleNamespace, ticket: Ticket, role: str) -> None:
    got = api_client(getattr(world, role)).get(f"/api/v1/tickets/{ticket.reference}/").json()
    assert (got["alerts"], got["complementary_data"]) == ("Client sensible : VIP", "Code d'accès portail 4321")


@pytest.mark.parametrize("role", ["client_user", "partner_user"])
def test_portal_users_never_receive_internal_fields_or_comments(
    world: SimpleNamespace, ticket: Ticket, role: str
) -> None:
    client = api_client(_portal_user(world, role))
    detail = client.get(f"/api/v1/tickets/{ticket.reference}/")
    assert detail.status_code == 200
    got = detail.json()
    assert got["reference"] == ticket.reference
    for name in INTERNAL_FIELDS:
        assert name not in got, name
    assert "VIP" not in detail.content.decode() and "4321" not in detail.content.decode()
    for path in ("comments", "timeline"):
        bodies = [e["body"] for e in client.get(f"/api/v1/tickets/{ticket.reference}/{path}/").json()]
        assert "Nous analysons votre demande." in bodies
        assert not any("Note interne" in b for b in bodies), path


def test_portal_user_creating_a_ticket_gets_no_internal_field_back(world: SimpleNamespace) -> None:
    response = api_client(world.client_user).post(
        "/api/v1/tickets/", {"subject": "Plus de tonalité", "service_state": "interrompu", "site": world.acme_site.pk}
    )
    assert response.status_code == 201
    assert not set(INTERNAL_FIELDS) & set(response.json())


def test_schema_marks_internal_fields_optional() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    detail = schema["components"]["schemas"]["TicketDetail"]
    assert set(INTERNAL_FIELDS) <= set(detail["properties"])
    assert not set(INTERNAL_FIELDS) & set(detail["required"])
    assert "reference" in detail["required"]
