"""SLA demo history: past GTR outages (met and penalised) for the monthly charts, an open GTR breach
and an overdue carrier escalation, so every SLA page has something to show right after ``./scripts/start``.

The base demo replays its tickets at load time, so all of them start "now". SLA pages
are about elapsed time, so these scenarios are replayed through the ticket actions and
then their timeline is moved back to the scenario's dates, inside the demo transaction
and before anything reads them; ``sync_ticket`` then projects the clocks from that
history exactly as it would have live. This is demo seeding only: nothing else in the
application rewrites a timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from softwhere.catalogue.models import ResolutionCase
from softwhere.inventory.models import Access
from softwhere.tickets import actions as ticket_actions
from softwhere.tickets.choices import Priority, ServiceState
from softwhere.tickets.models import Ticket, TimelineEntry

from .actions import sync_ticket
from .calendars import get_calendar
from .reports import add_months, month_of
from .services.calendar import PARIS, add_business_minutes

if TYPE_CHECKING:
    from softwhere.demo.actions import DemoContext

CASE = "incident_internet_perte_wan"


@dataclass(frozen=True)
class Outage:
    """A GTR outage ``months_ago`` months back: detected at ``day``/``hour``, restored after ``minutes`` of GTR time."""

    access: str
    months_ago: int
    day: int
    hour: int
    minutes: int
    subject: str


#: Restoration times around the seed's tiers: met (≤ 4 h), 20 %, 40 %, 60 % and 100 %.
HISTORY: tuple[Outage, ...] = (
    Outage("morel_fibre", 5, 6, 9, 150, "Coupure fibre siège (travaux voirie)"),
    Outage("pixel_fibre", 5, 14, 10, 200, "Perte de synchro fibre"),
    Outage("chartrons_sdsl", 4, 8, 9, 330, "SDSL annexe tombée"),
    Outage("erdre_fibre", 4, 20, 14, 180, "Fibre clinique coupée"),
    Outage("giraud_fibre_gre", 3, 9, 8, 230, "Fibre agence de Grenoble coupée"),
    Outage("morel_fibre", 3, 22, 11, 480, "Fibre siège : PTO arrachée"),
    Outage("pixel_fibre", 2, 7, 9, 210, "Coupure fibre studio"),
    Outage("chartrons_fibre", 2, 15, 22, 170, "Fibre hôtel coupée la nuit (GTR 24/7)"),
    Outage("erdre_fibre", 1, 5, 10, 560, "Fibre clinique : câble sectionné"),
    Outage("chartrons_sdsl", 1, 19, 9, 235, "SDSL annexe : synchro perdue"),
    Outage("giraud_fibre_gre", 1, 26, 15, 700, "Fibre Grenoble : génie civil à refaire"),
)


def load(ctx: DemoContext) -> dict[str, int]:
    now = timezone.now()
    case = ResolutionCase.objects.filter(pk=CASE).first()
    n1, n2 = ctx.users["n1"], ctx.users["n2"]
    this_month = month_of(now)
    created = 0
    for outage in HISTORY:
        access = ctx.services[outage.access]
        assert isinstance(access, Access)
        month = add_months(this_month, -outage.months_ago)
        detected = datetime.combine(month.replace(day=outage.day), time(outage.hour), tzinfo=PARIS)
        detected = _business_start(detected, access)
        restored = add_business_minutes(detected, outage.minutes, get_calendar(_gtr_calendar(access)))
        steps: list[tuple[datetime, Callable[[Ticket], Ticket]]] = [
            (detected + timedelta(minutes=5), lambda t: ticket_actions.transition_ticket(t, "take", actor=n1)),
            (
                restored,
                lambda t: ticket_actions.transition_ticket(
                    t, "resolve", actor=n1, resolution="Lien rétabli, synchronisation stable."
                ),
            ),
            (restored + timedelta(days=1), lambda t: ticket_actions.transition_ticket(t, "close", actor=n1)),
        ]
        _replay(access, outage.subject, detected, steps, case=case, actor=n1, now=now)
        created += 1

    # An outage still open since two business days: its GTR is breached (100 % tier) and shows a penalty.
    morel = ctx.services["morel_fibre"]
    assert isinstance(morel, Access)
    calendar = get_calendar("business-hours")
    detected = _previous_business_instant(now, 2 * 10 * 60, calendar)
    _replay(
        morel,
        "Fibre siège coupée depuis avant-hier (GTR dépassée)",
        detected,
        [(detected + timedelta(minutes=10), lambda t: ticket_actions.transition_ticket(t, "take", actor=n1))],
        case=case,
        actor=n1,
        now=now,
        priority=Priority.P1,
    )
    created += 1

    # Waiting for SFR for four days: the 72 h response deadline is past (alert raised by the worker).
    pixel = ctx.services["pixel_fibre"]
    assert isinstance(pixel, Access)
    opened = now - timedelta(days=4)
    _replay(
        pixel,
        "Débit dégradé : dérangement ouvert chez SFR",
        opened,
        [
            (opened + timedelta(minutes=10), lambda t: ticket_actions.transition_ticket(t, "take", actor=n2)),
            (
                opened + timedelta(hours=1),
                lambda t: ticket_actions.transition_ticket(
                    t, "wait_carrier", actor=n2, carrier="SFR", carrier_ticket_reference="SFR-DEMO-48213"
                ),
            ),
        ],
        case=case,
        actor=n2,
        now=now,
        service_state=ServiceState.DEGRADED,
    )
    created += 1
    return {"tickets SLA (historique)": created}


def _gtr_calendar(access: Access) -> str:
    from . import conf

    return conf.gtr_calendars().get(access.gtr_option, "business-hours")


def _business_start(moment: datetime, access: Access) -> datetime:
    """Move a scenario start to the next open minute of the access's GTR calendar (weekends, holidays)."""
    return add_business_minutes(moment, 0, get_calendar(_gtr_calendar(access)))


def _previous_business_instant(now: datetime, minutes: int, calendar: Any) -> datetime:
    """An instant about ``minutes`` business minutes before ``now`` (searched day by day, business hours)."""
    probe = now
    for _ in range(30):
        probe -= timedelta(days=1)
        start = datetime.combine(timezone.localtime(probe).date(), time(9), tzinfo=PARIS)
        if add_business_minutes(start, minutes, calendar) <= now:
            return start
    return now - timedelta(days=3)


def _replay(
    access: Access,
    subject: str,
    start: datetime,
    steps: list[tuple[datetime, Callable[[Ticket], Ticket]]],
    *,
    case: ResolutionCase | None,
    actor: Any,
    now: datetime,
    priority: int = Priority.P2,
    service_state: str = ServiceState.INTERRUPTED,
) -> Ticket:
    """Create the ticket and apply ``steps`` through the ticket actions, each dated as the scenario says."""
    site = access.site
    ticket = ticket_actions.create_ticket(
        actor=actor,
        organisation=site.organisation,
        site=site,
        subject=subject,
        service_state=service_state,
        priority=priority,
        services=[access],
        case=case,
    )
    _date_entries(ticket, after=0, at=start)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=start)
    for when, step in steps:
        last = ticket.timeline.order_by("-id").values_list("id", flat=True).first() or 0
        ticket = step(Ticket.objects.get(pk=ticket.pk))
        _date_entries(ticket, after=last, at=min(when, now))
    sync_ticket(ticket.pk, now=now)
    return ticket


def _date_entries(ticket: Ticket, *, after: int, at: datetime) -> None:
    TimelineEntry.objects.filter(ticket=ticket, pk__gt=after).update(created_at=at)
