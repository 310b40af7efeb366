"""v1.0a end to end through a real SMTP server on loopback: the desk as OC and as OI, mail + CSV both ways."""

from __future__ import annotations

from email import message_from_string, policy

import pytest

from softwhere.interop import actions, inbound
from softwhere.interop.choices import Direction, MessageKind, MessageStatus, Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, Signalisation
from softwhere.interop.services import formats, v1_csv
from softwhere.interop.services.formats import Slot
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import OC_MAIL, OI_MAIL, PTO, later, make_loop, pending_jobs, pump, run_jobs


@pytest.fixture
def loop(world, smtp):
    return make_loop(world, Protocol.V1, smtp_port=smtp.port)


def oi_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oi", peer=loop.oc)


def oc_side(loop) -> Signalisation:
    return Signalisation.objects.get(role="oc", peer=loop.oi)


def test_escalation_builds_the_deposit_from_the_ticket_and_mails_it(world, loop, smtp):
    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1)
    assert (sig.status, sig.reference_prise, sig.nature, sig.preloc) == (S.SUBMITTED, PTO, "COUPURE", "PTO")
    assert sig.oc_reference == f"SWDK-{loop.ticket.reference}-01"
    assert sig.client_last_name == world.acme_contact.last_name.upper() and sig.contact1 == "0142685300"
    assert len(sig.proposals) == 3  # from the site's (default) availabilities
    run_jobs()
    [(key, raw)] = smtp.spool.pending()
    mail = message_from_string(raw.decode(), policy=policy.default)
    assert mail["From"] == OC_MAIL and mail["To"] == OI_MAIL
    filename = mail["Subject"].removeprefix("SAV FTTH - ")
    assert mail["Subject"].startswith("SAV FTTH - DEPOTSAV_SWDK_OIFI_")
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == filename
    parsed = v1_csv.parse(attachment.get_payload(decode=True), filename)
    assert parsed.ok and parsed.rows[0].data["ReferenceSigSAVRaccoOC"] == sig.oc_reference
    # The journal keeps the mail exactly as sent.
    out = InteropMessage.objects.get(direction=Direction.OUTBOUND, kind=MessageKind.DEPOSIT)
    assert out.status == MessageStatus.SENT and out.ticket == loop.ticket and filename in out.raw


def test_round_trip_deposit_ack_appointment_closure_ret(world, loop, smtp):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump(smtp.spool)
    oi_sig, oc_sig = oi_side(loop), oc_side(loop)
    # AR OK: the OI's id comes back, the desk ticket waits for the carrier.
    assert oi_sig.status == S.ACKNOWLEDGED and oi_sig.oi_reference.startswith("OIFI")
    assert oc_sig.status == S.ACKNOWLEDGED and oc_sig.oi_reference == oi_sig.oi_reference
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    assert ticket.status == TicketStatus.WAITING_CARRIER and ticket.carrier_ticket_reference == oi_sig.oi_reference

    # Information exchange with an appointment: the OI asks for new dates, the OC proposes, the OI confirms.
    actions.oi_take_charge(oi_sig, actor=world.n2)
    actions.oi_send_information(oi_sig, actor=world.n2, info_type="DEMANDE_RDV", text="Créneaux indisponibles")
    pump(smtp.spool)
    new_dates = [formats.parse_slot("209901051400-1700"), formats.parse_slot("209901060900-1200")]
    actions.oc_send_information(
        oc_side(loop), actor=world.n1, info_type="PROPOSITION_RDV", text="Client dispo", proposals=new_dates
    )
    pump(smtp.spool)
    assert [Slot.from_json(p) for p in oi_side(loop).proposals] == new_dates
    actions.oi_send_information(
        oi_side(loop), actor=world.n2, info_type="CONFIRMATION_RDV", appointment=new_dates[1], appointment_id="RDV-42"
    )
    pump(smtp.spool)
    oc_sig = oc_side(loop)
    assert Slot.from_json(oc_sig.appointment) == new_dates[1] and oc_sig.appointment_id == "RDV-42"

    # Closure RET: the desk ticket resolves and closes itself.
    actions.oi_close(
        oi_side(loop),
        actor=world.n2,
        code="RET01",
        responsibility="OI",
        location="PBO",
        comment="Connecteur PBO remplacé",
    )
    pump(smtp.spool)
    oc_sig = oc_side(loop)
    assert (oc_sig.status, oc_sig.closure_code, oc_sig.responsibility, oc_sig.defect_location) == (
        S.CLOSED,
        "RET01",
        "OI",
        "PBO",
    )
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    assert ticket.status == TicketStatus.CLOSED and "RET01" in ticket.resolution
    bodies = "\n".join(ticket.timeline.values_list("body", flat=True))
    for expected in (
        "déposée auprès de Fibre Infra",
        "AR OK",
        "Demande de rendez-vous",
        "RDV retenu",
        "Clôture Fibre Infra RET01",
    ):
        assert expected in bodies
    # Every message in and out is in the journal, on the ticket.
    kinds = list(InteropMessage.objects.filter(ticket=ticket).values_list("direction", "kind"))
    assert ("out", "deposit") in kinds and ("in", "ack") in kinds and ("in", "closure") in kinds
    assert ("in", "information") in kinds and ("out", "information") in kinds
    assert not pending_jobs()


