"""Two desk instances on loopback over HTTP, v2.0 and the Interop'Fibre TMF621 profile.

This test process is the OC, reachable through Django's live server; the OI is another desk
(its own SQLite database, ``softwhere serve`` answering HTTP, its job ``worker`` sending its
calls back to us), worked by its agent through the ``softwhere interop oi`` CLI. Each peer row
carries the other desk's URL and the API key the other desk issued.

Per protocol, one OI desk: a cancellation first (v2.0: CASE CANCELATION REQUEST once taken
in charge, then the OI's STT02; profile: PATCH cancelled from acknowledged), then on the same
desk ticket a second signalisation through deposit → acknowledgement → appointment request,
proposals, confirmation → closure RET, after which the ticket closes itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from softwhere.interop import actions
from softwhere.interop.choices import Direction, MessageKind, MessageStatus, Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, InteropPeer, Signalisation
from softwhere.interop.services import formats, v2_xml
from softwhere.interop.services.formats import Slot
from softwhere.jobs.system import system_user
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import make_loop
from .instances import OcServer, OiInstance, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ENDPOINTS = {Protocol.V2: "/tmf-api/interop/sav-ftth/v2", Protocol.INTEROP_TMF: "/tmf-api/interop/troubleTicket/v1"}


@pytest.fixture
def oc_server(live_server: Any) -> Iterator[OcServer]:
    server = OcServer(live_server)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def desks(
    request: pytest.FixtureRequest, world: Any, oc_server: OcServer, oi_database: Path, tmp_path: Path
) -> Iterator[SimpleNamespace]:
    """Our desk (OC) and a running OI desk for ``request.param``, each configured with the other's URL and key."""
    protocol = request.param
    system_user()
    oi = OiInstance(tmp_path / "oi", template=oi_database, idle=oc_server.idle)
    try:
        url = oi.serve()
        loop = make_loop(world, protocol, base_url=url, callback_base=oc_server.url)
        loop.oc.delete()  # this desk is only the OC here; the OI is the other instance
        key = oi.setup(protocol=protocol, endpoint_url=oc_server.url + ENDPOINTS[protocol], auth_token=loop.oi_key)
        peer = InteropPeer.objects.get(pk=loop.oi.pk)
        peer.auth_token = key  # what the OI desk issued for us
        peer.save(update_fields=["auth_token_encrypted"])
        oi.start("worker", "--poll-interval", "0.3")
        yield SimpleNamespace(loop=loop, oi=oi, wait=partial(wait_for, idle=oc_server.idle))
    finally:
        oi.stop()


def ours(sig: Signalisation) -> Signalisation:
    return Signalisation.objects.get(pk=sig.pk)


def ticket_of(sig: Signalisation) -> Ticket:
    return Ticket.objects.get(pk=sig.ticket_id)


def delivered(sig: Signalisation) -> bool:
    """Everything we sent about ``sig`` has left and been answered."""
    return not sig.messages.filter(direction=Direction.OUTBOUND).exclude(status=MessageStatus.SENT).exists()


def timeline(ticket: Ticket) -> str:
    return "\n".join(ticket.timeline.values_list("body", flat=True))


def escalate(world: Any, ticket: Ticket, wait: Callable[..., Any]) -> tuple[Signalisation, str]:
    """Deposit with the OI desk until its acknowledgement; returns the signalisation and the OI's reference."""
    sig = actions.escalate_to_oi(Ticket.objects.get(pk=ticket.pk), actor=world.n1, preloc="PBO")
    wait(lambda: ours(sig).status == S.ACKNOWLEDGED, f"AR OK for {sig.oc_reference}")
    assert ticket_of(sig).status == TicketStatus.WAITING_CARRIER
    return sig, ours(sig).oi_reference


