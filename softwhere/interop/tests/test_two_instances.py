"""Two desk instances on loopback, v1.0a through real SMTP both ways: this test process is the OC, the OI is
another desk (its own SQLite database, its ``interop smtpd`` receiving mail and its job ``worker`` sending the
answers, both running as processes), worked by its agent through the ``softwhere interop oi`` CLI.

deposit → AR OK → appointment request, proposals, confirmation → closure RET: the OC's desk ticket closes itself
with the whole exchange in its timeline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from softwhere.interop import actions
from softwhere.interop.choices import Protocol
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.inbound import poll_spool
from softwhere.interop.models import InteropMessage, Signalisation
from softwhere.interop.services import formats
from softwhere.tickets.choices import TicketStatus
from softwhere.tickets.models import Ticket

from .conftest import OC_MAIL, OI_MAIL, PRESTATION, PTO, free_port, make_loop, run_jobs

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"

SETUP = """
from softwhere.accounts.choices import Role as UserRole
from softwhere.core import testing as t
from softwhere.interop.choices import Protocol, Role
from softwhere.interop.models import InteropPeer, ServedAccess
from softwhere.inventory.choices import AccessTechnology

org = t.make_organisation(name="Résidence Les Tilleuls")
site = t.make_site(org)
access = t.make_access(site, technology=AccessTechnology.FIBRE)
peer = InteropPeer(name="SoftWhere", code="SWDK", peer_role=Role.OC, protocol=Protocol.V1, local_code="OIFI",
                   mail_address="{oc_mail}", local_mail_address="{oi_mail}", smtp_host="127.0.0.1", smtp_port={port})
peer.full_clean()
peer.save()
ServedAccess.objects.create(peer=peer, access=access, reference_prise="{pto}", reference_prestation="{prestation}")
"""


class OiInstance:
    """The other desk: environment, background processes, and its CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "SOFTWHERE_DATABASE_URL": f"sqlite:///{root / 'oi.sqlite3'}",
            "SOFTWHERE_DATA_DIR": str(root),
            "DJANGO_SETTINGS_MODULE": "softwhere.settings",
        }
        self.env.pop("SOFTWHERE_ENV", None)
        self.processes: list[subprocess.Popen[bytes]] = []

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(MANAGE), *args], env=self.env, capture_output=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return done.stdout.decode()

    def start(self, *args: str) -> None:
        log = open(self.root / f"{args[0]}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen([sys.executable, str(MANAGE), *args], env=self.env, stdout=log, stderr=log)
        )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def queue(self) -> list[dict[str, Any]]:
        return list(json.loads(self.manage("interop", "oi", "list")))


@pytest.fixture
def oi_instance(tmp_path: Path, smtp: Any) -> Iterator[tuple[OiInstance, int]]:
    instance = OiInstance(tmp_path / "oi")
    instance.root.mkdir()
    instance.manage("migrate", "-v0")
    setup = SETUP.format(oc_mail=OC_MAIL, oi_mail=OI_MAIL, port=smtp.port, pto=PTO, prestation=PRESTATION)
    instance.manage("shell", "-c", setup)
    smtp_port = free_port()
    instance.start(
        "interop", "smtpd", "--port", str(smtp_port), "--spool", str(instance.root / "inbox"), "--poll-interval", "0.3"
    )
    instance.start("worker", "--poll-interval", "0.3")
    try:
        yield instance, smtp_port
    finally:
        instance.stop()


def wait_for(condition: Callable[[], Any], spool: Any, what: str, timeout: float = 60.0) -> Any:
    """Keep our side running (worker + mail intake) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_jobs()
        poll_spool(spool)
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timeout waiting for {what}")


def test_v1_round_trip_between_two_desk_instances(world, smtp, oi_instance):
    oi, oi_smtp_port = oi_instance
    loop = make_loop(world, Protocol.V1, smtp_port=oi_smtp_port)
    loop.oc.delete()  # this desk is only the OC here; the OI is the other instance

    sig = actions.escalate_to_oi(loop.ticket, actor=world.n1, preloc="PBO")

    def ours() -> Signalisation:
        return Signalisation.objects.get(pk=sig.pk)

    wait_for(lambda: ours().status == S.ACKNOWLEDGED, smtp.spool, "AR OK")
    [row] = oi.queue()
    assert row["oc_reference"] == sig.oc_reference and row["reference"] == ours().oi_reference
    assert Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.WAITING_CARRIER

    oi.manage("interop", "oi", "take", row["reference"])
    oi.manage("interop", "oi", "info", row["reference"], "--type", "DEMANDE_RDV", "--text", "Dates indisponibles")
    wait_for(
        lambda: loop.ticket.timeline.filter(body__contains="Demande de rendez-vous").exists(),
        smtp.spool,
        "appointment request",
    )
    dates = [formats.parse_slot("209901051400-1700"), formats.parse_slot("209901060900-1200")]
    actions.oc_send_information(ours(), actor=world.n1, info_type="PROPOSITION_RDV", proposals=dates)
    wait_for(
        lambda: not InteropMessage.objects.filter(signalisation=sig, status="pending").exists(),
        smtp.spool,
        "proposals sent",
    )
    oi.manage(
        "interop",
        "oi",
        "info",
        row["reference"],
        "--type",
        "CONFIRMATION_RDV",
        "--appointment",
        "209901060900-1200",
        "--appointment-id",
        "RDV-77",
    )
    wait_for(lambda: ours().appointment_id == "RDV-77", smtp.spool, "appointment confirmation")
    oi.manage(
        "interop",
        "oi",
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
    wait_for(lambda: Ticket.objects.get(pk=loop.ticket.pk).status == TicketStatus.CLOSED, smtp.spool, "closure")

    assert (ours().status, ours().closure_code, ours().defect_location) == (S.CLOSED, "RET01", "PBO")
    [theirs] = json.loads(oi.manage("interop", "oi", "list", "--all"))
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
