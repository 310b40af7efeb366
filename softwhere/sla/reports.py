"""Monthly GTR penalty report per client: rows of restored GTR breaches and a CSV rendering."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .choices import ClockKind, ClockState
from .models import SlaClock
from .services.calendar import PARIS

CSV_HEADER = [
    "client",
    "ticket",
    "acces",
    "reference_operateur",
    "technologie",
    "option_gtr",
    "calendrier",
    "detecte_le",
    "retabli_le",
    "duree_minutes",
    "duree",
    "penalite_pourcent",
    "redevance_mensuelle_eur",
    "penalite_eur",
]


def parse_month(text: str) -> date:
    """``"2026-11"`` → 1 November 2026."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise ValueError(f"mois invalide : {text!r} (attendu AAAA-MM)") from exc


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [start, end) instants, Paris time."""
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return datetime.combine(month, time(), tzinfo=PARIS), datetime.combine(nxt, time(), tzinfo=PARIS)


def penalty_clocks(month: date, clocks: QuerySet[SlaClock] | None = None) -> QuerySet[SlaClock]:
    """GTR clocks restored during ``month`` with a penalty, ordered by client then restoration time."""
    start, end = month_bounds(month)
    qs = clocks if clocks is not None else SlaClock.objects.all()
    return (
        qs.filter(kind=ClockKind.GTR, state=ClockState.BREACHED, stopped_at__gte=start, stopped_at__lt=end)
        .filter(penalty_percent__gt=0)
        .select_related("ticket__organisation", "access")
        .order_by("ticket__organisation__name", "stopped_at", "id")
    )


def duration_label(minutes: float) -> str:
    whole = int(round(minutes))
    return f"{whole // 60}h{whole % 60:02d}"


@dataclass(frozen=True)
class ClientTotal:
    organisation: str
    count: int
    amount: Decimal


def totals_by_client(clocks: QuerySet[SlaClock]) -> list[ClientTotal]:
    totals: dict[str, tuple[int, Decimal]] = {}
    for clock in clocks:
        name = clock.ticket.organisation.name
        count, amount = totals.get(name, (0, Decimal("0")))
        totals[name] = (count + 1, amount + clock.penalty_amount)
    return [ClientTotal(name, count, amount) for name, (count, amount) in totals.items()]


def report_row(clock: SlaClock) -> list[Any]:
    """One CSV line; the PDF export shows the same cells."""
    access = clock.access
    return [
        clock.ticket.organisation.name,
        clock.ticket.reference,
        str(access) if access else "",
        access.carrier_reference if access else "",
        access.get_technology_display() if access else "",
        access.get_gtr_option_display() if access else "",
        clock.calendar,
        timezone.localtime(clock.started_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(clock.stopped_at).strftime("%Y-%m-%d %H:%M") if clock.stopped_at else "",
        _decimal(clock.consumed_minutes, 0 if clock.consumed_minutes == int(clock.consumed_minutes) else 2),
        duration_label(clock.consumed_minutes),
        clock.penalty_percent,
        _decimal(clock.monthly_fee or Decimal("0")),
        _decimal(clock.penalty_amount),
    ]


def _decimal(value: Any, places: int = 2) -> str:
    """French spreadsheet form: decimal comma."""
    return f"{value:.{places}f}".replace(".", ",")


#: Prepended to files and downloads (not to the console) so French Excel reads UTF-8.
BOM = "\ufeff"


def penalty_report_csv(clocks: QuerySet[SlaClock]) -> str:
    """One line per penalised access restoration; « ; » separator and decimal comma, as the
    other spreadsheet exports of the desk (French Excel opens it as is)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for clock in clocks:
        writer.writerow(report_row(clock))
    return out.getvalue()


# --- Monthly series for the charts ---------------------------------------------------------------------


def month_of(instant: datetime) -> date:
    """The Paris-time month an instant belongs to (a clock stopped at 00:30 on the 1st counts in the new month)."""
    return instant.astimezone(PARIS).date().replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_months(last: date, count: int) -> list[date]:
    """``count`` consecutive months ending with ``last``, oldest first."""
    last = last.replace(day=1)
    return [add_months(last, offset) for offset in range(1 - count, 1)]


@dataclass(frozen=True)
class ClockOutcome:
    """A clock that stopped (met or breached), reduced to what the monthly figures need."""

    organisation: str
    kind: str
    stopped_at: datetime
    breached: bool


