"""The demo gateway: configured peers, an escalated fibre ticket waiting for its OI with a journal, an OI queue."""

from __future__ import annotations

import pytest

from softwhere.demo.actions import load_demo
from softwhere.interop.choices import MessageStatus
from softwhere.interop.choices import SignalisationStatus as S
from softwhere.interop.models import InteropMessage, InteropPeer, Signalisation
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.tickets.choices import TicketStatus

pytestmark = pytest.mark.django_db


def test_demo_gateway():
    load_demo()
    assert set(InteropPeer.objects.values_list("code", flat=True)) == {"ALFI", "RTHD", "DPHT"}
    assert InteropPeer.objects.get(code="RTHD").auth_token == "demo-jeton-non-secret"
    ours = Signalisation.objects.get(role="oc")
    assert (ours.status, ours.oi_reference, ours.appointment_id) == (S.ACKNOWLEDGED, "ALFI-SAV-20417", "RDV-ALFI-881")
    ticket = ours.ticket
    assert ticket.status == TicketStatus.WAITING_CARRIER and ticket.carrier_ticket_reference == "ALFI-SAV-20417"
    kinds = list(InteropMessage.objects.filter(ticket=ticket).values_list("direction", "kind", "status"))
    assert kinds == [("out", "deposit", "sent"), ("in", "ack", "processed"), ("in", "information", "processed")]
    assert Signalisation.objects.get(role="oi").status == S.ACKNOWLEDGED  # waits in the OI work queue
    assert not InteropMessage.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.FAILED]).exists()
    assert not ScheduledJob.objects.filter(kind="interop.send", status=JobStatus.PENDING).exists()
