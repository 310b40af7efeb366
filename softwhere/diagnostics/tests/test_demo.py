"""The demo dataset gives the demo routers their service sheets and the fibre ticket a past check."""

from __future__ import annotations

import pytest

from softwhere.demo.actions import load_demo
from softwhere.diagnostics.choices import Verdict
from softwhere.diagnostics.models import Bastion, DiagnosticRun, ServiceSheet
from softwhere.tickets.choices import TimelineKind

pytestmark = pytest.mark.django_db


def test_demo_sheets_and_past_run() -> None:
    load_demo()
    assert ServiceSheet.objects.count() == 5
    assert Bastion.objects.get().is_default
    run = DiagnosticRun.objects.get()
    assert run.ticket is not None and run.verdict == Verdict.STABLE
    assert run.message.startswith("stable depuis le") and run.via == "relevé fourni par un agent"
    assert run.ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).count() == 1
    assert "demo-routeurs" not in str(ServiceSheet.objects.values()) and "demo-rebond" not in run.raw_output
