"""Partner commissions (seed X): the last 12 months, and the quarterly invoice rule.

X.B: one invoice per calendar quarter, dated at the latest 30 days after the quarter ends (« Facturation
du 1er trimestre → La facture doit être datée au plus tard du 30 avril »), with exactly one line per
month of commission (January, February, March for Q1).
"""

from __future__ import annotations

import calendar as std_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from softwhere.core.frdates import month_label

INVOICE_DELAY_DAYS = 30
HISTORY_MONTHS = 12


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def shift_month(month: date, delta: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 + delta, 12)
    return date(year, index + 1, 1)


def last_12_months(today: date) -> list[date]:
    """The 12 months shown to a partner, oldest first, ending with the current month."""
    current = first_of_month(today)
    return [shift_month(current, -n) for n in range(HISTORY_MONTHS - 1, -1, -1)]


def quarter_months(year: int, quarter: int) -> list[date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1..4")
    return [date(year, 3 * (quarter - 1) + m, 1) for m in (1, 2, 3)]


def quarter_end(year: int, quarter: int) -> date:
    last_month = quarter_months(year, quarter)[-1]
    return last_month.replace(day=std_calendar.monthrange(year, last_month.month)[1])


def invoice_deadline(year: int, quarter: int) -> date:
    """Q1 → 30 April, Q2 → 30 July, Q3 → 30 October, Q4 → 30 January."""
    return quarter_end(year, quarter) + timedelta(days=INVOICE_DELAY_DAYS)


@dataclass(frozen=True)
class InvoiceLine:
    month: date
    amount: Decimal


def check_quarterly_invoice(
    year: int,
    quarter: int,
    invoice_date: date,
    lines: list[InvoiceLine],
    statement: dict[date, Decimal] | None = None,
) -> list[str]:
    """Problems with a submitted commission invoice (French); empty when it follows the rule."""
    problems: list[str] = []
    months = quarter_months(year, quarter)
    end, deadline = quarter_end(year, quarter), invoice_deadline(year, quarter)
    if invoice_date <= end:
        problems.append(f"Facture datée du {invoice_date:%d/%m/%Y}, avant la fin du trimestre ({end:%d/%m/%Y}).")
    if invoice_date > deadline:
        problems.append(
            f"Facture datée du {invoice_date:%d/%m/%Y} : elle doit l'être au plus tard le "
            f"{deadline:%d/%m/%Y} (30 jours après la fin du trimestre)."
        )
    given = [first_of_month(line.month) for line in lines]
    if given != months:
        expected = ", ".join(f"ligne {i} = {month_label(m)}" for i, m in enumerate(months, 1))
        problems.append(f"Une ligne par mois de commission, dans l'ordre : {expected}.")
    if statement is not None and given == months:
        for line in lines:
            due = statement.get(first_of_month(line.month), Decimal(0))
            if line.amount != due:
                problems.append(
                    f"{month_label(line.month).capitalize()} : {line.amount} € facturés pour {due} € de commissions."
                )
    return problems
