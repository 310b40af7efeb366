"""Two desk instances on loopback, v1.0a through real SMTP both ways: this test process is the OC, the OI is
another desk (its own SQLite database, its ``interop smtpd`` receiving mail and its job ``worker`` sending the
answers, both running as processes), worked by its agent through the ``softwhere interop oi`` CLI.

deposit → AR OK → appointment request, proposals, confirmation → closure RET: the OC's desk ticket closes itself
with the whole exchange in its timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from softwhere.interop import actions
from softwhere.interop.choices import Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, Signalisation
from softwhere.interop.services import formats
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import OC_MAIL, OI_MAIL, make_loop
from .instances import OiInstance, wait_for


@pytest.fixture
def oi_instance(tmp_path: Path, smtp: Any, oi_database: Path) -> Iterator[tuple[OiInstance, int]]:
    instance = OiInstance(tmp_path / "oi", template=oi_database)
    instance.setup(
        protocol=Protocol.V1,
        mail_address=OC_MAIL,
        local_mail_address=OI_MAIL,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
    )
    smtp_port = instance.smtpd()
    instance.start("worker", "--poll-interval", "0.3")
    try:
        yield instance, smtp_port
    finally:
        instance.stop()


def test_v1_round_trip_between_two_desk_instances(world, smtp, oi_instance):
    oi, oi_smtp_port = oi_instance
    loop = make_loop(world, Protocol.V1, smtp_port=oi_smtp_port)
    loop.oc.delete()  # this desk is only the OC here; the OI is the other instance

    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")

    def ours() -> Signalisation:
        return Signalisation.objects.get(pk=sig.pk)

    wait_for(lambda: ours().status == S.ACKNOWLEDGED, "AR OK", spool=smtp.spool)
    [row] = oi.queue()
    assert row["oc_reference"] == sig.oc_reference and row["reference"] == ours().oi_reference
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.WAITING_CARRIER

    oi.oi("take", row["reference"])
    oi.oi("info", row["reference"], "--type", "DEMANDE_RDV", "--text", "Dates indisponibles")
    wait_for(
        lambda: loop.ticket.timeline.filter(body__contains="Demande de rendez-vous").exists(),
        "appointment request",
        spool=smtp.spool,
    )
    dates = [formats.parse_slot("209901051400-1700"), formats.parse_slot("209901060900-1200")]
    actions.oc_send_information(ours(), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    wait_for(
        lambda: not InteropMessage.objects.filter(signalisation=sig, status="pending").exists(),
        "proposals sent",
        spool=smtp.spool,
    )
    oi.oi(
        "info",
        row["reference"],
        "--type",
        "CONFIRMATION_RDV",
        "--appointment",
        "209901060900-1200",
        "--appointment-id",
        "RDV-77",
    )
    wait_for(lambda: ours().appointment_id == "RDV-77", "appointment confirmation", spool=smtp.spool)
    oi.oi(
        "close",
        row["reference"],
        "--code",
        "RET01",
        "--responsibility",
        "OI",
        "--location",
        "PBO",
        "--comment",
        "Connecteur PBO remplacé",
    )
    wait_for(lambda: Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.CLOSED, "closure", spool=smtp.spool)

    assert (ours().status, ours().closure_code, ours().defect_location) == (S.CLOSED, "RET01", "PBO")
    [theirs] = oi.queue(everything=True)
    assert theirs["status"] == S.CLOSED  # closed on the OI's desk too, where our proposals arrived
    assert theirs["proposals"] == [d.to_json() for d in dates]
    ticket = Ticket.objects.get(pk=loop.ticket.pk)
    bodies = "\n".join(ticket.timeline.values_list("body", flat=True))
    for expected in (
        "déposée auprès de Fibre Infra",
        "AR OK",
        "Demande de rendez-vous",
        "Proposition de rendez-vous",
        "RDV retenu",
        "Clôture Fibre Infra RET01",
    ):
        assert expected in bodies
    kinds = list(InteropMessage.objects.filter(ticket=ticket).values_list("direction", "kind"))
    assert kinds.count(("out", "deposit")) == 1 and ("in", "ack") in kinds and ("in", "closure") in kinds
