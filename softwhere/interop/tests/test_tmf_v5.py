"""Our TMF621 v5 API over desk tickets: create, list/filter/fields/paging, merge-patch, hubs and their events."""

from __future__ import annotations

from rest_framework.test import APIClient

from softwhere.catalogue.models import ResolutionCase
from softwhere.interop.choices import MessageStatus
from softwhere.interop.models import Hub, InteropMessage
from softwhere.interop.services import tmf
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Channel, TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import client_for, created, later, merge_patch, pending_jobs, run_jobs
from .subscriber import listening

BASE = "/tmf-api/troubleTicket/v5"
BODY = {
    "@type": "TroubleTicket",
    "description": "Plus d'internet au siège",
    "severity": "Critical",
    "ticketType": "incident",
    "name": "Panne fibre",
}


def patch(client: APIClient, ticket_id: str, body: dict) -> object:
    return merge_patch(client, f"{BASE}/troubleTicket/{ticket_id}", body)


def test_every_desk_status_maps_to_a_tmf_status():
    assert set(tmf.TICKET_STATUS_TO_TMF) == set(TicketStatus.values)
    assert tmf.TICKET_STATUS_TO_TMF[TicketStatus.WAITING_CLIENT] == "pending"
    assert tmf.TICKET_STATUS_TO_TMF[TicketStatus.WAITING_CARRIER] == "held"
    assert tmf.TICKET_STATUS_TO_TMF[TicketStatus.OBSERVATION] == "resolved"


def test_client_creates_a_ticket_for_its_company(world):
    response = client_for(world.client_user).post(
        f"{BASE}/troubleTicket",
        {
            **BODY,
            "relatedEntity": [
                {
                    "@type": "RelatedEntity",
                    "role": "affectedService",
                    "entity": {"@type": "EntityRef", "id": str(world.acme_access.pk), "@referredType": "Service"},
                }
            ],
            "note": [{"@type": "Note", "text": "Voyant LOS rouge"}],
            "externalIdentifier": [{"@type": "ExternalIdentifier", "id": "CRM-42", "owner": "crm"}],
        },
        format="json",
    )
    body, ticket = created(response, BASE)
    assert (ticket.organisation, ticket.channel, ticket.service_state) == (world.acme, Channel.INTEROP, "interrompu")
    assert list(ticket.services.all()) == [world.acme_access.service_ptr]
    assert body["status"] == "acknowledged" and body["severity"] == "Critical" and body["ticketType"] == "incident"
    assert body["externalIdentifier"][0]["id"] == "CRM-42"
    assert [n["text"] for n in body["note"]] == ["Voyant LOS rouge"]


def test_create_errors_are_tmf_errors(world):
    client = client_for(world.client_user)
    missing = client.post(f"{BASE}/troubleTicket", {"description": "x"}, format="json")
    assert missing.status_code == 400 and missing.json()["@type"] == "Error" and missing.json()["code"] == "ERR400"
    foreign = client.post(
        f"{BASE}/troubleTicket",
        {
            **BODY,
            "relatedParty": [
                {
                    "@type": "RelatedPartyRefOrPartyRoleRef",
                    "role": "customer",
                    "partyOrPartyRole": {"@type": "PartyRef", "id": str(world.other.pk)},
                }
            ],
        },
        format="json",
    )
    assert foreign.status_code == 400
    anonymous = APIClient().get(f"{BASE}/troubleTicket")
    assert anonymous.status_code == 401 and anonymous.json()["reason"] == "Unauthorized"


def test_list_is_scoped_filtered_paged_and_selects_fields(world):
    for i in range(3):
        ticket_actions.create_ticket(actor=world.n1, organisation=world.acme, subject=f"T{i}", service_state="degrade")
    other = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.other, subject="Autre", service_state="degrade"
    )
    working = Ticket.objects.filter(organisation=world.acme).first()
    ticket_actions.transition_ticket(working, "take", actor=world.n1)
    client = client_for(world.client_user)
    response = client.get(f"{BASE}/troubleTicket", {"limit": 2, "offset": 1, "fields": "status,name"})
    assert response.status_code == 200
    assert (response["X-Total-Count"], response["X-Result-Count"]) == ("3", "2")
    assert all(set(item) == {"id", "href", "@type", "status", "name"} for item in response.json())
    assert other.reference not in {i["id"] for i in client.get(f"{BASE}/troubleTicket").json()}
    in_progress = client.get(f"{BASE}/troubleTicket", {"status": "inProgress"}).json()
    assert [i["id"] for i in in_progress] == [working.reference]
    assert client.get(f"{BASE}/troubleTicket", {"limit": "beaucoup"}).status_code == 400
    assert client.get(f"{BASE}/troubleTicket", {"creationDate.gt": "hier"}).status_code == 400
    assert client.get(f"{BASE}/troubleTicket/{other.reference}").status_code == 404


