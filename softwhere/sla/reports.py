"""Monthly GTR penalty report per client: rows of restored GTR breaches and a CSV rendering."""

from __future__ import annotations

import csv
import io
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


def _row(clock: SlaClock) -> list[Any]:
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
        writer.writerow(_row(clock))
    return out.getvalue()
