"""Carrier response deadlines and end-of-observation closure, executed by the worker."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from softwhere.catalogue.models import ResolutionCase
from softwhere.jobs.models import ScheduledJob
from softwhere.sla.models import Carrier, CarrierEscalation
from softwhere.tickets import actions
from softwhere.tickets.choices import TicketStatus, TimelineKind
from softwhere.tickets.models import Ticket

from .conftest import paris

Committed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def ticket(world: Any, committed: Committed) -> Ticket:
    """An interrupted fibre ticket, qualified and taken on Monday 30 November 2026 at 09:00."""
    case = ResolutionCase.objects.order_by("number").first()
    with time_machine.travel(paris("2026-11-30 09:00"), tick=False), committed():
        created = actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            site=world.acme_site,
            subject="Plus de synchro fibre",
            service_state="interrompu",
            services=[world.acme_access],
            case=case,
        )
        return actions.transition_ticket(created, "take", actor=world.n1)


def wait_carrier(ticket: Ticket, world: Any, committed: Committed, at: str, carrier: str) -> Ticket:
    with time_machine.travel(paris(at), tick=False), committed():
        return actions.transition_ticket(
            ticket, "wait_carrier", actor=world.n1, carrier=carrier, carrier_ticket_reference="TT-778812"
        )


@pytest.mark.parametrize(
    ("carrier", "recorded", "hours"),
    [
        ("France Télécom", "Orange", 48),
        ("orange", "Orange", 48),
        ("FT", "Orange", 48),
        ("SFR", "SFR", 72),
        ("Opérateur inconnu", "Opérateur inconnu", 72),
    ],
)
def test_escalation_deadline_per_carrier(
    world: Any, committed: Committed, ticket: Ticket, carrier: str, recorded: str, hours: int
) -> None:
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", carrier)
    escalation = CarrierEscalation.objects.get(ticket=ticket)
    assert (escalation.carrier, escalation.response_hours) == (recorded, hours)
    assert escalation.due_at == paris("2026-11-30 10:00") + timedelta(hours=hours)
    assert escalation.carrier_ticket_reference == "TT-778812"


def test_carrier_deadline_alert_raised_once_by_worker(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", "France Télécom")
    with time_machine.travel(paris("2026-12-02 09:59"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.alerts == ""
    with time_machine.travel(paris("2026-12-02 10:01"), tick=False):
        assert run_worker() >= 1
        run_worker()  # nothing left to do: the alert is not raised twice
    ticket.refresh_from_db()
    assert ticket.alerts == (
        "Délai de réponse Orange dépassé (48 h) : réponse attendue avant le 02/12/2026 10:00, ticket opérateur TT-778812."
    )
    change = ticket.timeline.filter(kind=TimelineKind.FIELD_CHANGE).get()
    assert change.author is not None and change.author.username == "systeme"
    assert CarrierEscalation.objects.get(ticket=ticket).alerted_at == paris("2026-12-02 10:01")


def test_existing_alerts_are_kept(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    with committed():
        actions.update_ticket(ticket, actor=world.n1, alerts="Client VIP")
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", "SFR")
    with time_machine.travel(paris("2026-12-03 10:01"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.alerts.splitlines()[0] == "Client VIP"
    assert ticket.alerts.splitlines()[1].startswith("Délai de réponse SFR dépassé (72 h)")


def test_no_alert_once_the_ticket_left_waiting_carrier(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", "Orange")
    with time_machine.travel(paris("2026-12-01 16:00"), tick=False), committed():
        actions.transition_ticket(ticket, "resume", actor=world.n1)
    with time_machine.travel(paris("2026-12-05 10:00"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.alerts == ""
    escalation = CarrierEscalation.objects.get(ticket=ticket)
    assert escalation.ended_at == paris("2026-12-01 16:00")
    assert not escalation.is_overdue()


def test_carrier_calendar_and_hours_are_configurable(world: Any, committed: Committed, ticket: Ticket) -> None:
    Carrier.objects.create(name="Kosc", response_hours=8, calendar_id="business-hours")
    wait_carrier(ticket, world, committed, "2026-11-30 15:00", "Kosc Telecom")
    escalation = CarrierEscalation.objects.get(ticket=ticket)
    assert (escalation.carrier, escalation.due_at) == ("Kosc", paris("2026-12-01 13:00"))


def test_carrier_falls_back_to_the_access_carrier(world: Any, committed: Committed, ticket: Ticket) -> None:
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", "")  # no carrier given: the access is Orange
    assert CarrierEscalation.objects.get(ticket=ticket).carrier == "Orange"


def observe(ticket: Ticket, world: Any, committed: Committed, at: str, until: str | None) -> Ticket:
    with time_machine.travel(paris(at), tick=False), committed():
        return actions.transition_ticket(
            ticket, "observe", actor=world.n1, observation_until=paris(until) if until else None
        )


def test_observation_closes_automatically_at_its_end(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    observe(ticket, world, committed, "2026-11-30 11:00", "2026-12-02 11:00")
    with time_machine.travel(paris("2026-12-02 10:59"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OBSERVATION
    with time_machine.travel(paris("2026-12-02 11:00"), tick=False):
        run_worker()
        run_worker()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (TicketStatus.CLOSED, paris("2026-12-02 11:00"))
    closing = ticket.timeline.filter(kind=TimelineKind.STATUS, data__transition="close").get()
    assert closing.author is not None and closing.author.username == "systeme"
    assert "fin de la période d'observation" in closing.body


def test_observation_without_end_uses_default_period(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    observe(ticket, world, committed, "2026-11-30 11:00", None)
    job = ScheduledJob.objects.get(kind="sla.observation_close")
    assert job.due_at == paris("2026-12-01 11:00")
    with time_machine.travel(paris("2026-12-01 11:00"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_reopened_ticket_is_not_closed_at_the_old_observation_end(
    world: Any, committed: Committed, ticket: Ticket, run_worker: Callable[[], int]
) -> None:
    observe(ticket, world, committed, "2026-11-30 11:00", "2026-12-02 11:00")
    with time_machine.travel(paris("2026-12-01 09:00"), tick=False), committed():
        actions.transition_ticket(ticket, "reopen", actor=world.client_user, reason="Nouvelle coupure ce matin")
    observe(ticket, world, committed, "2026-12-01 15:00", "2026-12-04 15:00")
    with time_machine.travel(paris("2026-12-02 11:00"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OBSERVATION  # the first period's job did nothing
    with time_machine.travel(paris("2026-12-04 15:00"), tick=False):
        run_worker()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.timeline.filter(kind=TimelineKind.STATUS, data__transition="close").count() == 1


def test_each_wait_for_the_carrier_is_its_own_escalation(world: Any, committed: Committed, ticket: Ticket) -> None:
    """Periods are read from the status changes of the timeline: waiting, resumed, waiting again (still open)."""
    wait_carrier(ticket, world, committed, "2026-11-30 10:00", "Orange")
    with time_machine.travel(paris("2026-11-30 15:00"), tick=False), committed():
        actions.transition_ticket(ticket, "resume", actor=world.n1)
    wait_carrier(ticket, world, committed, "2026-12-01 09:00", "Orange")
    periods = list(CarrierEscalation.objects.filter(ticket=ticket).order_by("started_at").values_list(
        "started_at", "ended_at"
    ))
    assert periods == [
        (paris("2026-11-30 10:00"), paris("2026-11-30 15:00")),
        (paris("2026-12-01 09:00"), None),
    ]
