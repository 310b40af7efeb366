"""Two desk roles on one database: « SoftWhere » (OC, code SWDK) and « Fibre Infra » (OI, code OIFI).

The desk talks to itself through real transports on loopback: an aiosmtpd server
filing mails into a Maildir spool for v1.0a, Django's live server for v2.0 and TMF621.
Each side has its own peer row (the other operator as it sees it) and API user.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone
from rest_framework.test import APIClient

from softwhere.accounts.choices import Role as UserRole
from softwhere.accounts.models import ApiToken
from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.interop.adapters.mail import Spool, SpoolHandler
from softwhere.interop.choices import Role
from softwhere.interop.inbound import poll_spool
from softwhere.interop.models import InteropPeer, ServedAccess
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.jobs.worker import Worker
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.models import Ticket

PTO = "FI-1234-5678"
PRESTATION = "VIA0A0000000B0001"
OC_MAIL, OI_MAIL = "sav-ftth@softwhere.example", "sav-ftth@fibre-infra.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(tmp_path: Any) -> Iterator[SimpleNamespace]:
    """A real SMTP server on loopback; every mail lands in the spool that ``poll_spool`` reads."""
    spool = Spool(tmp_path / "inbox")
    port = free_port()
    ns = SimpleNamespace(spool=spool, port=port, controller=None, running=False)

    def start() -> None:  # a Controller cannot be restarted: a new one on the same port
        ns.controller = Controller(SpoolHandler(spool), hostname="127.0.0.1", port=port)
        ns.controller.start()
        ns.running = True

    def stop() -> None:
        ns.controller.stop()
        ns.running = False

    ns.start, ns.stop = start, stop
    start()
    try:
        yield ns
    finally:
        if ns.running:
            stop()


def make_loop(
    world: Any, protocol: str, *, smtp_port: int | None = None, base_url: str = "", callback_base: str = ""
) -> SimpleNamespace:
    """Both peers of the loopback pair for ``protocol``, the served access, and a fibre ticket being worked.

    ``base_url`` serves the web services; ``callback_base`` (default: the same) is where our TMF listener is.
    """
    oc_user = t.make_user(UserRole.PARTNER, world.operator, "interop-swdk")  # how the OC is seen at the OI
    oi_user = t.make_user(UserRole.PARTNER, world.operator, "interop-oifi")  # how the OI is seen at the OC
    _, oc_key = ApiToken.issue(oc_user, "interop")
    _, oi_key = ApiToken.issue(oi_user, "interop")
    endpoints = {
        "v2.0": "/tmf-api/interop/sav-ftth/v2",
        "interop-tmf621": "/tmf-api/interop/troubleTicket/v1",
    }
    endpoint = base_url + endpoints.get(protocol, "") if base_url else ""
    oi = InteropPeer(
        name="Fibre Infra",
        code="OIFI",
        peer_role=Role.OI,
        protocol=protocol,
        local_code="SWDK",
        mail_address=OI_MAIL,
        local_mail_address=OC_MAIL,
        smtp_host="127.0.0.1" if smtp_port else "",
        smtp_port=smtp_port,
        endpoint_url=endpoint,
        callback_url=((callback_base or base_url) + endpoints["interop-tmf621"] + "/listener") if base_url else "",
        auth_token=oc_key,
        inbound_user=oi_user,
    )
    oi.full_clean()
    oi.save()
    oc = InteropPeer(
        name="SoftWhere",
        code="SWDK",
        peer_role=Role.OC,
        protocol=protocol,
        local_code="OIFI",
        mail_address=OC_MAIL,
        local_mail_address=OI_MAIL,
        smtp_host="127.0.0.1" if smtp_port else "",
        smtp_port=smtp_port,
        endpoint_url=endpoint,
        auth_token=oi_key,
        inbound_user=oc_user,
    )
    oc.full_clean()
    oc.save()
    for peer in (oi, oc):
        ServedAccess.objects.create(
            peer=peer, access=world.acme_access, reference_prise=PTO, reference_prestation=PRESTATION
        )
    ticket = ticket_actions.create_ticket(
        actor=world.n1,
        organisation=world.acme,
        site=world.acme_site,
        subject="Plus de synchro fibre",
        service_state="interrompu",
        services=[world.acme_access],
        reporter=world.acme_contact,
        case=ResolutionCase.objects.get(pk="incident_materiel_ont"),
    )
    ticket = ticket_actions.transition_ticket(ticket, "take", actor=world.n1)
    ticket_actions.record_led_reading(
        ticket,
        actor=world.n1,
        device="ont",
        phase="after",
        states={"power": "vert_fixe", "pon": "eteint", "los": "rouge_clignotant", "lan": "vert_fixe"},
    )
    return SimpleNamespace(oi=oi, oc=oc, ticket=ticket, oc_user=oc_user, oi_user=oi_user, oc_key=oc_key, oi_key=oi_key)


@pytest.fixture(scope="session")
def oi_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated desk database, copied by every second desk instance (one ``migrate`` per session)."""
    from .instances import migrated_database

    return migrated_database(tmp_path_factory.mktemp("oi-template"))


def run_jobs(limit: int = 50) -> int:
    return Worker().run_pending(limit=limit)


def pump(spool: Spool | None = None, rounds: int = 6) -> None:
    """Deliver everything due and ingest what arrived, until both sides are quiet."""
    for _ in range(rounds):
        ran = run_jobs()
        got = poll_spool(spool) if spool is not None else []
        if not ran and not got:
            return


def pending_jobs() -> list[ScheduledJob]:
    return list(ScheduledJob.objects.filter(status=JobStatus.PENDING, kind="interop.send"))


def later(minutes: int = 5) -> Any:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def client_for(user: Any) -> APIClient:
    """An API client authenticated like a partner's system: a desk API token of ``user``."""
    _, key = ApiToken.issue(user, "tmf")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def merge_patch(client: APIClient, url: str, body: dict[str, Any]) -> Any:
    return client.generic("PATCH", url, json.dumps(body), content_type="application/merge-patch+json")


def created(response: Any, base: str) -> tuple[dict[str, Any], Ticket]:
    """A TMF creation answered 201: its body and the desk ticket; ``Location`` and ``href`` name that ticket."""
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get(reference=body["id"])
    assert response["Location"] == f"{base}/troubleTicket/{ticket.reference}" == body["href"]
    return body, ticket
