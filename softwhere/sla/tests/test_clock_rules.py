"""Clock replay rules on synthetic histories (pure, no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from softwhere.sla.services.calendar import ALWAYS_OPEN, BUSINESS_HOURS, PARIS
from softwhere.sla.services.clocks import ClockSpec, TicketEvent, TicketHistory, compute_clock


def p(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


def history(created: str, *events: TicketEvent, service: str = "interrompu") -> TicketHistory:
    return TicketHistory(p(created), "new", service, tuple(events))


def status(at: str, value: str, response: bool = False) -> TicketEvent:
    return TicketEvent(p(at), status=value, response=response)


GTR = ClockSpec("gtr", BUSINESS_HOURS, 240)
RESOLUTION = ClockSpec("resolution", BUSINESS_HOURS, 240)
FIRST = ClockSpec("first_response", BUSINESS_HOURS, 30)


def test_gtr_running_on_seed_example() -> None:
    snap = compute_clock(GTR, history("2026-11-27 17:00"), p("2026-11-30 10:00"))
    assert snap is not None
    assert (snap.state, snap.due_at, snap.consumed_minutes) == ("running", p("2026-11-30 11:00"), 180)


@pytest.mark.parametrize(
    ("now", "state", "breached_at"),
    [
        ("2026-11-30 10:59", "running", None),
        ("2026-11-30 11:00", "breached", "2026-11-30 11:00"),  # still running at its deadline
        ("2026-11-30 12:00", "breached", "2026-11-30 11:00"),
    ],
)
def test_breach_at_deadline(now: str, state: str, breached_at: str | None) -> None:
    snap = compute_clock(GTR, history("2026-11-27 17:00"), p(now))
    assert snap is not None
    assert snap.state == state
    assert snap.breached_at == (p(breached_at) if breached_at else None)


@pytest.mark.parametrize(
    ("restored", "state", "consumed"),
    [("2026-11-30 11:00", "met", 240), ("2026-11-30 11:01", "breached", 241), ("2026-11-30 10:00", "met", 180)],
)
def test_stop_on_resolution(restored: str, state: str, consumed: int) -> None:
    snap = compute_clock(GTR, history("2026-11-27 17:00", status(restored, "resolved")), p("2026-12-10 12:00"))
    assert snap is not None
    assert (snap.state, snap.stopped_at, snap.consumed_minutes) == (state, p(restored), consumed)


def test_waiting_client_pauses_and_resumes() -> None:
    snap = compute_clock(
        RESOLUTION,
        history(
            "2026-11-30 09:00",
            status("2026-11-30 10:00", "in_progress"),
            status("2026-11-30 11:00", "waiting_client"),
            status("2026-11-30 15:00", "in_progress"),
        ),
        p("2026-11-30 16:00"),
    )
    assert snap is not None
    assert snap.state == "running"
    assert snap.consumed_minutes == 180  # 09-11 and 15-16
    assert snap.due_at == p("2026-11-30 17:00")  # 60 min left from 16:00
    assert [(x.start, x.end, x.reason) for x in snap.pauses] == [
        (p("2026-11-30 11:00"), p("2026-11-30 15:00"), "waiting_client")
    ]


def test_paused_clock_has_no_due_date() -> None:
    snap = compute_clock(
        RESOLUTION, history("2026-11-30 09:00", status("2026-11-30 10:00", "waiting_client")), p("2026-12-03 10:00")
    )
    assert snap is not None
    assert (snap.state, snap.paused_since, snap.due_at, snap.consumed_minutes) == (
        "paused",
        p("2026-11-30 10:00"),
        None,
        60,
    )


def test_breached_then_paused_stays_breached() -> None:
    snap = compute_clock(
        RESOLUTION, history("2026-11-30 09:00", status("2026-11-30 14:00", "waiting_client")), p("2026-12-01 10:00")
    )
    assert snap is not None
    assert (snap.state, snap.breached_at, snap.paused_since) == (
        "breached",
        p("2026-11-30 13:00"),
        p("2026-11-30 14:00"),
    )


def test_first_response_stops_at_take() -> None:
    on_time = compute_clock(
        FIRST, history("2026-11-30 09:00", status("2026-11-30 09:20", "in_progress", True)), p("2026-11-30 12:00")
    )
    late = compute_clock(
        FIRST, history("2026-11-30 09:00", status("2026-11-30 09:40", "in_progress", True)), p("2026-11-30 12:00")
    )
    assert on_time is not None and late is not None
    assert (on_time.state, on_time.stopped_at) == ("met", p("2026-11-30 09:20"))
    assert (late.state, late.breached_at) == ("breached", p("2026-11-30 09:30"))


def test_first_response_not_restarted_by_reopen() -> None:
    snap = compute_clock(
        FIRST,
        history(
            "2026-11-30 09:00",
            status("2026-11-30 09:10", "in_progress", True),
            status("2026-11-30 10:00", "resolved"),
            status("2026-11-30 11:00", "in_progress"),
        ),
        p("2026-11-30 12:00"),
    )
    assert snap is not None
    assert (snap.state, snap.stopped_at) == ("met", p("2026-11-30 09:10"))


def test_gtr_idle_until_interrupted_and_stops_when_degraded() -> None:
    hist = history(
        "2026-11-30 09:00",
        TicketEvent(p("2026-11-30 10:00"), service_state="interrompu"),
        TicketEvent(p("2026-11-30 12:00"), service_state="degrade"),
        service="degrade",
    )
    snap = compute_clock(GTR, hist, p("2026-11-30 16:00"))
    assert snap is not None
    assert (snap.started_at, snap.stopped_at, snap.state, snap.consumed_minutes) == (
        p("2026-11-30 10:00"),
        p("2026-11-30 12:00"),
        "met",
        120,
    )


def test_gtr_never_started_on_degraded_service() -> None:
    assert compute_clock(GTR, history("2026-11-30 09:00", service="degrade"), p("2026-11-30 16:00")) is None


def test_gtr_runs_with_backup_active() -> None:
    snap = compute_clock(GTR, history("2026-11-30 09:00", service="secours_actif"), p("2026-11-30 10:00"))
    assert snap is not None and snap.state == "running"


def test_reopen_resumes_without_counting_the_stopped_gap() -> None:
    snap = compute_clock(
        GTR,
        history(
            "2026-11-30 09:00",
            status("2026-11-30 10:00", "resolved"),
            status("2026-12-01 09:00", "in_progress"),
        ),
        p("2026-12-01 11:00"),
    )
    assert snap is not None
    assert snap.state == "running"
    assert snap.consumed_minutes == 60 + 120
    assert snap.due_at == p("2026-12-01 12:00")
    assert [x.reason for x in snap.pauses] == ["stopped"]


def test_cancel_gives_cancelled() -> None:
    snap = compute_clock(
        GTR, history("2026-11-27 17:00", status("2026-12-01 17:00", "cancelled")), p("2026-12-02 09:00")
    )
    assert snap is not None
    assert snap.state == "cancelled"


def test_extended_gtr_counts_the_weekend() -> None:
    spec = ClockSpec("gtr", ALWAYS_OPEN, 240)
    snap = compute_clock(
        spec, history("2026-11-27 17:00", status("2026-11-28 03:00", "resolved")), p("2026-11-30 09:00")
    )
    assert snap is not None
    assert (snap.state, snap.consumed_minutes, snap.breached_at) == ("breached", 600, p("2026-11-27 21:00"))