def test_cancellation_round_trip(world, loop, smtp):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    pump(smtp.spool)
    actions.oc_cancel(oc_side(loop), actor=world.n1, reason_text="Le client a retrouvé le service")
    pump(smtp.spool)
    assert oc_side(loop).status == S.CANCELLATION_REQUESTED and oi_side(loop).status == S.CANCELLATION_REQUESTED
    actions.oi_close(oi_side(loop), actor=world.n2, code="STT02", responsibility="OC")
    pump(smtp.spool)
    assert oc_side(loop).status == S.CANCELLED and oi_side(loop).status == S.CANCELLED
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    assert ticket.status == TicketStatus.IN_PROGRESS  # back to the agent


def test_same_deposit_twice_makes_one_ticket_and_the_same_ack(world, loop, smtp):
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    run_jobs()
    [(key, raw)] = smtp.spool.pending()
    mail = message_from_string(raw.decode(), policy=policy.default)
    [attachment] = list(mail.iter_attachments())
    content = attachment.get_payload(decode=True)
    first = inbound.ingest_v1_file(loop.oc, content, attachment.get_filename())
    second = inbound.ingest_v1_file(loop.oc, content, attachment.get_filename())
    assert Signalisation.objects.filter(role="oi").count() == 1
    assert (first.status, second.status) == (MessageStatus.PROCESSED, MessageStatus.DUPLICATE)
    acks = InteropMessage.objects.filter(direction=Direction.OUTBOUND, kind=MessageKind.ACK).order_by("id")
    ids = [m.parsed["rows"][0]["IdTicketOI"] for m in acks]
    assert len(ids) == 2 and ids[0] == ids[1] == oi_side(loop).oi_reference
    # The same mail delivered twice (same Message-ID) is journaled once.
    smtp.spool.deliver(raw)
    inbound.poll_spool(smtp.spool)
    assert InteropMessage.objects.filter(direction=Direction.INBOUND, kind=MessageKind.DEPOSIT).count() == 3
    assert Signalisation.objects.filter(role="oi").count() == 1


def test_escalation_is_idempotent_while_open(world, loop):
    first = actions.escalate_to_oi(loop.ticket, actor=world.n1)
    assert actions.escalate_to_oi(loop.ticket, actor=world.n1) == first
    assert Signalisation.objects.count() == 1


def test_peer_down_the_message_waits_and_leaves_after_restart(world, loop, smtp):
    smtp.stop()
    actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    run_jobs()
    out = InteropMessage.objects.get(kind=MessageKind.DEPOSIT)
    assert out.status == MessageStatus.PENDING
    [job] = pending_jobs()
    assert job.attempts == 1 and "Connection refused" in job.last_error
    smtp.start()
    with later(minutes=2):  # a new worker process, after the backoff
        run_jobs()
    out.refresh_from_db()
    assert out.status == MessageStatus.SENT and len(smtp.spool.pending()) == 1


def test_unknown_sender_is_archived_and_rejected(world, loop, smtp):
    from softwhere.interop.adapters import mail

    raw = mail.build_mail(
        sender="intrus@example.org",
        recipient=OI_MAIL,
        subject="SAV FTTH - DEPOTSAV.csv",
        body="x",
        filename="DEPOTSAV.csv",
        attachment=b"a;b",
    )
    [record] = inbound.ingest_mail(raw)
    assert record.status == MessageStatus.REJECTED and record.reason.startswith("EMETTEUR_INCONNU")
    assert "intrus@example.org" in record.raw


def test_spool_gives_mails_in_arrival_order():
    """Maildir keys do not zero-pad the microseconds: « M99999 » arrived before « M123456 » in the same second."""
    from softwhere.interop.adapters.mail import _arrival

    keys = ["1796393253.M123456P1Q2.host", "1796393253.M99999P1Q1.host", "1796393252.M999999P1Q9.host"]
    assert sorted(keys, key=_arrival) == [keys[2], keys[1], keys[0]]
