"""Business-day arithmetic for the order desk: Monday to Friday, French public holidays excluded.

The handbook counts order and portability lead times in « jours ouvrés » and the
acknowledgement in « 24h ouvrés ». The calendar is one of ``softwhere.sla`` (whole
business days open 00:00–24:00), so holidays and DST follow one implementation.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from softwhere.sla.services.calendar import MINUTES_PER_DAY, Calendar, add_business_minutes
from softwhere.sla.services.calendar import PARIS as PARIS

#: Whole business days: the clock runs all day Monday to Friday, never on weekends or holidays.
BUSINESS_DAYS = Calendar(
    id="business-days",
    name="Jours ouvrés (lundi–vendredi, hors jours fériés)",
    weekly=(((0, MINUTES_PER_DAY),),) * 5 + ((), ()),
)


def is_business_day(day: date) -> bool:
    """Monday to Friday, French public holidays excluded (metropolitan calendar)."""
    return bool(BUSINESS_DAYS.day_intervals(day))


def next_business_day(day: date) -> date:
    """``day`` itself when it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """The ``count``-th business day after ``day`` (``day`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must be >= 0")
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days in ``(start, end]``: how many business days have passed from ``start`` to ``end``."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=n)))


def add_business_hours(moment: datetime, hours: int) -> datetime:
    """Count ``hours`` of clock time on business days only (weekends and holidays do not run the clock).

    « Sous 24h ouvrés »: an order received on Friday at 15:00 is due on Monday at 15:00; one
    received on Saturday is due at the end of Monday (Tuesday 00:00).
    """
    return add_business_minutes(moment, hours * 60, BUSINESS_DAYS)


def local_date(moment: datetime) -> date:
    """The Paris calendar date of an aware datetime."""
    return moment.astimezone(PARIS).date()


def at_paris(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=PARIS)
