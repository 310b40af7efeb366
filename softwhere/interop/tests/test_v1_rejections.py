"""Malformed or unacceptable v1.0a input: the documented KO reason, the original archived whole, no ticket."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from softwhere.interop import actions, inbound
from softwhere.interop.adapters import mail
from softwhere.interop.choices import Direction, MessageKind, MessageStatus, Protocol
from softwhere.interop.models import InteropMessage, Signalisation
from softwhere.interop.services import v1_csv
from softwhere.interop.services.codes import Reason

from .conftest import OC_MAIL, OI_MAIL, PRESTATION, PTO, make_loop

HEADER = ";".join(v1_csv.DEPOSIT.names)
GOOD = [
    PRESTATION,
    PTO,
    "SWDK-2605000001-01",
    "20260105",
    "COUPURE",
    "PBO",
    "MARTIN",
    "Claire",
    "0612345678",
    "",
    "",
    "",
    "Plus de signal",
]


def deposit_file(row: list[str]) -> bytes:
    return f"{HEADER}\r\n{';'.join(row)}\r\n".encode()


def variant(**changes: str) -> list[str]:
    row = list(GOOD)
    for name, value in changes.items():
        row[v1_csv.DEPOSIT.names.index(name)] = value
    return row


CASES = {
    "wrong column count": (GOOD[:11], Reason.FIELD_COUNT, "11 champs au lieu de 13"),
    "missing mandatory field": (variant(NomClient=""), Reason.MANDATORY, "NomClient absent"),
    "bad date": (variant(DateIncidClientFinal="20260231"), Reason.BAD_DATE, "DateIncidClientFinal"),
    "unknown access": (
        variant(ReferencePrise="FI-9999-9999", ReferencePrestationPrise=""),
        Reason.UNKNOWN_ACCESS,
        "accès absent du parc",
    ),
}


@pytest.fixture
def loop(world):
    return make_loop(world, Protocol.V1, smtp_port=1)  # nothing is delivered in these tests


@pytest.mark.parametrize("case", list(CASES))
def test_deposit_rejections_give_an_ar_ko_with_the_reason_and_archive_the_input(world, loop, case):
    row, code, text = CASES[case]
    content = deposit_file(row)
    raw = mail.build_mail(
        sender=OC_MAIL,
        recipient=OI_MAIL,
        subject="SAV FTTH - DEPOTSAV_SWDK_OIFI.csv",
        body="x",
        filename="DEPOTSAV_SWDK_OIFI.csv",
        attachment=content,
    )
    [record] = inbound.ingest_mail(raw)
    assert record.status == MessageStatus.REJECTED and record.kind == MessageKind.DEPOSIT
    assert record.reason.startswith(f"{code} : ligne 2 : ") and text in record.reason
    assert record.raw == raw.decode()  # the whole mail, as received
    assert not Signalisation.objects.filter(role="oi").exists()
    [ack] = InteropMessage.objects.filter(direction=Direction.OUTBOUND, kind=MessageKind.ACK)
    [ack_row] = ack.parsed["rows"]
    assert ack_row["ResultatAR"] == "KO" and ack_row["IdTicketOI"] == "" and ack_row["MotifRefus"].startswith(code)
    assert ack.subject.startswith("SAV FTTH - ARSAV_OIFI_SWDK_")

    # The CLI prints the same acknowledgement, without writing anything.
    path = f"/tmp/interop-{case.replace(' ', '-')}.csv"
    with open(path, "wb") as fh:
        fh.write(content)
    out = StringIO()
    call_command("interop", "v1", "check", path, stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"result", "reasons", "tickets"}
    assert result["result"] == "KO" and result["reasons"][0].startswith(code) and text in result["reasons"][0]
    assert InteropMessage.objects.count() == 2


def test_cli_check_ok_lists_the_ticket(world, loop, tmp_path):
    path = tmp_path / "DEPOTSAV_SWDK_OIFI_20260105120000_0001.csv"
    path.write_bytes(deposit_file(GOOD))
    out = StringIO()
    call_command("interop", "v1", "check", str(path), "--peer", "swdk", stdout=out)
    result = json.loads(out.getvalue())
    assert result == {
        "result": "OK",
        "reasons": [],
        "tickets": [
            {
                "line": 2,
                "ReferenceSigSAVRaccoOC": GOOD[2],
                "ReferencePrise": PTO,
                "ReferencePrestationPrise": PRESTATION,
                "IdTicketOI": None,
                "result": "OK",
                "reasons": [],
            }
        ],
    }
    inbound.ingest_v1_file(loop.oc, path.read_bytes(), path.name)
    out = StringIO()
    call_command("interop", "v1", "check", str(path), stdout=out)
    assert json.loads(out.getvalue())["tickets"][0]["IdTicketOI"] == Signalisation.objects.get(role="oi").oi_reference


def closure_file(sig: Signalisation, code: str, location: str) -> bytes:
    header = ";".join(v1_csv.CLOSURE.names)
    row = [sig.oc_reference, "OIFI2601050001", "", PTO, "20260106100000", code, "OI", location, "fait"]
    return f"{header}\r\n{';'.join(row)}\r\n".encode()


@pytest.mark.parametrize(
    ("code", "location", "reason"),
    [
        ("ANN01", "", Reason.CLOSURE_CODE),
        ("ABS01", "PBO", Reason.LOCATION_NOT_RET),
        ("STT01", "PTO", Reason.LOCATION_NOT_RET),
    ],
)
def test_closure_rejections_are_archived_and_shown_on_the_ticket(world, loop, code, location, reason):
    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    actions.oc_receive_ack(sig, ok=True, oi_reference="OIFI2601050001")
    content = closure_file(sig, code, location)
    record = inbound.ingest_v1_file(loop.oi, content, "CLOTSAV_OIFI_SWDK_20260106100000_0001.csv")
    assert record.status == MessageStatus.REJECTED and record.reason.startswith(f"{reason} : ligne 2 : ")
    assert record.raw == content.decode() and record.signalisation == sig and record.ticket == loop.ticket
    sig.refresh_from_db()
    assert sig.status == "acknowledged" and not sig.closure_code
    assert loop.ticket.timeline.filter(body__contains=reason).exists()
    path = f"/tmp/interop-closure-{code}.csv"
    with open(path, "wb") as fh:
        fh.write(content)
    out = StringIO()
    call_command("interop", "v1", "check", path, stdout=out)
    result = json.loads(out.getvalue())
    assert result["result"] == "KO" and result["reasons"][0].startswith(reason)


def test_closure_for_an_unknown_signalisation(world, loop):
    header = ";".join(v1_csv.CLOSURE.names)
    content = f"{header}\r\nINCONNUE-1;OIFI1;;{PTO};20260106100000;RET01;OI;PBO;\r\n".encode()
    record = inbound.ingest_v1_file(loop.oi, content, "CLOTSAV.csv")
    assert record.status == MessageStatus.REJECTED and record.reason.startswith(Reason.UNKNOWN_TICKET)


def test_mail_without_csv_is_archived(world, loop):
    from django.core.mail import EmailMessage

    raw = EmailMessage("SAV FTTH - DEPOTSAV.csv", "rien", OC_MAIL, [OI_MAIL]).message().as_bytes()
    [record] = inbound.ingest_mail(raw)
    assert record.status == MessageStatus.REJECTED and record.reason.startswith(Reason.FILE_UNREADABLE)


def test_abs_closure_hands_the_ticket_back_to_the_agent(world, loop):
    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")
    actions.oc_receive_ack(sig, ok=True, oi_reference="OIFI2601050001")
    loop.ticket.refresh_from_db()
    assert loop.ticket.status == "waiting_carrier"
    record = inbound.ingest_v1_file(loop.oi, closure_file(sig, "ABS01", ""), "CLOTSAV_OIFI_SWDK.csv")
    assert record.status == MessageStatus.PROCESSED
    sig.refresh_from_db()
    loop.ticket.refresh_from_db()
    assert (sig.status, sig.closure_code) == ("closed", "ABS01")
    assert loop.ticket.status == "in_progress"
    assert loop.ticket.timeline.filter(body__contains="Abonné absent au rendez-vous").exists()
