"""An alarm log captured outside the desk, joined as evidence: read as of its capture, refused when absurd."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from softwhere.core import testing as t
from softwhere.diagnostics import actions
from softwhere.diagnostics.choices import Vendor, Verdict
from softwhere.inventory.choices import EquipmentKind
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import ServiceState
from softwhere.tickets.transitions import TicketError

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
PARIS = ZoneInfo("Europe/Paris")


def test_captured_log_is_read_as_of_its_capture(world: SimpleNamespace) -> None:
    router = t.make_equipment(world.acme_site, kind=EquipmentKind.ROUTER)
    sheet = actions.save_service_sheet(router, actor=world.admin, admin_ip="10.0.0.1", vendor=Vendor.RAD_ETX)
    ticket = ticket_actions.create_ticket(
        actor=world.n1, organisation=world.acme, subject="x", service_state=ServiceState.DEGRADED, equipment=[router]
    )
    text = (DATA / "rad_etx_site1_alarm_log.txt").read_text()
    run = actions.record_alarm_log_capture(
        sheet, ticket=ticket, actor=world.n2, text=text, captured_at=datetime(2025, 6, 19, 10, 0, tzinfo=PARIS)
    )
    assert run.verdict == Verdict.STABLE and run.message.startswith("stable depuis le 16/06/2025")
    assert run.actor == world.n2 and run.raw_output == text and run.timeline_entry is not None
    with pytest.raises(ValidationError):
        actions.record_alarm_log_capture(sheet, ticket=ticket, actor=world.n2, text="  ")
    with pytest.raises(ValidationError):
        actions.record_alarm_log_capture(
            sheet, ticket=ticket, actor=world.n2, text=text, captured_at=timezone.now() + timedelta(hours=1)
        )
    with pytest.raises(TicketError):
        actions.record_alarm_log_capture(sheet, ticket=ticket, actor=world.adv, text=text)
    garbage = actions.record_alarm_log_capture(sheet, ticket=ticket, actor=world.n2, text="bonjour\n42\n")
    assert garbage.verdict == Verdict.UNKNOWN and garbage.error_code == "unknown_format"