@dataclass(frozen=True)
class PenaltyRecord:
    """A penalised GTR restoration: who, when it was restored, how much (€ HT)."""

    organisation: str
    restored_at: datetime
    amount: Decimal


@dataclass(frozen=True)
class Compliance:
    """Clocks stopped in a month and how many of them were late; ``percent`` is None when nothing stopped."""

    stopped: int = 0
    breached: int = 0

    @property
    def met(self) -> int:
        return self.stopped - self.breached

    @property
    def percent(self) -> float | None:
        return None if not self.stopped else round(100 * self.met / self.stopped, 1)


def monthly_compliance(
    outcomes: Iterable[ClockOutcome], months: Sequence[date], *, organisation: str | None = None
) -> dict[str, list[Compliance]]:
    """Per clock kind, the compliance of each month of ``months`` (every kind listed, even without clocks).

    Only clocks that stopped during a month count for it: a clock still running has no
    outcome yet, and a cancelled ticket's clock is not a commitment (the caller leaves it out).
    """
    index = {m: i for i, m in enumerate(months)}
    counts: dict[str, list[list[int]]] = {kind: [[0, 0] for _ in months] for kind in ClockKind.values}
    for outcome in outcomes:
        if organisation is not None and outcome.organisation != organisation:
            continue
        i = index.get(month_of(outcome.stopped_at))
        if i is None or outcome.kind not in counts:
            continue
        counts[outcome.kind][i][0] += 1
        counts[outcome.kind][i][1] += outcome.breached
    return {kind: [Compliance(s, b) for s, b in cells] for kind, cells in counts.items()}


def compliance_by_client(
    outcomes: Iterable[ClockOutcome], months: Sequence[date]
) -> dict[str, dict[str, list[Compliance]]]:
    """``monthly_compliance`` for each client that has at least one stopped clock in ``months``, by name."""
    outcomes = list(outcomes)
    window = set(months)
    names = sorted({o.organisation for o in outcomes if month_of(o.stopped_at) in window})
    return {name: monthly_compliance(outcomes, months, organisation=name) for name in names}


def monthly_penalties(records: Iterable[PenaltyRecord], months: Sequence[date]) -> dict[str, list[Decimal]]:
    """Per client (sorted by name), the GTR penalties owed for each month of ``months``, in € HT."""
    index = {m: i for i, m in enumerate(months)}
    out: dict[str, list[Decimal]] = {}
    for record in records:
        i = index.get(month_of(record.restored_at))
        if i is None:
            continue
        row = out.setdefault(record.organisation, [Decimal("0")] * len(months))
        row[i] += record.amount
    return dict(sorted(out.items()))


def penalty_totals(per_client: dict[str, list[Decimal]], months: Sequence[date]) -> list[Decimal]:
    """Column sums of ``monthly_penalties``: all clients together, month by month."""
    return [sum((row[i] for row in per_client.values()), Decimal("0")) for i in range(len(months))]


def clock_outcomes(clocks: QuerySet[SlaClock], months: Sequence[date]) -> list[ClockOutcome]:
    """The met / breached clocks stopped during ``months`` (a contiguous window) out of ``clocks``."""
    if not months:
        return []
    start, _ = month_bounds(months[0])
    _, end = month_bounds(months[-1])
    rows = clocks.filter(
        stopped_at__gte=start, stopped_at__lt=end, state__in=[ClockState.MET, ClockState.BREACHED]
    ).values_list("ticket__organisation__name", "kind", "stopped_at", "state")
    return [
        ClockOutcome(org, kind, stopped, state == ClockState.BREACHED)
        for org, kind, stopped, state in rows
        if stopped is not None  # always set by the filter; narrows the type
    ]


def penalty_records(clocks: QuerySet[SlaClock], months: Sequence[date]) -> list[PenaltyRecord]:
    """The penalised GTR restorations of ``months``: the same selection as the monthly CSV/PDF report."""
    out: list[PenaltyRecord] = []
    for month in months:
        for clock in penalty_clocks(month, clocks):
            assert clock.stopped_at is not None  # penalty_clocks selects stopped clocks only
            out.append(PenaltyRecord(clock.ticket.organisation.name, clock.stopped_at, clock.penalty_amount))
    return out
