"""The desk side: escalation from the API, the journal per ticket, notices (prévenances)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from softwhere.core.tests.api_client import api_client
from softwhere.interop import actions, inbound
from softwhere.interop.choices import Direction, MessageKind, MessageStatus, Protocol
from softwhere.interop.models import InteropMessage, Notice
from softwhere.interop.services import appointments, formats, v1_csv

from .conftest import make_loop, pump


@pytest.fixture
def loop(world, smtp):
    return make_loop(world, Protocol.V1, smtp_port=smtp.port)


def test_escalate_from_the_api_and_read_the_journal_of_the_ticket(world, loop, smtp):
    client = api_client(world.n1)
    response = client.post("/api/v1/interop/signalisations/", {"ticket": loop.ticket.reference, "preloc": "PBO"})
    assert response.status_code == 201, response.json()
    assert response.json()["peer"] == "OIFI" and response.json()["status"] == "submitted"
    pump(smtp.spool)
    journal = client.get("/api/v1/interop/messages/", {"ticket": loop.ticket.reference}).json()["results"]
    assert [(m["direction"], m["kind"], m["status"]) for m in journal] == [
        ("out", "deposit", "sent"),
        ("in", "ack", "processed"),
    ]
    assert journal[0]["raw"].startswith("Content-Type") or "DEPOTSAV" in journal[0]["raw"]
    assert api_client(world.client_user).get("/api/v1/interop/messages/").status_code == 403
    refused = client.post("/api/v1/interop/signalisations/", {"ticket": "0000000000"})
    assert refused.status_code == 404


def test_escalation_needs_a_served_fibre_access(world, loop):
    from softwhere.tickets import actions as ticket_actions

    other = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="Sans accès", service_state="degrade"
    )
    with pytest.raises(actions.InteropError) as exc:
        actions.escalate_to_oi(other, actor=world.n1)
    assert exc.value.code == "ACCES_INCONNU"


def test_maintenance_notice_reaches_the_oc_one_line_per_address(world, loop, smtp):
    start = datetime(2099, 3, 2, 22, 0, tzinfo=formats.PARIS)
    inbound.send_maintenance_notice(
        loop.oc,
        reference="TP-2099-01",
        pm="PM-69-0042",
        starts_at=start,
        ends_at=start.replace(hour=23),
        addresses=[("1 rue Garibaldi", "69007", "Lyon"), ("3 rue Garibaldi", "69007", "Lyon")],
        comment="Remplacement d'un coupleur",
    )
    pump(smtp.spool)
    notice = Notice.objects.get(direction=Direction.INBOUND, kind=MessageKind.MAINTENANCE)
    assert (notice.peer, notice.pm_reference, notice.starts_at) == (loop.oi, "PM-69-0042", start)
    assert [line["Adresse"] for line in notice.lines] == ["1 rue Garibaldi", "3 rue Garibaldi"]


def test_damage_notice_is_acknowledged_by_the_oi(world, loop, smtp):
    inbound.send_damage_notice(
        loop.oi,
        reference="DOM-1",
        pm="PM-69-0042",
        location="Colonne montante bât. B",
        contact_name="Gardien M. Petit",
        contact_phone="06 11 22 33 44",
        observed_on=date(2026, 1, 4),
        comment="Boîtier arraché",
    )
    pump(smtp.spool)
    received = Notice.objects.get(direction=Direction.INBOUND, kind=MessageKind.DAMAGE)
    sent = Notice.objects.get(direction=Direction.OUTBOUND, kind=MessageKind.DAMAGE)
    assert received.peer == loop.oc and sent.status == MessageStatus.PROCESSED
    assert sent.peer_reference == received.peer_reference and received.peer_reference.startswith("OIFID")
    ack = InteropMessage.objects.get(direction=Direction.OUTBOUND, kind=MessageKind.DAMAGE_ACK)
    assert ack.filename.startswith("ARPREVDOMMAGE_OIFI_SWDK_")
    with pytest.raises(actions.InteropError):
        inbound.send_damage_notice(
            loop.oi,
            reference="DOM-2",
            pm="PM-1",
            location="",
            contact_name="x",
            contact_phone="0611223344",
            observed_on=date(2026, 1, 4),
        )


def test_appointment_proposals_follow_opening_hours_and_skip_holidays():
    after = datetime(2026, 4, 30, 18, 0, tzinfo=formats.PARIS)  # Thursday; Fridays 1 and 8 May are public holidays
    slots = appointments.propose_slots({"lun": ["08:00-12:00"], "ven": ["14:00-18:00"], "sam": []}, after)
    assert [s.label() for s in slots] == ["04/05/2026 08:00–12:00", "11/05/2026 08:00–12:00", "15/05/2026 14:00–18:00"]
    assert len(appointments.propose_slots(None, after)) == 3


def test_check_of_a_whole_file_reports_each_line(world, loop):
    header = ";".join(v1_csv.DEPOSIT.names)
    good = "VIA0A0000000B0001;FI-1234-5678;SWDK-1;20260105;COUPURE;PBO;MARTIN;;0612345678;;;;"
    bad = "VIA0A0000000B0001;FI-1234-5678;SWDK-2;20260105;COUPURE;PBO;;;0612345678;;;;"
    result = inbound.check_v1_file(f"{header}\r\n{good}\r\n{bad}\r\n".encode(), "DEPOTSAV.csv")
    assert result["result"] == "KO" and [t["result"] for t in result["tickets"]] == ["OK", "KO"]
    assert result["reasons"] == ["CHAMP_OBLIGATOIRE : ligne 3 : NomClient absent"]
