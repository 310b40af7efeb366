"""The gateway's pages and CLI: the OI work queue and its moves, OC follow-up, the journal partial of a ticket."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client

from softwhere.core.tests.api_client import api_client
from softwhere.interop import actions
from softwhere.interop.choices import MessageStatus, Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, Signalisation
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import later, make_loop, pump, run_jobs


@pytest.fixture
def loop(world, smtp):
    return make_loop(world, Protocol.V1, smtp_port=smtp.port)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deposited(world, loop, smtp) -> tuple[Signalisation, Signalisation]:
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump(smtp.spool)
    return Signalisation.objects.get(role="oc"), Signalisation.objects.get(role="oi")


def test_oi_agent_works_a_deposit_from_the_queue_to_closure_ret(world, loop, smtp):
    oc_sig, oi_sig = deposited(world, loop, smtp)
    n2 = browser(world.n2)
    queue = n2.get("/interop/")
    assert queue.status_code == 200 and oi_sig.oc_reference in queue.content.decode()
    url = f"/interop/signalisations/{oi_sig.pk}/"
    assert n2.post(url, {"move": "take", "take-resolution_state": "ACTION_PREVUE"}).status_code == 302
    response = n2.post(
        url, {"move": "inform", "inform-info_type": "DEMANDE_RDV", "inform-text": "Dates ?", "inform-status": "pending"}
    )
    assert response.status_code == 302
    response = n2.post(
        url,
        {
            "move": "inform",
            "inform-info_type": "CONFIRMATION_RDV",
            "inform-confirm_first": "on",
            "inform-start1": "2099-01-05T14:00",
            "inform-end1": "2099-01-05T17:00",
            "inform-appointment_id": "RDV-1",
            "inform-status": "in_progress",
        },
    )
    assert response.status_code == 302
    # A RET closure without defect location is refused on the form, nothing is sent.
    refused = n2.post(url, {"move": "close", "close-code": "RET01", "close-responsibility": "OI"})
    assert refused.status_code == 200 and "localisation" in refused.content.decode()
    response = n2.post(
        url,
        {
            "move": "close",
            "close-code": "RET01",
            "close-responsibility": "OI",
            "close-location": "PBO",
            "close-comment": "Soudure reprise",
        },
    )
    assert response.status_code == 302
    pump(smtp.spool)
    oc_sig.refresh_from_db()
    assert (oc_sig.status, oc_sig.closure_code, oc_sig.appointment_id) == (S.CLOSED, "RET01", "RDV-1")
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.CLOSED
    # The OI's page shows the whole exchange, each message opens on its raw content.
    page = n2.get(url).content.decode()
    for filename in InteropMessage.objects.filter(signalisation=oi_sig).values_list("filename", flat=True):
        assert filename in page
    message = InteropMessage.objects.filter(signalisation=oi_sig, direction="out").last()
    assert "CLOTSAV" in n2.get(f"/interop/messages/{message.pk}/").content.decode()


def test_clients_and_non_agents_cannot_use_the_pages(world, loop, smtp):
    _oc_sig, oi_sig = deposited(world, loop, smtp)
    assert browser(world.client_user).get("/interop/").status_code == 403
    response = browser(world.adv).post(
        f"/interop/signalisations/{oi_sig.pk}/", {"move": "take", "take-resolution_state": "ACTION_PREVUE"}
    )
    assert response.status_code == 403
    assert Signalisation.objects.get(pk=oi_sig.pk).status == S.ACKNOWLEDGED


def test_journal_partial_of_a_ticket(world, loop, smtp):
    oc_sig, _ = deposited(world, loop, smtp)
    template = Template("{% load interop %}{% interop_journal ticket %}")
    request = type("R", (), {"user": world.n1})()
    html = template.render(Context({"ticket": loop.ticket, "request": request}))
    assert oc_sig.oc_reference in html and "DEPOTSAV_SWDK_OIFI_" in html and "ARSAV_OIFI_SWDK_" in html
    request.user = world.client_user
    assert oc_sig.oc_reference not in template.render(Context({"ticket": loop.ticket, "request": request}))


def test_oc_follow_up_through_the_desk_api(world, loop, smtp):
    oc_sig, oi_sig = deposited(world, loop, smtp)
    client = api_client(world.n1)
    base = f"/api/v1/interop/signalisations/{oc_sig.pk}"
    actions.oi_send_information(
        oi_sig, actor=world.n2, info_type="PROPOSITION_RDV", proposals=[actions.formats.parse_slot("209901051400-1700")]
    )
    pump(smtp.spool)
    slot = {"start": "2099-01-05T14:00:00+01:00", "end": "2099-01-05T17:00:00+01:00"}
    response = client.post(f"{base}/appointment-answer/", {"accept": True, "slot": slot}, format="json")
    assert response.status_code == 200, response.json()
    response = client.post(f"{base}/information/", {"info_type": "INFORMATION", "text": "Digicode 1234"}, format="json")
    assert response.status_code == 200
    pump(smtp.spool)
    oi_sig.refresh_from_db()
    assert oi_sig.proposals == [{"start": "2099-01-05T14:00:00+01:00", "end": "2099-01-05T17:00:00+01:00"}]
    # OI moves are refused on an OC signalisation; a client is refused.
    assert client.post(f"{base}/take-charge/", {}, format="json").json()["code"] == "ETAT_INCOMPATIBLE"
    assert api_client(world.client_user).post(f"{base}/relaunch/", {}, format="json").status_code == 403
    response = client.post(f"{base}/cancel/", {"reason": "Client parti"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.CANCELLATION_REQUESTED
    assert client.post(f"{base}/cancel/", {"reason": "encore"}, format="json").status_code == 409
    page = browser(world.n1).get(f"/interop/signalisations/{oc_sig.pk}/").content.decode()
    assert loop.ticket.reference in page and "INFOSAV_SWDK_OIFI_" in page and 'data-testid="move-relaunch"' in page


def test_oi_moves_through_the_desk_api(world, loop, smtp):
    oc_sig, oi_sig = deposited(world, loop, smtp)
    client = api_client(world.n2)
    base = f"/api/v1/interop/signalisations/{oi_sig.pk}"
    listing = client.get("/api/v1/interop/signalisations/", {"role": "oi", "status": "acknowledged"}).json()
    assert [s["oc_reference"] for s in listing["results"]] == [oi_sig.oc_reference]
    assert client.post(f"{base}/take-charge/", {}, format="json").json()["status"] == S.IN_PROGRESS
    bad = client.post(f"{base}/close/", {"code": "ABS01", "responsibility": "OC", "location": "PBO"}, format="json")
    assert bad.status_code == 409 and bad.json()["code"] == "LOCALISATION_HORS_RET"
    done = client.post(f"{base}/close/", {"code": "ABS01", "responsibility": "OC"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == S.CLOSED
    pump(smtp.spool)
    oc_sig.refresh_from_db()
    assert oc_sig.closure_code == "ABS01"
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.IN_PROGRESS  # back to the agent


def test_relaunch_resends_failed_messages(world, loop, smtp, settings):
    settings.INTEROP_MAX_ATTEMPTS = 1
    smtp.stop()
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    run_jobs()
    deposit = InteropMessage.objects.get(kind="deposit")
    assert deposit.status == MessageStatus.FAILED
    smtp.start()
    response = api_client(world.n1).post(
        f"/api/v1/interop/signalisations/{deposit.signalisation_id}/relaunch/", {}, format="json"
    )
    assert response.status_code == 200
    with later(minutes=1):
        pump(smtp.spool)
    deposit.refresh_from_db()
    assert deposit.status == MessageStatus.SENT
    assert Signalisation.objects.get(role="oc").status == S.ACKNOWLEDGED


def test_cli_oi_queue_and_moves(world, loop, smtp):
    oc_sig, oi_sig = deposited(world, loop, smtp)
    out = StringIO()
    call_command("interop", "oi", "list", stdout=out)
    [row] = json.loads(out.getvalue())
    assert (row["reference"], row["status"]) == (oi_sig.oi_reference, "acknowledged")
    call_command("interop", "oi", "take", oi_sig.oi_reference, stdout=StringIO())
    call_command(
        "interop",
        "oi",
        "info",
        oi_sig.oi_reference,
        "--type",
        "PROPOSITION_RDV",
        "--slot",
        "209901051400-1700",
        "--slot",
        "209901060900-1200",
        stdout=StringIO(),
    )
    pump(smtp.spool)
    oc_sig.refresh_from_db()
    assert len(oc_sig.proposals) == 2
    out = StringIO()
    call_command("interop", "oc", "answer", oc_sig.oc_reference, "--slot", "209901060900-1200", stdout=out)
    call_command(
        "interop",
        "oi",
        "info",
        oi_sig.oi_reference,
        "--type",
        "CONFIRMATION_RDV",
        "--appointment",
        "209901060900-1200",
        stdout=StringIO(),
    )
    call_command(
        "interop",
        "oi",
        "close",
        oi_sig.oi_reference,
        "--code",
        "RET02",
        "--responsibility",
        "OI",
        "--location",
        "PTO",
        stdout=StringIO(),
    )
    pump(smtp.spool)
    oc_sig.refresh_from_db()
    assert oc_sig.status == S.CLOSED and oc_sig.appointment is not None
    out = StringIO()
    call_command("interop", "oi", "list", stdout=out)
    assert json.loads(out.getvalue()) == []
