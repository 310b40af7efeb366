"""French month names, independent of the process locale (servers often run in C or en_US)."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
#: Abbreviations of the Imprimerie nationale, as on French calendars ("janv. 2026").
MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def month_label(month: date, *, short: bool = False) -> str:
    """« novembre 2026 » (or « nov. 2026 »)."""
    names = MONTHS_SHORT if short else MONTHS
    return f"{names[month.month - 1]} {month.year}"
