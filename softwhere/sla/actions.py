"""Every SLA write: clocks and carrier escalations re-projected from the timeline, alerts, auto-closure.

``sync_ticket`` is idempotent and safe to call any number of times (it runs after
every ticket event and from the worker's jobs); the jobs it schedules carry
dedupe keys, so replaying never schedules twice.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from softwhere.inventory.models import Access
from softwhere.jobs.actions import schedule
from softwhere.jobs.system import system_user
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import TicketStatus, TimelineKind
from softwhere.tickets.models import Ticket, TimelineEntry

from . import conf
from .calendars import get_calendar
from .choices import ClockKind, ClockState
from .models import Carrier, CarrierEscalation, SlaClock
from .services.calendar import add_business_minutes
from .services.clocks import TicketHistory
from .services.penalties import PENALTY_TIERS
from .snapshots import LiveClock, live_clocks, ticket_history

logger = logging.getLogger("softwhere.sla")

JOB_CLOCK_DUE = "sla.clock_due"
JOB_CARRIER_DEADLINE = "sla.carrier_deadline"
JOB_OBSERVATION_CLOSE = "sla.observation_close"

AUTO_CLOSE_REASON = "Clôture automatique : fin de la période d'observation sans nouvel incident."


def sync_ticket(ticket_id: int, *, now: datetime | None = None) -> Ticket | None:
    """Re-project everything SLA-related for one ticket (clocks, carrier escalations, observation end)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock serialises concurrent syncs of one ticket (signal receiver vs worker job).
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return None
        history = ticket_history(ticket)  # one timeline read for the clocks and the carrier periods
        refresh_ticket_clocks(ticket, now=now, history=history)
        refresh_carrier_escalations(ticket, now=now, history=history)
        schedule_observation_close(ticket)
    return ticket


# --- Clocks -------------------------------------------------------------------------------------------


def refresh_ticket_clocks(ticket: Ticket, *, now: datetime, history: TicketHistory | None = None) -> list[SlaClock]:
    existing = {(c.kind, c.access_id): c for c in SlaClock.objects.filter(ticket=ticket)}
    rows = []
    for live in live_clocks(ticket, now, history):
        key = (live.planned.kind, live.planned.access_id)
        row = existing.get(key)
        if row is not None and _is_frozen(row, live):
            rows.append(row)
            continue
        row = row or SlaClock(ticket=ticket, kind=live.planned.kind, access=live.planned.access)
        _apply(row, live, now)
        row.save()
        rows.append(row)
        _schedule_next_check(row, live, now)
    return rows


def _is_frozen(row: SlaClock, live: LiveClock) -> bool:
    """A stopped clock whose stop the timeline still confirms is final: later policy or fee edits don't touch it."""
    snap = live.snapshot
    return row.stopped_at is not None and row.stopped_at == snap.stopped_at and row.state == snap.state


