"""v2.0 web services between the two desk roles over HTTP on loopback (Django's live server), XML checked by the XSD."""

from __future__ import annotations

import httpx
import pytest

from softwhere.interop import actions
from softwhere.interop.choices import MessageKind, MessageStatus, Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, ServedAccess, Signalisation
from softwhere.interop.services import formats, lifecycle, v2_xml
from softwhere.interop.services.formats import Slot
from softwhere.jobs.system import system_user
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import make_loop, pump

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def loop(world, live_server):
    system_user()
    return make_loop(world, Protocol.V2, base_url=live_server.url)


def oi_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oi", peer=loop.oc)


def oc_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oc", peer=loop.oi)


def test_round_trip_with_appointment_and_closure_ret(world, loop):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    oi_sig = oi_side(loop)
    assert oi_sig.status == S.ACKNOWLEDGED and lifecycle.V2_STATUS[oi_sig.status] == "QUEUED"
    assert oc_side(loop).oi_reference == oi_sig.oi_reference
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.WAITING_CARRIER

    actions.oi_take_charge(oi_sig, actor=world.n2)  # CASE SOLVING NOTIFICATION → OPENACTIVE
    pump()
    assert oc_side(loop).status == S.IN_PROGRESS and oc_side(loop).resolution_state == "ACTION_A_DEFINIR"
    actions.oi_send_information(
        oi_side(loop),
        actor=world.n2,
        info_type="DEMANDE_RDV",
        text="Proposez 3 dates",
        resolution_state="ACTION_PREVUE",
    )
    pump()
    dates = [formats.parse_slot(s) for s in ("209901051400-1700", "209901060900-1200", "209901070900-1200")]
    actions.oc_send_information(oc_side(loop), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    pump()
    assert [Slot.from_json(p) for p in oi_side(loop).proposals] == dates
    actions.oi_send_information(
        oi_side(loop), actor=world.n2, info_type="CONFIRMATION_RDV", appointment=dates[2], appointment_id="RDV-7"
    )
    pump()
    oc_sig = oc_side(loop)
    assert Slot.from_json(oc_sig.appointment) == dates[2] and oc_sig.resolution_state == "ACTION_PLANIFIEE"

    actions.oi_close(oi_side(loop), actor=world.n2, code="RET02", responsibility="OI", location="PTO")
    pump()
    assert (oc_side(loop).status, oi_side(loop).status) == (S.CLOSED, S.CLOSED)
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    assert ticket.status == TicketStatus.CLOSED and "RET02" in ticket.resolution
    # Every document that crossed the wire is valid against our XSD, and each request got its acknowledgement.
    exchanged = InteropMessage.objects.filter(protocol=Protocol.V2)
    assert exchanged.count() >= 12
    for message in exchanged:
        assert not list(v2_xml.schema().iter_errors(message.raw.encode())), message.raw
        if message.direction == "out":
            assert message.status == MessageStatus.SENT
            assert "<Result>OK</Result>" in message.response


def test_cancellation_before_and_after_taking_charge(world, loop):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    actions.oc_cancel(oc_side(loop), actor=world.n1, reason_text="Erreur de diagnostic")  # QUEUED: CASE CANCELATION
    pump()
    assert (oc_side(loop).status, oi_side(loop).status) == (S.CANCELLED, S.CANCELLED)
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.IN_PROGRESS

    second = actions.escalate_to_oi(Ticket.objects.get(pk=loop.ticket.pk), actor=world.n1, preloc="PBO")
    pump()
    assert second.oc_reference.endswith("-02")
    oi_sig = Signalisation.objects.get(role="oi", oc_reference=second.oc_reference)
    actions.oi_take_charge(oi_sig, actor=world.n2)
    pump()
    actions.oc_cancel(Signalisation.objects.get(pk=second.pk), actor=world.n1, reason_text="Client résilié")
    pump()  # OPENACTIVE: CASE CANCELATION REQUEST, the OI decides
    oi_sig.refresh_from_db()
    assert oi_sig.status == S.CANCELLATION_REQUESTED
    actions.oi_close(oi_sig, actor=world.n2, code="STT02", responsibility="OC")
    pump()
    assert Signalisation.objects.get(pk=second.pk).status == S.CANCELLED


def test_unknown_access_is_an_ar_ko_with_the_reason(world, loop):
    ServedAccess.objects.filter(peer=loop.oc).delete()  # the OI no longer knows the line
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    sig = oc_side(loop)
    assert sig.status == S.REJECTED and "ACCES_INCONNU" in sig.rejection_reason and not sig.oi_reference
    assert not Signalisation.objects.filter(role="oi").exists()
    assert loop.ticket.timeline.filter(body__contains="AR KO").exists()


def test_invalid_documents_get_a_ko_and_are_archived(world, loop, live_server):
    url = live_server.url + "/tmf-api/interop/sav-ftth/v2"
    headers = {"Authorization": f"Token {loop.oc_key}", "Content-Type": "application/xml"}
    bad = b"<CreateTroubleTicketByValueRequest xmlns='urn:softwhere:interop:sav-ftth:v2.0'><Oops/></CreateTroubleTicketByValueRequest>"
    response = httpx.post(url, content=bad, headers=headers)
    ack = v2_xml.parse_ack(response.content)
    assert ack["Result"] == "KO" and ack["ErrorCode"] == "FORMAT_CHAMP" and "OiTicketId" not in ack
    record = InteropMessage.objects.get(direction="in", protocol=Protocol.V2)
    assert record.status == MessageStatus.REJECTED and record.raw == bad.decode()
    entity = b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"
    assert (
        v2_xml.parse_ack(httpx.post(url, content=entity, headers=headers).content)["ErrorCode"] == "FICHIER_ILLISIBLE"
    )
    anonymous = httpx.post(url, content=bad, headers={"Content-Type": "application/xml"})
    assert anonymous.status_code in (401, 403)


def test_transaction_from_the_wrong_side_is_refused(world, loop):
    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump()
    # The OC may not send CASE SOLVED NOTIFICATION: the OI's endpoint answers KO.
    actions.outbound._http_message(
        peer=loop.oi,
        protocol=Protocol.V2,
        kind=MessageKind.CLOSURE,
        method="POST",
        url=loop.oi.endpoint_url,
        body=v2_xml.build_request(
            {
                "OcId": "SWDK",
                "OiId": "OIFI",
                "OcTicketId": sig.oc_reference,
                "Closure": {"Code": "RET01", "Responsibility": "OI", "Time": sig.created_at},
            },
            lifecycle.SOLVED,
        ),
        content_type=v2_xml.CONTENT_TYPE,
        signalisation=sig,
        extra={"transaction": lifecycle.SOLVED},
    )
    pump()
    assert oi_side(loop).status == S.ACKNOWLEDGED
    assert loop.ticket.timeline.filter(body__contains="non autorisée").exists()