@pytest.mark.parametrize("desks", [Protocol.V2], indirect=True)
def test_v2_cancellation_and_round_trip_between_two_desk_instances(world, desks):
    loop, oi, wait = desks.loop, desks.oi, desks.wait

    # Cancellation once the OI has taken charge: CASE CANCELATION REQUEST, then the OI's STT02.
    first, ref = escalate(world, loop.ticket, wait)
    [row] = oi.queue()
    assert (row["reference"], row["oc_reference"], row["protocol"]) == (ref, first.oc_reference, Protocol.V2)
    oi.oi("take", ref)
    wait(lambda: ours(first).status == S.IN_PROGRESS, "CASE_SOLVING_NOTIFICATION")
    actions.oc_cancel(ours(first), actor=world.n1, reason_text="Client résilié")
    wait(lambda: delivered(first), "CASE_CANCELATION_REQUEST acknowledged")
    assert ours(first).status == S.CANCELLATION_REQUESTED
    [row] = oi.queue()
    assert row["status"] == S.CANCELLATION_REQUESTED  # the OI decides
    oi.oi("close", ref, "--code", "STT02", "--responsibility", "OC", "--comment", "Annulation acceptée")
    wait(lambda: ours(first).status == S.CANCELLED, "the OI's cancellation")
    assert ours(first).closure_code == "STT02"
    assert ticket_of(first).status == TicketStatus.IN_PROGRESS  # back to the agent

    # Round trip on the same desk ticket: a second signalisation, closed RET.
    second, ref = escalate(world, loop.ticket, wait)
    assert second.oc_reference.endswith("-02")
    oi.oi("take", ref)
    wait(lambda: ours(second).resolution_state == "ACTION_A_DEFINIR", "CASE_SOLVING_NOTIFICATION")
    assert ours(second).status == S.IN_PROGRESS
    oi.oi("info", ref, "--type", "DEMANDE_RDV", "--text", "Proposez 3 dates", "--resolution-state", "ACTION_PREVUE")
    wait(lambda: ours(second).resolution_state == "ACTION_PREVUE", "appointment request")
    dates = [formats.parse_slot(s) for s in ("209901051400-1700", "209901060900-1200", "209901070900-1200")]
    actions.oc_send_information(ours(second), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    wait(lambda: delivered(second), "CO_CASE_INFORMATION_NOTIFICATION acknowledged")
    oi.oi("info", ref, "--type", "CONFIRMATION_RDV", "--appointment", "209901070900-1200", "--appointment-id", "RDV-7")
    wait(lambda: ours(second).appointment_id == "RDV-7", "appointment confirmation")
    assert Slot.from_json(ours(second).appointment) == dates[2]
    assert ours(second).resolution_state == "ACTION_PLANIFIEE"
    oi.oi("close", ref, "--code", "RET02", "--responsibility", "OI", "--location", "PTO", "--comment", "PTO changée")
    wait(lambda: ticket_of(second).status == TicketStatus.CLOSED, "closure RET")

    assert (ours(second).status, ours(second).closure_code, ours(second).defect_location) == (S.CLOSED, "RET02", "PTO")
    theirs = {r["oc_reference"]: r for r in oi.queue(everything=True)}
    assert (theirs[first.oc_reference]["status"], theirs[second.oc_reference]["status"]) == (S.CANCELLED, S.CLOSED)
    assert theirs[second.oc_reference]["proposals"] == [d.to_json() for d in dates]  # our proposals reached the OI
    ticket = ticket_of(second)
    assert "RET02" in ticket.resolution
    bodies = timeline(ticket)
    for expected in (
        f"{first.oc_reference} déposée auprès de Fibre Infra",
        "Annulation demandée à Fibre Infra : Client résilié",
        "Clôture Fibre Infra STT02",
        f"{second.oc_reference} déposée auprès de Fibre Infra",
        "AR OK de Fibre Infra",
        "Demande de rendez-vous",
        "Proposition de rendez-vous",
        "RDV retenu",
        "Clôture Fibre Infra RET02",
    ):
        assert expected in bodies
    # Every XML document that crossed the wire, both ways, is valid against our XSD and was answered OK.
    exchanged = InteropMessage.objects.filter(protocol=Protocol.V2)
    assert exchanged.filter(direction=Direction.INBOUND).exclude(kind="ack").count() == 6  # 2 × (take, close), 2 × info
    for message in exchanged:
        assert not list(v2_xml.schema().iter_errors(message.raw.encode())), message.raw
        if message.direction == Direction.OUTBOUND:
            assert message.status == MessageStatus.SENT and "<Result>OK</Result>" in message.response


@pytest.mark.parametrize("desks", [Protocol.INTEROP_TMF], indirect=True)
def test_interop_profile_cancellation_and_round_trip_between_two_desk_instances(world, desks):
    loop, oi, wait = desks.loop, desks.oi, desks.wait

    # Cancellation from acknowledged: PATCH status cancelled, confirmed by the OI's answer.
    first, ref = escalate(world, loop.ticket, wait)
    assert InteropPeer.objects.get(pk=loop.oi.pk).remote_hub_id  # we subscribed to the OI desk's hub first
    [row] = oi.queue()
    assert (row["reference"], row["oc_reference"], row["protocol"]) == (ref, first.oc_reference, Protocol.INTEROP_TMF)
    actions.oc_cancel(ours(first), actor=world.n1, reason_text="Doublon")
    wait(lambda: ours(first).status == S.CANCELLED, "cancellation confirmed")
    assert ticket_of(first).status == TicketStatus.IN_PROGRESS
    wait(lambda: first.messages.filter(direction=Direction.INBOUND, kind=MessageKind.EVENT).exists(), "cancelled event")

    # Round trip on the same desk ticket: the OI's events reach our listener, our PATCHes its ticket.
    second, ref = escalate(world, loop.ticket, wait)
    oi.oi("take", ref)
    wait(lambda: ours(second).status == S.IN_PROGRESS, "inProgress event")
    oi.oi("info", ref, "--type", "DEMANDE_RDV", "--text", "Dates ?", "--status", "pending")
    wait(lambda: ours(second).status == S.PENDING, "appointment request (pending)")
    dates = [formats.parse_slot("209901051400-1700"), formats.parse_slot("209901060900-1200")]
    actions.oc_send_information(ours(second), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    wait(lambda: delivered(second), "proposals PATCHed")
    oi.oi(
        "info",
        ref,
        "--type",
        "CONFIRMATION_RDV",
        "--appointment",
        "209901051400-1700",
        "--appointment-id",
        "RDV-9",
        "--status",
        "in_progress",
    )
    wait(lambda: ours(second).appointment_id == "RDV-9", "appointment confirmation")
    assert ours(second).status == S.IN_PROGRESS and Slot.from_json(ours(second).appointment) == dates[0]
    oi.oi("close", ref, "--code", "RET01", "--responsibility", "OI", "--location", "PBO", "--comment", "Soudure PBO")
    # resolved → our automatic acceptance → PATCH closed
    wait(lambda: ticket_of(second).status == TicketStatus.CLOSED and delivered(second), "resolution accepted")

    assert (ours(second).status, ours(second).closure_code, ours(second).defect_location) == (S.CLOSED, "RET01", "PBO")
    theirs = {r["oc_reference"]: r for r in oi.queue(everything=True)}
    assert (theirs[first.oc_reference]["status"], theirs[second.oc_reference]["status"]) == (S.CANCELLED, S.CLOSED)
    assert theirs[second.oc_reference]["proposals"] == [d.to_json() for d in dates]
    bodies = timeline(ticket_of(second))
    for expected in (
        "Annulation envoyée à Fibre Infra : Doublon",
        f"Signalisation {first.oc_reference} annulée par Fibre Infra",
        f"{second.oc_reference} déposée auprès de Fibre Infra",
        "AR OK de Fibre Infra",
        "Demande de rendez-vous",
        "Proposition de rendez-vous",
        "RDV retenu",
        "Résolution RET01 de Fibre Infra acceptée",
    ):
        assert expected in bodies
    assert not InteropMessage.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.FAILED]).exists()
    assert not InteropMessage.objects.filter(status=MessageStatus.REJECTED).exists()
