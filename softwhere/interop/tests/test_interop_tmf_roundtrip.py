"""The Interop'Fibre TMF621 profile between the two desk roles over HTTP on loopback (live server)."""

from __future__ import annotations

import httpx
import pytest

from softwhere.interop import actions
from softwhere.interop.choices import HubApi, MessageStatus, Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import Hub, InteropMessage, InteropPeer, Signalisation
from softwhere.interop.services import formats, lifecycle
from softwhere.interop.services.formats import Slot
from softwhere.jobs.system import system_user
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import make_loop, pump

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def loop(world, live_server):
    system_user()
    return make_loop(world, Protocol.INTEROP_TMF, base_url=live_server.url)


def oi_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oi", peer=loop.oc)


def oc_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oc", peer=loop.oi)


def test_round_trip_with_appointment_and_accepted_resolution(world, loop):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    # The OC subscribed to the OI's hub, then created the ticket: acknowledged, with the OI's id.
    assert InteropPeer.objects.get(pk=loop.oi.pk).remote_hub_id == str(Hub.objects.get(api=HubApi.INTEROP).pk)
    oi_sig = oi_side(loop)
    assert oi_sig.status == S.ACKNOWLEDGED and oc_side(loop).oi_reference == oi_sig.oi_reference
    assert (oi_sig.nature, oi_sig.preloc, oi_sig.reference_prise) == ("COUPURE", "PBO", "FI-1234-5678")
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.WAITING_CARRIER

    actions.oi_take_charge(oi_sig, actor=world.n2)
    pump()
    assert oc_side(loop).status == S.IN_PROGRESS
    actions.oi_send_information(
        oi_side(loop), actor=world.n2, info_type="DEMANDE_RDV", text="Dates ?", status=S.PENDING
    )
    pump()
    assert oc_side(loop).status == S.PENDING
    dates = [formats.parse_slot("209901051400-1700"), formats.parse_slot("209901060900-1200")]
    actions.oc_send_information(oc_side(loop), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    pump()
    assert [Slot.from_json(p) for p in oi_side(loop).proposals] == dates
    actions.oi_send_information(
        oi_side(loop),
        actor=world.n2,
        info_type="CONFIRMATION_RDV",
        appointment=dates[0],
        appointment_id="RDV-9",
        status=S.IN_PROGRESS,
    )
    pump()
    oc_sig = oc_side(loop)
    assert oc_sig.status == S.IN_PROGRESS and Slot.from_json(oc_sig.appointment) == dates[0]

    actions.oi_close(oi_side(loop), actor=world.n2, code="RET01", responsibility="OI", location="PBO")
    assert oi_side(loop).status == S.RESOLVED  # the profile waits for the OC's acceptance
    pump()
    assert (oc_side(loop).status, oi_side(loop).status) == (S.CLOSED, S.CLOSED)
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    assert ticket.status == TicketStatus.CLOSED and "RET01" in ticket.resolution
    assert not InteropMessage.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.FAILED]).exists()


def test_refused_resolution_goes_back_to_in_progress(world, loop):
    InteropPeer.objects.filter(pk=loop.oi.pk).update(auto_accept_resolution=False)
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    actions.oi_take_charge(oi_side(loop), actor=world.n2)
    actions.oi_close(oi_side(loop), actor=world.n2, code="RET01", responsibility="OI", location="PBO")
    pump()
    assert oc_side(loop).status == S.RESOLVED
    actions.oc_refuse_resolution(oc_side(loop), actor=world.n1, reason_text="Toujours pas de signal")
    pump()
    assert (oc_side(loop).status, oi_side(loop).status) == (S.IN_PROGRESS, S.IN_PROGRESS)
    assert not oi_side(loop).closure_code


def test_cancellation_from_acknowledged_and_final_states(world, loop, live_server):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    actions.oc_cancel(oc_side(loop), actor=world.n1, reason_text="Doublon")
    pump()
    assert (oc_side(loop).status, oi_side(loop).status) == (S.CANCELLED, S.CANCELLED)
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.IN_PROGRESS
    # cancelled is final in the profile: the OI refuses any further move.
    url = f"{live_server.url}/tmf-api/interop/troubleTicket/v1/troubleTicket/{oi_side(loop).oi_reference}"
    response = httpx.patch(
        url,
        json={"status": "inProgress"},
        headers={"Authorization": f"Token {loop.oc_key}", "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 409 and response.json()["code"] == "ETAT_INCOMPATIBLE"


def test_unknown_access_creates_a_rejected_ticket(world, loop):
    from softwhere.interop.models import ServedAccess

    ServedAccess.objects.filter(peer=loop.oc).delete()
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    assert oi_side(loop).status == S.REJECTED
    sig = oc_side(loop)
    assert sig.status == S.REJECTED and "ACCES_INCONNU" in sig.rejection_reason


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        (S.ACKNOWLEDGED, {S.IN_PROGRESS, S.REJECTED, S.CANCELLED}),
        (S.IN_PROGRESS, {S.PENDING, S.HELD, S.RESOLVED}),
        (S.PENDING, {S.IN_PROGRESS}),
        (S.HELD, {S.IN_PROGRESS}),
        (S.RESOLVED, {S.CLOSED, S.IN_PROGRESS}),
        (S.CLOSED, set()),
        (S.CANCELLED, set()),
        (S.REJECTED, set()),
    ],
)
def test_profile_transition_table(source, allowed):
    targets = {t for t in S.values if lifecycle.can_move(source, t, interop=True)}
    assert targets == allowed
