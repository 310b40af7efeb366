"""The SLA demo data: history for the monthly charts, an open GTR breach, an overdue carrier escalation."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from softwhere.accounts.models import User
from softwhere.demo.actions import load_demo
from softwhere.sla.choices import ClockKind, ClockState
from softwhere.sla.models import CarrierEscalation, SlaClock
from softwhere.sla.reports import add_months, month_of
from softwhere.tickets.choices import TicketStatus

from .conftest import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(committed: Callable[[], AbstractContextManager[Any]]) -> None:
    # Wednesday afternoon: "two business days ago" and the month history are well defined.
    with time_machine.travel(paris("2026-12-09 15:00"), tick=False), committed():
        load_demo()


def test_demo_sla_data(demo: None) -> None:
    """One test (the demo takes a while to load): history, open breach, overdue carrier, pages."""
    gtr = SlaClock.objects.filter(kind=ClockKind.GTR, stopped_at__isnull=False)
    months = {month_of(c.stopped_at) for c in gtr.filter(penalty_percent__gt=0) if c.stopped_at}
    december = month_of(paris("2026-12-09 15:00"))
    assert {add_months(december, -n) for n in (1, 3, 4)} <= months
    assert gtr.filter(state=ClockState.MET).count() >= 5
    assert set(gtr.values_list("penalty_percent", flat=True)) >= {0, 20, 40, 60, 100}
    assert not SlaClock.objects.filter(started_at__gt=paris("2026-12-09 15:00")).exists()

    open_breach = SlaClock.objects.get(kind=ClockKind.GTR, state=ClockState.BREACHED, stopped_at__isnull=True)
    assert open_breach.penalty_percent == 100 and open_breach.penalty_amount > Decimal("0")
    escalation = CarrierEscalation.objects.get(carrier="SFR", ended_at__isnull=True)
    assert escalation.ticket.status == TicketStatus.WAITING_CARRIER
    assert escalation.response_hours == 72
    assert escalation.is_overdue(paris("2026-12-09 15:00"))

    client = Client()
    with time_machine.travel(paris("2026-12-09 15:00"), tick=False):
        client.force_login(User.objects.get(username="superviseur"))
        carriers = client.get(reverse("sla:carriers"), {"hors_delai": "1"}).content.decode()
        response = client.get(reverse("sla:breached"))
        charts = client.get(reverse("sla:charts"))
    assert response.status_code == 200, response
    assert "Fibre siège coupée depuis avant-hier" in response.content.decode()
    assert "SFR-DEMO-48213" in carriers
    assert charts.status_code == 200
