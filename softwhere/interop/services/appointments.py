"""Appointment proposals for the OI technician, from the site's opening hours (« disponibilités »)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import holidays

from .formats import PARIS, Slot

WEEKDAY_KEYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
DEFAULT_HOURS = {day: ["09:00-12:00", "14:00-17:00"] for day in WEEKDAY_KEYS[:5]}
PROPOSALS = 3  # v2.0: « proposition de 3 dates de RDV par l'OC »


def propose_slots(opening_hours: dict[str, list[str]] | None, after: datetime, count: int = PROPOSALS) -> list[Slot]:
    """The first ``count`` opening ranges from the next day on, skipping French public holidays.

    Without opening hours the client is assumed available on weekdays 9–12 and 14–17.
    At most one slot per day, so the OI gets distinct days to choose from.
    """
    hours = opening_hours or DEFAULT_HOURS
    day = after.astimezone(PARIS).date() + timedelta(days=1)
    closed = holidays.country_holidays("FR", years=range(day.year, day.year + 2))
    slots: list[Slot] = []
    for _ in range(60):
        ranges = hours.get(WEEKDAY_KEYS[day.weekday()]) or []
        if ranges and day not in closed:
            start_text, end_text = ranges[0].split("-")
            start = datetime.combine(day, time.fromisoformat(start_text), tzinfo=PARIS)
            end_time = time(23, 59) if end_text == "24:00" else time.fromisoformat(end_text)
            slots.append(Slot(start, datetime.combine(day, end_time, tzinfo=PARIS)))
            if len(slots) == count:
                break
        day += timedelta(days=1)
    return slots
