"""The demo dataset gives Transports Giraud a working hosted telephony, built through the actions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from softwhere.customers.models import Organisation
from softwhere.demo.actions import load_demo
from softwhere.telephony import actions
from softwhere.telephony.models import Calendar, CallGroup, Ivr, Line
from softwhere.telephony.services.calendar import PARIS
from softwhere.telephony.services.simulator import CallState

pytestmark = pytest.mark.django_db


def test_demo_company_has_sites_lines_group_ivr_and_calendars() -> None:
    load_demo()
    org = Organisation.objects.get(name="Transports Giraud & Fils")
    assert Line.objects.filter(organisation=org).count() == 6
    assert set(Calendar.objects.filter(organisation=org).values_list("name", flat=True)) == {"Horaires dépôt", "Agence"}
    group = CallGroup.objects.get(organisation=org)
    assert group.distribution == "cyclique" and group.members.count() == 3
    ivr = Ivr.objects.get(organisation=org)
    # A weekday at 10:00, key 1: the IVR hands the call to the group, which a member answers.
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() >= 5 or (day.month, day.day) in ((12, 25), (1, 1)):  # the calendar's closure days
        day += timedelta(days=1)
    sim = actions.simulate_call(
        org, ivr.number, datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS), state=CallState(keys="1")
    )
    assert sim.outcome.kind == "answered"
    assert any(group.name in step.text for step in sim.steps)
