"""Our TMF621 v4 API over desk tickets: the v5 views mounted with the v4 shapes (TMF621 4.0.0 Swagger)."""

from __future__ import annotations

from softwhere.catalogue.models import ResolutionCase
from softwhere.interop.choices import HubApi, MessageStatus
from softwhere.interop.models import Hub, InteropMessage
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Channel, TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import client_for, created, later, merge_patch, pending_jobs, run_jobs
from .subscriber import listening

BASE = "/tmf-api/troubleTicket/v4"
BODY = {"description": "Plus d'internet au siège", "severity": "Critical", "ticketType": "incident", "name": "Panne"}


def customer(organisation) -> dict:
    """A v4 RelatedParty: a flat reference (v5 nests it under partyOrPartyRole)."""
    return {"id": str(organisation.pk), "role": "customer", "@referredType": "Organization"}


def test_create_without_type_with_flat_references_and_external_id(world):
    client = client_for(world.client_user)
    service = {"id": str(world.acme_access.pk), "role": "affectedService", "@referredType": "Service"}
    response = client.post(
        f"{BASE}/troubleTicket",
        {**BODY, "externalId": "CRM-42", "relatedEntity": [service], "note": [{"text": "Voyant LOS rouge"}]},
        format="json",
    )  # no @type: optional in v4
    body, ticket = created(response, BASE)
    assert (ticket.organisation, ticket.channel, ticket.service_state) == (world.acme, Channel.INTEROP, "interrompu")
    assert list(ticket.services.all()) == [world.acme_access.service_ptr]
    assert body["externalId"] == "CRM-42" and "externalIdentifier" not in body
    assert {k: body["relatedEntity"][0][k] for k in service} == service and "entity" not in body["relatedEntity"][0]
    assert [n["text"] for n in body["note"]] == ["Voyant LOS rouge"]
    assert body["status"] == "acknowledged" and body["statusChange"] == [] and "statusChangeHistory" not in body
    assert [t["id"] for t in client.get(f"{BASE}/troubleTicket", {"externalId": "CRM-42"}).json()] == [ticket.reference]
    # v5 requires @type, and shows the same ticket in its own shapes
    v5_without_type = client.post("/tmf-api/troubleTicket/v5/troubleTicket", BODY, format="json")
    assert v5_without_type.status_code == 400 and v5_without_type.json()["message"].endswith(": @type")
    v5 = client.get(f"/tmf-api/troubleTicket/v5/troubleTicket/{ticket.reference}").json()
    assert v5["externalIdentifier"][0]["id"] == "CRM-42" and v5["relatedEntity"][0]["entity"]["id"] == service["id"]


def test_partner_creates_for_its_client_and_sees_only_its_tickets(world):
    partner = client_for(world.partner_user)
    own = partner.post(
        f"{BASE}/troubleTicket", {**BODY, "relatedParty": [customer(world.partner_client)]}, format="json"
    )
    _body, ticket = created(own, BASE)
    assert ticket.organisation == world.partner_client
    foreign = partner.post(f"{BASE}/troubleTicket", {**BODY, "relatedParty": [customer(world.acme)]}, format="json")
    assert foreign.status_code == 400 and "relatedParty" in foreign.json()["message"]
    acme = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="ACME", service_state="degrade"
    )
    assert [t["id"] for t in partner.get(f"{BASE}/troubleTicket").json()] == [ticket.reference]
    hidden = partner.get(f"{BASE}/troubleTicket/{acme.reference}")
    assert hidden.status_code == 404 and hidden.json()["@type"] == "Error" and hidden.json()["code"] == "ERR404"