def test_patch_merges_notes_and_moves_status_through_the_lifecycle(world):
    ticket = ticket_actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        subject="Panne",
        service_state="interrompu",
        case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
    )
    agent, client = client_for(world.n2), client_for(world.client_user)
    response = patch(client, ticket.reference, {"note": [{"@type": "Note", "text": "Toujours en panne"}]})
    assert response.status_code == 200 and response.json()["note"][-1]["text"] == "Toujours en panne"
    assert response.json()["note"][-1]["author"] == str(world.client_user)  # the client's own people are named
    answered = patch(agent, ticket.reference, {"note": [{"@type": "Note", "text": "Technicien missionné"}]})
    assert answered.json()["note"][-1]["author"] == "Support SoftWhere"  # agents are not, as on the portal
    assert str(world.n2) not in str(client.get(f"{BASE}/troubleTicket/{ticket.reference}").json())
    assert patch(client, ticket.reference, {"status": "cancelled"}).status_code == 403  # clients cannot cancel
    assert patch(agent, ticket.reference, {"status": "inProgress"}).json()["status"] == "inProgress"
    assert patch(agent, ticket.reference, {"severity": "Minor", "priority": "High"}).status_code == 200
    ticket.refresh_from_db()
    assert (ticket.service_state, ticket.priority) == ("sans_perturbation", 2)
    pending = patch(agent, ticket.reference, {"status": "pending", "statusChangeReason": "Accès au local"})
    assert pending.json()["status"] == "pending" and pending.json()["statusChangeReason"] == "Accès au local"
    assert patch(agent, ticket.reference, {"status": "inProgress"}).json()["status"] == "inProgress"
    resolved = patch(agent, ticket.reference, {"status": "resolved", "statusChangeReason": "ONT remplacé"})
    assert resolved.json()["status"] == "resolved" and "resolutionDate" in resolved.json()
    assert patch(client, ticket.reference, {"status": "closed"}).json()["status"] == "closed"
    conflict = patch(agent, ticket.reference, {"status": "held"})
    assert conflict.status_code == 409 and conflict.json()["@type"] == "Error"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    history = [
        h["status"] for h in client.get(f"{BASE}/troubleTicket/{ticket.reference}").json()["statusChangeHistory"]
    ]
    assert history == ["inProgress", "pending", "inProgress", "resolved", "closed"]


def test_hub_subscriber_receives_the_events_with_retries(world, django_capture_on_commit_callbacks):
    client = client_for(world.client_user)
    with listening(fail_first=1) as listener:
        hub = client.post(f"{BASE}/hub", {"callback": listener.url}, format="json")
        assert hub.status_code == 201 and hub.json()["callback"] == listener.url
        hub_id = hub.json()["id"]
        assert client.get(f"{BASE}/hub/{hub_id}").json()["id"] == hub_id
        with django_capture_on_commit_callbacks(execute=True):  # ticket events fire on commit
            ticket = ticket_actions.create_ticket(
                actor=world.n1,
                organisation=world.acme,
                subject="Panne",
                service_state="degrade",
                case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
            )
            ticket_actions.create_ticket(
                actor=world.n1, organisation=world.other, subject="Pas pour lui", service_state="degrade"
            )
            ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
            ticket_actions.transition_ticket(ticket, "wait_client", actor=world.n1, reason="Photo du boîtier ?")
            ticket_actions.transition_ticket(ticket, "resume", actor=world.n1)
            ticket_actions.transition_ticket(ticket, "resolve", actor=world.n1, resolution="Câble rebranché")
        run_jobs()
        assert [j.attempts for j in pending_jobs()] == [1]  # the first delivery was refused (503): retried later
        with later(minutes=2):
            run_jobs()
        assert sorted(listener.types()) == sorted(
            [
                "TroubleTicketCreateEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketInformationRequiredEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketResolvedEvent",
            ]
        )
        assert all(body["event"]["troubleTicket"]["id"] == ticket.reference for _p, body in listener.received)
        assert InteropMessage.objects.filter(ticket=ticket, status=MessageStatus.SENT).count() == 7
        assert client.delete(f"{BASE}/hub/{hub_id}").status_code == 204
        with django_capture_on_commit_callbacks(execute=True):
            ticket_actions.transition_ticket(ticket, "close", actor=world.n1)
        run_jobs()
        assert len(listener.received) == 7 and not Hub.objects.exists()


def test_hub_query_filters_event_types(world, django_capture_on_commit_callbacks):
    client = client_for(world.n1)
    with listening() as listener:
        client.post(
            f"{BASE}/hub", {"callback": listener.url, "query": "eventType=TroubleTicketCreateEvent"}, format="json"
        )
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_actions.create_ticket(
                actor=world.n1, organisation=world.acme, subject="Panne", service_state="degrade"
            )
            ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
        run_jobs()
        assert listener.types() == ["TroubleTicketCreateEvent"]
    assert client.post(f"{BASE}/hub", {"callback": "ftp://x"}, format="json").status_code == 400
