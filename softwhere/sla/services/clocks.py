"""SLA clocks replayed from a ticket's history (pure: the caller passes the events and ``now``).

A clock is a projection of the ticket's append-only timeline: replaying the status
and service-state changes gives, for each moment, whether the clock runs, is
paused or is stopped. Recomputing is therefore idempotent — a missed signal or a
restarted process is repaired by replaying again — and no clock state can drift
from what the timeline says happened.

Phases per kind:

* resolution — runs while the ticket is open, pauses while it waits for the client,
  stops when it is resolved / in observation / closed / cancelled; a reopen resumes
  it (the time between stop and reopen is not counted).
* first_response — as resolution, but stops at the first response (take, an
  information request, or a public comment by the desk).
* gtr — as resolution, but only while the service is interrupted (or running on
  its backup); it stops when the service is back to degraded / no disruption.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from .calendar import Calendar, add_business_minutes, business_minutes_between


class Phase(enum.StrEnum):
    IDLE = "idle"  # not started yet (GTR before the service is interrupted)
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


# Ticket statuses (tickets.choices.TicketStatus values), kept as plain strings to stay pure.
RUNNING_STATUSES = frozenset({"new", "in_progress", "escalated", "waiting_carrier"})
PAUSED_STATUSES = frozenset({"waiting_client"})
CANCELLED_STATUS = "cancelled"
# Service states under the GTR (tickets.choices.ServiceState values).
GTR_SERVICE_STATES = frozenset({"interrompu", "secours_actif"})


@dataclass(frozen=True)
class TicketEvent:
    """One fact of the ticket's history; ``None`` fields did not change."""

    at: datetime
    status: str | None = None
    service_state: str | None = None
    response: bool = False


@dataclass(frozen=True)
class TicketHistory:
    created_at: datetime
    initial_status: str
    initial_service_state: str
    events: tuple[TicketEvent, ...]


@dataclass(frozen=True)
class ClockSpec:
    kind: str  # "gtr" | "first_response" | "resolution"
    calendar: Calendar
    target_minutes: int


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None
    reason: str  # "waiting_client" | "stopped" (between a stop and a resumption)


@dataclass(frozen=True)
class ClockSnapshot:
    state: str  # running | paused | met | breached | cancelled
    started_at: datetime
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    paused_since: datetime | None
    consumed_minutes: float
    pauses: tuple[Pause, ...]

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


def phase_of(kind: str, status: str, service_state: str, responded: bool) -> Phase:
    if status in RUNNING_STATUSES:
        base = Phase.RUNNING
    elif status in PAUSED_STATUSES:
        base = Phase.PAUSED
    else:
        base = Phase.STOPPED
    if kind == "first_response" and responded:
        return Phase.STOPPED
    if kind == "gtr" and service_state not in GTR_SERVICE_STATES:
        return Phase.STOPPED
    return base


@dataclass(frozen=True)
class _Segment:
    phase: Phase
    start: datetime
    end: datetime | None  # None: still going at ``now``


#: Float noise guard when comparing minutes computed from timedeltas.
_EPSILON = 1e-6


def _segments(kind: str, history: TicketHistory) -> tuple[list[_Segment], str]:
    """Consecutive phases of one clock from its start, and the ticket's final status."""
    status, service, responded = history.initial_status, history.initial_service_state, False
    phase = phase_of(kind, status, service, responded)
    current = phase if phase in (Phase.RUNNING, Phase.PAUSED) else Phase.IDLE
    seg_start = history.created_at
    segments: list[_Segment] = []
    for event in sorted(history.events, key=lambda e: e.at):
        status = event.status or status
        service = event.service_state or service
        responded = responded or event.response
        phase = phase_of(kind, status, service, responded)
        if current == Phase.IDLE and phase not in (Phase.RUNNING, Phase.PAUSED):
            continue
        if phase != current:
            if current != Phase.IDLE:
                segments.append(_Segment(current, seg_start, event.at))
            current, seg_start = phase, event.at
    if current != Phase.IDLE:
        segments.append(_Segment(current, seg_start, None))
    return segments, status


def compute_clock(spec: ClockSpec, history: TicketHistory, now: datetime) -> ClockSnapshot | None:
    """The clock's state at ``now``, or None if it never started (e.g. no interruption for a GTR)."""
    segments, final_status = _segments(spec.kind, history)
    if not segments:
        return None
    calendar, target = spec.calendar, float(spec.target_minutes)
    consumed = 0.0
    deadline: datetime | None = None
    breached_at: datetime | None = None
    pauses: list[Pause] = []
    for seg in segments:
        if seg.phase == Phase.RUNNING:
            remaining = max(target - consumed, 0.0)
            deadline = add_business_minutes(seg.start, remaining, calendar)
            end = seg.end if seg.end is not None else max(now, seg.start)
            spent = business_minutes_between(seg.start, end, calendar)
            if breached_at is None:
                # Still running at its deadline counts as breached; a clock stopped exactly
                # at its deadline (T = target) is met.
                crossed = now >= deadline if seg.end is None else spent - remaining > _EPSILON
                if crossed:
                    breached_at = deadline
            consumed += spent
        elif seg.end is not None or seg.phase == Phase.PAUSED:
            reason = "waiting_client" if seg.phase == Phase.PAUSED else "stopped"
            pauses.append(Pause(seg.start, seg.end, reason))
    last = segments[-1]
    stopped_at = paused_since = None
    if last.phase == Phase.STOPPED:
        stopped_at = last.start
        state = "breached" if breached_at else "met"
        if final_status == CANCELLED_STATUS:
            state = "cancelled"
        due_at = breached_at or deadline
    elif last.phase == Phase.PAUSED:
        paused_since = last.start
        state = "breached" if breached_at else "paused"
        due_at = breached_at
    else:
        state = "breached" if breached_at else "running"
        due_at = breached_at or deadline
    return ClockSnapshot(
        state=state,
        started_at=segments[0].start,
        due_at=due_at,
        breached_at=breached_at,
        stopped_at=stopped_at,
        paused_since=paused_since,
        consumed_minutes=round(consumed, 6),
        pauses=tuple(pauses),
    )
