"""Clocks driven by real ticket actions and the worker: GTR, pause/resume, first response, breach, penalty."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from softwhere.catalogue.models import ResolutionCase
from softwhere.core import testing as t
from softwhere.inventory.choices import AccessTechnology, GtrOption
from softwhere.jobs.models import ScheduledJob
from softwhere.sla.models import SlaClock, SlaPolicy
from softwhere.tickets import actions
from softwhere.tickets.choices import Priority, Visibility
from softwhere.tickets.models import Ticket

from .conftest import paris

Committed = Callable[[], AbstractContextManager[Any]]


def open_ticket(world: Any, committed: Committed, at: str, **kw: Any) -> Ticket:
    with time_machine.travel(paris(at), tick=False), committed():
        return actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            site=world.acme_site,
            subject=kw.pop("subject", "Lien fibre coupé"),
            service_state=kw.pop("service_state", "interrompu"),
            services=kw.pop("services", [world.acme_access]),
            **kw,
        )


def act(committed: Committed, at: str, func: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    with time_machine.travel(paris(at), tick=False), committed():
        return func(*args, **kw)


def clocks(ticket: Ticket) -> dict[str, SlaClock]:
    return {c.kind: c for c in SlaClock.objects.filter(ticket=ticket)}


def test_ticket_creation_starts_gtr_first_response_and_resolution(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-27 17:00")
    found = clocks(ticket)
    assert set(found) == {"gtr", "first_response", "resolution"}
    gtr = found["gtr"]
    assert (gtr.calendar, gtr.target_minutes, gtr.state) == ("business-hours", 240, "running")
    assert gtr.due_at == paris("2026-11-30 11:00")  # seed 001's Friday example
    assert gtr.access_id == world.acme_access.pk
    assert gtr.monthly_fee == Decimal("250.00")
    policy = SlaPolicy.objects.get(priority=Priority.P3)
    assert found["resolution"].target_minutes == policy.resolution_minutes
    assert found["first_response"].due_at == paris("2026-11-30 11:00")  # P3: 4 business hours


@pytest.mark.parametrize(
    ("technology", "gtr_option", "service_state", "gtr_calendar"),
    [
        (AccessTechnology.FIBRE, GtrOption.STANDARD, "interrompu", "business-hours"),
        (AccessTechnology.SDSL, GtrOption.STANDARD, "interrompu", "business-hours"),
        (AccessTechnology.FIBRE, GtrOption.EXTENDED, "interrompu", "24x7"),
        (AccessTechnology.FIBRE, GtrOption.STANDARD, "secours_actif", "business-hours"),
        (AccessTechnology.FIBRE, GtrOption.STANDARD, "degrade", None),  # a degraded link is not covered
        (AccessTechnology.FIBRE, GtrOption.NONE, "interrompu", None),
        (AccessTechnology.ADSL, GtrOption.NONE, "interrompu", None),  # ADSL has no GTR
    ],
)
def test_gtr_applies_only_to_interrupted_sdsl_and_fibre(
    world: Any, committed: Committed, technology: str, gtr_option: str, service_state: str, gtr_calendar: str | None
) -> None:
    access = t.make_access(world.acme_site, technology, gtr_option=gtr_option)
    ticket = open_ticket(world, committed, "2026-11-27 17:00", services=[access], service_state=service_state)
    gtr = clocks(ticket).get("gtr")
    assert (gtr.calendar if gtr else None) == gtr_calendar
    if gtr_calendar == "24x7":
        assert gtr is not None and gtr.due_at == paris("2026-11-27 21:00")


def test_one_gtr_clock_per_guaranteed_access(world: Any, committed: Committed) -> None:
    second = t.make_access(world.acme_site, AccessTechnology.SDSL, monthly_fee=Decimal("90"))
    ticket = open_ticket(world, committed, "2026-11-30 09:00", services=[world.acme_access, second])
    gtr = SlaClock.objects.filter(ticket=ticket, kind="gtr").order_by("access_id")
    assert [c.access_id for c in gtr] == sorted([world.acme_access.pk, second.pk])


def test_waiting_client_pauses_every_clock_and_resume_restarts_them(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-30 09:00")
    act(committed, "2026-11-30 09:30", actions.transition_ticket, ticket, "take", actor=world.n1)
    act(
        committed,
        "2026-11-30 10:00",
        actions.transition_ticket,
        ticket,
        "wait_client",
        actor=world.n1,
        reason="Merci de redémarrer l'ONT",
    )
    paused = clocks(ticket)
    assert paused["gtr"].state == "paused"
    assert paused["gtr"].paused_since == paris("2026-11-30 10:00")
    assert paused["gtr"].due_at is None
    assert paused["gtr"].consumed_minutes == 60
    assert paused["resolution"].state == "paused"
    # The wait does not count: resuming on Tuesday at 14:00 leaves 3 of the 4 hours.
    act(committed, "2026-12-01 14:00", actions.transition_ticket, ticket, "resume", actor=world.n1)
    resumed = clocks(ticket)
    assert resumed["gtr"].state == "running"
    assert resumed["gtr"].paused_since is None
    assert resumed["gtr"].due_at == paris("2026-12-01 17:00")
    assert [
        (datetime.fromisoformat(x["start"]), datetime.fromisoformat(x["end"]), x["reason"])
        for x in resumed["gtr"].pauses
    ] == [(paris("2026-11-30 10:00"), paris("2026-12-01 14:00"), "waiting_client")]


def test_first_response_met_by_take(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-30 09:00")
    act(committed, "2026-11-30 09:20", actions.transition_ticket, ticket, "take", actor=world.n1)
    first = clocks(ticket)["first_response"]
    assert (first.state, first.stopped_at) == ("met", paris("2026-11-30 09:20"))
    assert clocks(ticket)["resolution"].state == "running"


@pytest.mark.parametrize(
    ("author", "visibility", "answered"),
    [("n1", Visibility.PUBLIC, True), ("n1", Visibility.INTERNAL, False), ("client_user", Visibility.PUBLIC, False)],
)
def test_first_response_by_public_desk_comment_only(
    world: Any, committed: Committed, author: str, visibility: str, answered: bool
) -> None:
    ticket = open_ticket(world, committed, "2026-11-30 09:00")
    act(
        committed,
        "2026-11-30 09:10",
        actions.add_comment,
        ticket,
        actor=getattr(world, author),
        body="Nous analysons l'incident.",
        visibility=visibility,
    )
    assert (clocks(ticket)["first_response"].state == "met") is answered


def test_late_first_response_is_breached(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-30 09:00", priority=Priority.P1)  # 30 minutes
    act(committed, "2026-11-30 09:45", actions.transition_ticket, ticket, "take", actor=world.n1)
    first = clocks(ticket)["first_response"]
    assert (first.state, first.breached_at, first.consumed_minutes) == ("breached", paris("2026-11-30 09:30"), 45)


def test_resolution_after_gtr_records_penalty(world: Any, committed: Committed) -> None:
    case = ResolutionCase.objects.order_by("number").first()
    ticket = open_ticket(world, committed, "2026-11-27 17:00", case=case)
    act(committed, "2026-11-30 08:05", actions.transition_ticket, ticket, "take", actor=world.n1)
    act(
        committed,
        "2026-11-30 14:00",
        actions.transition_ticket,
        ticket,
        "resolve",
        actor=world.n1,
        resolution="Carte OLT remplacée",
    )
    gtr = clocks(ticket)["gtr"]
    # Friday 17-18 + Monday 08-14 = 7 h: second tier (6h30 < T <= 8h30), 40 % of 250 €.
    assert (gtr.state, gtr.stopped_at, gtr.consumed_minutes) == ("breached", paris("2026-11-30 14:00"), 420)
    assert (gtr.penalty_percent, gtr.penalty_amount) == (40, Decimal("100.00"))
    assert gtr.breached_at == paris("2026-11-30 11:00")


def test_stopped_clock_is_frozen_against_later_fee_changes(world: Any, committed: Committed) -> None:
    case = ResolutionCase.objects.order_by("number").first()
    ticket = open_ticket(world, committed, "2026-11-27 17:00", case=case)
    act(committed, "2026-11-30 08:05", actions.transition_ticket, ticket, "take", actor=world.n1)
    act(committed, "2026-11-30 12:00", actions.transition_ticket, ticket, "resolve", actor=world.n1, resolution="OK")
    world.acme_access.monthly_fee = Decimal("1000")
    world.acme_access.save()
    act(committed, "2026-12-02 12:00", actions.add_comment, ticket, actor=world.n1, body="Suivi")
    assert clocks(ticket)["gtr"].penalty_amount == Decimal("50.00")  # 20 % of the fee at the time


def test_worker_marks_breach_at_due_time(world: Any, committed: Committed, run_worker: Callable[[], int]) -> None:
    ticket = open_ticket(world, committed, "2026-11-27 17:00")
    due_jobs = ScheduledJob.objects.filter(kind="sla.clock_due", payload__ticket_id=ticket.pk)
    assert due_jobs.exists()
    with time_machine.travel(paris("2026-11-30 10:59"), tick=False):
        run_worker()
        assert clocks(ticket)["gtr"].state == "running"
    with time_machine.travel(paris("2026-11-30 11:01"), tick=False):
        run_worker()
    gtr = clocks(ticket)["gtr"]
    assert (gtr.state, gtr.breached_at, gtr.stopped_at) == ("breached", paris("2026-11-30 11:00"), None)
    assert gtr.penalty_percent == 20
    # The worker follows the later tiers too: T passes 8h30 on Monday at 15:30.
    with time_machine.travel(paris("2026-11-30 15:31"), tick=False):
        run_worker()
    gtr = clocks(ticket)["gtr"]
    assert (gtr.consumed_minutes, gtr.penalty_percent, gtr.penalty_amount) == (511, 60, Decimal("150.00"))
    next_check = due_jobs.filter(status="pending", payload__clock_id=gtr.pk).get()
    assert next_check.due_at == paris("2026-11-30 17:00").replace(second=1)  # T reaches 10 h


def test_reopen_resumes_resolution_clock(world: Any, committed: Committed) -> None:
    case = ResolutionCase.objects.order_by("number").first()
    ticket = open_ticket(world, committed, "2026-11-30 09:00", case=case)
    act(committed, "2026-11-30 09:05", actions.transition_ticket, ticket, "take", actor=world.n1)
    act(committed, "2026-11-30 10:00", actions.transition_ticket, ticket, "resolve", actor=world.n1, resolution="OK")
    assert clocks(ticket)["resolution"].state == "met"
    act(committed, "2026-12-01 09:00", actions.transition_ticket, ticket, "reopen", actor=world.n1, reason="Rechute")
    resolution = clocks(ticket)["resolution"]
    assert (resolution.state, resolution.stopped_at, resolution.consumed_minutes) == ("running", None, 60)


def test_cancelled_ticket_has_no_penalty(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-27 17:00")
    act(committed, "2026-12-01 17:00", actions.transition_ticket, ticket, "cancel", actor=world.n1, reason="Doublon")
    gtr = clocks(ticket)["gtr"]
    assert (gtr.state, gtr.penalty_percent, gtr.penalty_amount) == ("cancelled", 0, Decimal("0"))


def test_service_state_change_starts_and_stops_gtr(world: Any, committed: Committed) -> None:
    ticket = open_ticket(world, committed, "2026-11-30 09:00", service_state="degrade")
    assert "gtr" not in clocks(ticket)
    act(committed, "2026-11-30 10:00", actions.update_ticket, ticket, actor=world.n1, service_state="interrompu")
    gtr = clocks(ticket)["gtr"]
    assert (gtr.started_at, gtr.due_at) == (paris("2026-11-30 10:00"), paris("2026-11-30 14:00"))
    act(committed, "2026-11-30 11:30", actions.update_ticket, ticket, actor=world.n1, service_state="degrade")
    gtr = clocks(ticket)["gtr"]
    assert (gtr.state, gtr.stopped_at, gtr.consumed_minutes) == ("met", paris("2026-11-30 11:30"), 90)


def test_refresh_command_repairs_missed_events(world: Any) -> None:
    """Without after-commit events (e.g. a crash right after the commit), ``sla refresh`` rebuilds the clocks."""
    from django.core.management import call_command

    with time_machine.travel(paris("2026-11-30 09:00"), tick=False):
        ticket = actions.create_ticket(
            actor=world.n1,
            organisation=world.acme,
            subject="x",
            service_state="interrompu",
            services=[world.acme_access],
        )
    assert not SlaClock.objects.filter(ticket=ticket).exists()
    with time_machine.travel(paris("2026-11-30 10:00"), tick=False):
        call_command("sla", "refresh", stdout=None)
    assert clocks(ticket)["gtr"].consumed_minutes == 60