def test_field_level_errors(world):
    client = client_for(world.client_user)
    missing = client.post(f"{BASE}/troubleTicket", {"description": "x", "ticketType": "incident"}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "ERR400"
    assert missing.json()["message"] == "attributs obligatoires absents : severity"
    typed = client.post(f"{BASE}/troubleTicket", {**BODY, "externalId": ["CRM-42"]}, format="json")
    assert typed.status_code == 400 and typed.json()["message"] == "externalId : chaîne attendue"
    unknown_service = client.post(
        f"{BASE}/troubleTicket",
        {**BODY, "relatedEntity": [{"id": "999999", "role": "affectedService", "@referredType": "Service"}]},
        format="json",
    )
    assert unknown_service.status_code == 400 and unknown_service.json()["message"].startswith("relatedEntity")
    ticket = ticket_actions.create_ticket(actor=world.n1, organisation=world.acme, subject="T", service_state="degrade")
    bad_status = merge_patch(client, f"{BASE}/troubleTicket/{ticket.reference}", {"status": "solved"})
    assert bad_status.status_code == 400 and bad_status.json()["message"].startswith("status")
    assert merge_patch(client, f"{BASE}/troubleTicket/NOPE", {"name": "x"}).status_code == 404
    assert client.get(f"{BASE}/hub/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get(f"{BASE}/troubleTicket", {"offset": "-1"}).status_code == 400


def test_list_filters_pages_and_selects_fields(world):
    for i in range(3):
        ticket_actions.create_ticket(actor=world.n1, organisation=world.acme, subject=f"T{i}", service_state="degrade")
    working = Ticket.objects.filter(organisation=world.acme).first()
    ticket_actions.transition_ticket(working, "take", actor=world.n1, reason="Pris en charge")
    client = client_for(world.client_user)
    response = client.get(f"{BASE}/troubleTicket", {"limit": 2, "offset": 1, "fields": "status,statusChange"})
    assert response.status_code == 200
    assert (response["X-Total-Count"], response["X-Result-Count"]) == ("3", "2")
    assert all(set(item) == {"id", "href", "@type", "status", "statusChange"} for item in response.json())
    in_progress = client.get(f"{BASE}/troubleTicket", {"status": "inProgress"}).json()
    assert [i["id"] for i in in_progress] == [working.reference]
    change = in_progress[0]["statusChange"][0]
    assert (change["status"], change["changeReason"]) == ("inProgress", "Pris en charge") and change["changeDate"]
    assert in_progress[0]["href"].startswith(f"{BASE}/troubleTicket/")
    oldest_first = client.get(f"{BASE}/troubleTicket", {"sort": "creationDate"}).json()
    assert [i["name"] for i in oldest_first] == ["T0", "T1", "T2"]


def test_merge_patch_moves_the_lifecycle_and_records_v4_status_changes(world):
    ticket = ticket_actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        subject="Panne",
        service_state="interrompu",
        case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
    )
    url = f"{BASE}/troubleTicket/{ticket.reference}"
    agent, client = client_for(world.n2), client_for(world.client_user)
    noted = merge_patch(client, url, {"note": [{"text": "Toujours en panne"}]})
    assert noted.status_code == 200 and noted.json()["note"][-1]["text"] == "Toujours en panne"
    assert merge_patch(agent, url, {"status": "inProgress", "priority": "High"}).json()["status"] == "inProgress"
    held = merge_patch(agent, url, {"status": "held", "statusChangeReason": "OI-4711"})
    assert held.json()["status"] == "held" and held.json()["statusChangeReason"] == "OI-4711"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == (TicketStatus.WAITING_CARRIER, 2)
    assert merge_patch(agent, url, {"status": "inProgress"}).status_code == 200
    resolved = merge_patch(agent, url, {"status": "resolved", "statusChangeReason": "ONT remplacé"}).json()
    assert resolved["status"] == "resolved" and "resolutionDate" in resolved
    assert merge_patch(client, url, {"status": "closed"}).json()["status"] == "closed"
    conflict = merge_patch(agent, url, {"status": "pending"})
    assert conflict.status_code == 409 and conflict.json()["@type"] == "Error"
    history = client.get(url).json()["statusChange"]
    assert [h["status"] for h in history] == ["inProgress", "held", "inProgress", "resolved", "closed"]
    assert history[1]["changeReason"] == "OI-4711"


def test_v4_subscriber_receives_v4_events_with_retries(world, django_capture_on_commit_callbacks):
    client = client_for(world.client_user)
    with listening(fail_first=1) as v4, listening() as v5:
        hub = client.post(f"{BASE}/hub", {"callback": v4.url}, format="json")
        assert hub.status_code == 201 and hub.json()["callback"] == v4.url
        assert hub["Location"] == f"{BASE}/hub/{hub.json()['id']}"
        assert Hub.objects.get(pk=hub.json()["id"]).api == HubApi.TMF621_V4
        client.post("/tmf-api/troubleTicket/v5/hub", {"callback": v5.url}, format="json")
        with django_capture_on_commit_callbacks(execute=True):  # ticket events fire on commit
            ticket = ticket_actions.create_ticket(
                actor=world.n1,
                organisation=world.acme,
                subject="Panne",
                service_state="degrade",
                services=[world.acme_access],
                case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
            )
            ticket_actions.create_ticket(
                actor=world.n1, organisation=world.other, subject="Pas pour lui", service_state="degrade"
            )
            ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
            ticket_actions.transition_ticket(ticket, "wait_client", actor=world.n1, reason="Photo du boîtier ?")
            ticket_actions.add_comment(ticket, actor=world.n1, body="Merci", visibility="public")
        run_jobs()
        assert [j.attempts for j in pending_jobs()] == [1]  # the v4 listener refused its first delivery (503)
        with later(minutes=2):
            run_jobs()
        expected = [
            "TroubleTicketCreateEvent",
            "TroubleTicketStatusChangeEvent",
            "TroubleTicketStatusChangeEvent",
            "TroubleTicketInformationRequiredEvent",
            "TroubleTicketAttributeValueChangeEvent",
        ]
        assert sorted(v4.types()) == sorted(v5.types()) == sorted(expected)
        for _path, body in v4.received:
            resource = body["event"]["troubleTicket"]
            assert resource["id"] == ticket.reference and resource["href"].startswith(f"{BASE}/")
            assert "statusChange" in resource and "statusChangeHistory" not in resource
            assert (
                resource["relatedEntity"][0]["@referredType"] == "Service"
                and "entity" not in resource["relatedEntity"][0]
            )
        for _path, body in v5.received:
            assert "statusChangeHistory" in body["event"]["troubleTicket"]
        info = next(b for _p, b in v4.received if b["eventType"] == "TroubleTicketInformationRequiredEvent")
        assert info["event"]["troubleTicket"]["status"] == "pending"
        assert InteropMessage.objects.filter(ticket=ticket, status=MessageStatus.SENT).count() == 10
        assert client.delete(f"{BASE}/hub/{hub.json()['id']}").status_code == 204
        with django_capture_on_commit_callbacks(execute=True):
            ticket_actions.transition_ticket(ticket, "resume", actor=world.n1)
        run_jobs()
        assert len(v4.received) == 5 and len(v5.received) == 6