def _apply(row: SlaClock, live: LiveClock, now: datetime) -> None:
    snap = live.snapshot
    row.calendar = live.planned.calendar_id
    row.target_minutes = live.planned.target_minutes
    row.state = snap.state
    row.started_at = snap.started_at
    row.due_at = snap.due_at
    row.breached_at = snap.breached_at
    row.paused_since = snap.paused_since
    row.stopped_at = snap.stopped_at
    row.consumed_minutes = snap.consumed_minutes
    row.pauses = [
        {"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None, "reason": p.reason}
        for p in snap.pauses
    ]
    row.computed_at = now
    if live.planned.kind == ClockKind.GTR and live.planned.access is not None:
        row.monthly_fee = live.planned.access.monthly_fee
        row.penalty_percent = live.penalty_percent
        row.penalty_amount = live.penalty_amount(row.monthly_fee)


def _schedule_next_check(row: SlaClock, live: LiveClock, now: datetime) -> None:
    """While a clock runs, wake up at its deadline (to mark the breach) and, for a GTR, at each penalty tier."""
    if row.state not in (ClockState.RUNNING, ClockState.BREACHED) or row.stopped_at or row.paused_since:
        return
    checkpoints = [float(row.target_minutes)]
    if row.kind == ClockKind.GTR:
        checkpoints += [float(bound) for bound, _ in PENALTY_TIERS]
    # Slightly past the bound: a tier applies when T is strictly above it.
    ahead = [c - row.consumed_minutes for c in sorted(set(checkpoints)) if c >= row.consumed_minutes]
    if not ahead:
        return
    wake = add_business_minutes(now, ahead[0], live.planned.spec().calendar) + timedelta(seconds=1)
    schedule(
        JOB_CLOCK_DUE,
        wake,
        {"ticket_id": row.ticket_id, "clock_id": row.pk},
        dedupe_key=f"{JOB_CLOCK_DUE}:{row.pk}:{wake:%Y%m%dT%H%M%S}",
    )


# --- Carrier escalations ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def match_carrier(name: str) -> Carrier | None:
    """The Carrier whose name or alias equals ``name``, or appears in it as whole words ("Orange Wholesale")."""
    folded = _fold(name)
    if not folded:
        return None
    words = f" {folded} "
    for carrier in Carrier.objects.all():
        aliases = [_fold(n) for n in carrier.names()]
        if folded in aliases or any(a and f" {a} " in words for a in aliases):
            return carrier
    return None


def _carrier_name(ticket: Ticket) -> str:
    if ticket.carrier.strip():
        return ticket.carrier.strip()
    access = Access.objects.filter(pk__in=ticket.services.values("pk")).exclude(carrier="").first()
    return access.carrier if access is not None else ""


def _waiting_carrier_periods(history: TicketHistory) -> list[tuple[datetime, datetime | None]]:
    periods: list[tuple[datetime, datetime | None]] = []
    start: datetime | None = None
    for event in history.events:
        if event.status is None:  # not a status change
            continue
        waiting = event.status == TicketStatus.WAITING_CARRIER
        if waiting and start is None:
            start = event.at
        elif not waiting and start is not None:
            periods.append((start, event.at))
            start = None
    if start is not None:
        periods.append((start, None))
    return periods


def refresh_carrier_escalations(
    ticket: Ticket, *, now: datetime, history: TicketHistory | None = None
) -> list[CarrierEscalation]:
    existing = {e.started_at: e for e in CarrierEscalation.objects.filter(ticket=ticket)}
    out = []
    for start, end in _waiting_carrier_periods(history or ticket_history(ticket)):
        escalation = existing.get(start)
        if escalation is None:
            name = _carrier_name(ticket)
            carrier = match_carrier(name)
            hours = carrier.response_hours if carrier else conf.default_carrier_response_hours()
            calendar = get_calendar(carrier.calendar_id if carrier and carrier.calendar_id else "24x7")
            escalation = CarrierEscalation.objects.create(
                ticket=ticket,
                carrier=(carrier.name if carrier else name)[:60],
                carrier_config=carrier,
                carrier_ticket_reference=ticket.carrier_ticket_reference,
                response_hours=hours,
                started_at=start,
                due_at=add_business_minutes(start, hours * 60, calendar),
                ended_at=end,
            )
            if end is None:
                schedule(
                    JOB_CARRIER_DEADLINE,
                    escalation.due_at,
                    {"ticket_id": ticket.pk, "escalation_id": escalation.pk},
                    dedupe_key=f"{JOB_CARRIER_DEADLINE}:{escalation.pk}",
                )
        elif escalation.ended_at != end:
            escalation.ended_at = end
            escalation.save(update_fields=["ended_at"])
        out.append(escalation)
    return out


def alert_carrier_deadline(escalation_id: int, *, now: datetime | None = None) -> bool:
    """Raise the ticket alert if the carrier has not answered in time; False when nothing was due."""
    now = now or timezone.now()
    ticket_id = CarrierEscalation.objects.filter(pk=escalation_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        return False
    # Ticket first, then escalation: the same lock order as sync_ticket, so the two never deadlock.
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    escalation = CarrierEscalation.objects.select_for_update().get(pk=escalation_id)
    if escalation.alerted_at is not None or escalation.ended_at is not None:
        return False
    if ticket.status != TicketStatus.WAITING_CARRIER or now < escalation.due_at:
        return False
    due = timezone.localtime(escalation.due_at)
    line = (
        f"Délai de réponse {escalation.carrier or 'opérateur'} dépassé ({escalation.response_hours} h) : "
        f"réponse attendue avant le {due:%d/%m/%Y %H:%M}"
        + (f", ticket opérateur {escalation.carrier_ticket_reference}." if escalation.carrier_ticket_reference else ".")
    )
    alerts = f"{ticket.alerts.rstrip()}\n{line}" if ticket.alerts.strip() else line
    ticket_actions.update_ticket(ticket, actor=system_user(), alerts=alerts)
    escalation.alerted_at = now
    escalation.save(update_fields=["alerted_at"])
    return True


# --- Observation ----------------------------------------------------------------------------------------


def _last_observe_entry(ticket: Ticket) -> TimelineEntry | None:
    return (
        ticket.timeline.filter(kind=TimelineKind.STATUS, data__to=TicketStatus.OBSERVATION)
        .order_by("-created_at", "-id")
        .first()
    )


def observation_end(ticket: Ticket, entry: TimelineEntry) -> datetime:
    """The agent's end date, or the default period from when the ticket entered observation."""
    return ticket.observation_until or entry.created_at + timedelta(hours=conf.observation_default_hours())


def schedule_observation_close(ticket: Ticket) -> Any:
    if ticket.status != TicketStatus.OBSERVATION:
        return None
    entry = _last_observe_entry(ticket)
    if entry is None:
        return None
    return schedule(
        JOB_OBSERVATION_CLOSE,
        observation_end(ticket, entry),
        {"ticket_id": ticket.pk, "entry_id": entry.pk},
        dedupe_key=f"{JOB_OBSERVATION_CLOSE}:{ticket.pk}:{entry.pk}",
    )


def close_after_observation(ticket_id: int, entry_id: int) -> bool:
    """Close the ticket at the end of its observation, unless it left observation (or re-entered it) since."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.status != TicketStatus.OBSERVATION:
        return False
    entry = _last_observe_entry(ticket)
    if entry is None or entry.pk != entry_id:
        return False
    ticket_actions.transition_ticket(ticket, "close", actor=system_user(), reason=AUTO_CLOSE_REASON)
    return True
