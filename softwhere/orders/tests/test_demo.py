"""The demo dataset shows orders at several steps and a quoted portability mandate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from softwhere.demo.actions import load_demo
from softwhere.orders.choices import OrderStatus, StepState
from softwhere.orders.models import Order, PortabilityRequest

pytestmark = pytest.mark.django_db


def test_demo_orders_in_various_steps() -> None:
    load_demo()
    today = timezone.localdate()
    orders = {o.organisation.name: o for o in Order.objects.select_related("organisation")}
    fresh = orders["Cabinet Morel & Associés"]
    assert fresh.status == OrderStatus.RECEIVED
    assert [m.code for m in fresh.missing_items(today)] == ["rib"]
    study = orders["Hôtel des Chartrons"]
    assert study.steps_by_code()["study_findings"].state == StepState.IN_PROGRESS
    assert study.eligibility_hints()  # 3 900 m / 41 dB: pairs or desaturation
    full = orders["Transports Giraud & Fils"]
    assert full.link_delivered_on is not None and full.contest_deadline is not None and full.contest_deadline >= today
    request = PortabilityRequest.objects.get(order=full)
    assert request.total_eur == Decimal(100)  # NDI and its 9 SDA: one run in one block; 20-24: a second run
    assert full.expected_delivery_on is not None
