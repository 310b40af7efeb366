"""Read side: a ticket's timeline as a pure history, the clocks it should have, and their live state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from softwhere.inventory.choices import GTR_ELIGIBLE_TECHNOLOGIES, GtrOption
from softwhere.inventory.models import Access
from softwhere.tickets.choices import TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import Ticket, TimelineEntry

from . import conf
from .calendars import get_calendar
from .choices import ClockKind
from .models import SlaPolicy
from .services.calendar import Calendar
from .services.clocks import ClockSnapshot, ClockSpec, TicketEvent, TicketHistory, compute_clock
from .services.penalties import GTR_TARGET_MINUTES, penalty_amount, penalty_percent

#: Transitions that answer the client (the information request is sent to them).
RESPONSE_TRANSITIONS = frozenset({"take", "wait_client"})


def is_response(entry: TimelineEntry) -> bool:
    """A public comment by the desk, or any entry flagged ``{"sla_response": true}`` (e.g. a sent mail)."""
    if entry.data.get("sla_response") is True:
        return True
    author = entry.author
    return (
        entry.kind == TimelineKind.COMMENT
        and entry.visibility == Visibility.PUBLIC
        and author is not None
        and author.is_desk_staff
    )


def ticket_history(ticket: Ticket) -> TicketHistory:
    events: list[TicketEvent] = []
    initial_service_state: str | None = None
    entries = ticket.timeline.select_related("author").order_by("created_at", "id")
    for entry in entries:
        if entry.kind == TimelineKind.STATUS:
            events.append(
                TicketEvent(
                    entry.created_at,
                    status=entry.data.get("to"),
                    response=entry.data.get("transition") in RESPONSE_TRANSITIONS,
                )
            )
        elif entry.kind == TimelineKind.FIELD_CHANGE and "service_state" in entry.data.get("changes", {}):
            old, new = entry.data["changes"]["service_state"]
            if initial_service_state is None:
                initial_service_state = old
            events.append(TicketEvent(entry.created_at, service_state=new))
        elif is_response(entry):
            events.append(TicketEvent(entry.created_at, response=True))
    return TicketHistory(
        created_at=ticket.created_at,
        initial_status=TicketStatus.NEW,
        initial_service_state=initial_service_state or ticket.service_state,
        events=tuple(events),
    )


@dataclass(frozen=True)
class PlannedClock:
    kind: str
    calendar_id: str
    target_minutes: int
    access: Access | None = None
    #: Already read (``planned_clocks`` reads each calendar once for all the ticket's clocks).
    calendar: Calendar | None = field(default=None, compare=False, repr=False)

    @property
    def access_id(self) -> int | None:
        return self.access.pk if self.access is not None else None

    def spec(self) -> ClockSpec:
        return self._spec

    @cached_property
    def _spec(self) -> ClockSpec:
        """Read once per planned clock: projecting then scheduling a clock asked for its calendar row twice."""
        return ClockSpec(self.kind, self.calendar or get_calendar(self.calendar_id), self.target_minutes)


def policy_for(priority: int) -> tuple[str, int, int]:
    row = SlaPolicy.objects.filter(priority=priority).first()
    if row is not None:
        return row.calendar_id, row.first_response_minutes, row.resolution_minutes
    return conf.DEFAULT_POLICIES.get(priority, conf.DEFAULT_POLICIES[max(conf.DEFAULT_POLICIES)])


def gtr_accesses(ticket: Ticket) -> list[Access]:
    """The ticket's accesses under a GTR: SDSL or fibre with the standard or extended option."""
    return list(
        Access.objects.filter(pk__in=ticket.services.values("pk"), technology__in=GTR_ELIGIBLE_TECHNOLOGIES)
        .exclude(gtr_option=GtrOption.NONE)
        .order_by("pk")
    )


def planned_clocks(ticket: Ticket) -> list[PlannedClock]:
    calendars: dict[str, Calendar] = {}

    def calendar(calendar_id: str) -> Calendar:
        if calendar_id not in calendars:
            calendars[calendar_id] = get_calendar(calendar_id)
        return calendars[calendar_id]

    calendar_id, first_response, resolution = policy_for(ticket.priority)
    planned = [
        PlannedClock(ClockKind.FIRST_RESPONSE, calendar_id, first_response, calendar=calendar(calendar_id)),
        PlannedClock(ClockKind.RESOLUTION, calendar_id, resolution, calendar=calendar(calendar_id)),
    ]
    gtr_calendars = conf.gtr_calendars()
    for access in gtr_accesses(ticket):
        gtr_id = gtr_calendars[access.gtr_option]
        planned.append(PlannedClock(ClockKind.GTR, gtr_id, GTR_TARGET_MINUTES, access, calendar=calendar(gtr_id)))
    return planned


@dataclass(frozen=True)
class LiveClock:
    planned: PlannedClock
    snapshot: ClockSnapshot

    @property
    def penalty_percent(self) -> int:
        if self.planned.kind != ClockKind.GTR or self.snapshot.state == "cancelled":
            return 0
        return penalty_percent(self.snapshot.consumed_minutes)

    def penalty_amount(self, monthly_fee: Decimal | None) -> Decimal:
        return penalty_amount(monthly_fee or Decimal("0"), self.penalty_percent)


def live_clocks(ticket: Ticket, now: datetime, history: TicketHistory | None = None) -> list[LiveClock]:
    """Every clock the ticket has at ``now`` (clocks that never started, like a GTR on a degraded link, are absent)."""
    history = history or ticket_history(ticket)
    out = []
    for planned in planned_clocks(ticket):
        snapshot = compute_clock(planned.spec(), history, now)
        if snapshot is not None:
            out.append(LiveClock(planned, snapshot))
    return out
