"""Business calendars and business-time arithmetic (pure: no database, no clock).

A calendar opens on local wall-clock ranges per weekday (Europe/Paris), closed on
French public holidays and on extra closed days. Each open range of a day is
turned into a real instant interval with zoneinfo, then all arithmetic happens in
UTC: a 24/7 calendar therefore counts real elapsed minutes (a DST Sunday in
March has 23 hours, one in October 25), and 08:00–18:00 is always ten hours.

Never subtract or add to datetimes that share a ZoneInfo tzinfo: Python does that
on wall-clock values and ignores DST. Everything below converts to UTC first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")
MINUTES_PER_DAY = 24 * 60
#: A calendar with no opening in this many consecutive days is considered never open.
MAX_CLOSED_DAYS = 3 * 366

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Alsace-Moselle: the library names Moselle "57" and the Alsace collectivity "6AE" (Bas-Rhin 67 + Haut-Rhin 68).
SUBDIVISION_ALIASES = {"67": "6AE", "68": "6AE", "alsace": "6AE", "moselle": "57"}

Range = tuple[int, int]  # minutes since local midnight, start < end <= 1440
Interval = tuple[datetime, datetime]  # aware, UTC


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class Calendar:
    """Opening hours per weekday (index 0 = Monday), public holidays and extra closed days."""

    id: str
    name: str
    weekly: tuple[tuple[Range, ...], ...]
    holiday_country: str | None = "FR"
    holiday_subdivision: str | None = None
    extra_closed_days: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = PARIS

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarError("weekly needs 7 entries, Monday first")
        for ranges in self.weekly:
            previous_end = -1
            for start, end in ranges:
                if not 0 <= start < end <= MINUTES_PER_DAY or start < previous_end:
                    raise CalendarError(f"invalid or overlapping opening range {start}-{end}")
                previous_end = end

    @property
    def is_always_open(self) -> bool:
        return (
            all(r == ((0, MINUTES_PER_DAY),) for r in self.weekly)
            and self.holiday_country is None
            and not self.extra_closed_days
        )

    def is_closed_day(self, day: date) -> bool:
        if day in self.extra_closed_days:
            return True
        if self.holiday_country is None:
            return False
        return day in public_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def day_intervals(self, day: date) -> list[Interval]:
        """The open intervals of one local day, as UTC instants (empty on a closed day)."""
        if self.is_closed_day(day):
            return []
        return [(self._instant(day, start), self._instant(day, end)) for start, end in self.weekly[day.weekday()]]

    def _instant(self, day: date, minute: int) -> datetime:
        if minute == MINUTES_PER_DAY:
            day, minute = day + timedelta(days=1), 0
        wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)
        return wall.astimezone(UTC)


# --- Building calendars --------------------------------------------------------------------------------

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_range(text: str) -> Range:
    """``"08:00-18:00"`` → (480, 1080); ``"00:00-24:00"`` is a whole day."""
    match = _RANGE_RE.match(text)
    if not match:
        raise CalendarError(f"opening range {text!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if m1 > 59 or m2 > 59 or h1 > 23 or h2 > 24 or (h2 == 24 and m2):
        raise CalendarError(f"opening range {text!r} has an invalid time")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start >= end:
        raise CalendarError(f"opening range {text!r} ends before it starts")
    return start, end


def format_range(r: Range) -> str:
    return f"{r[0] // 60:02d}:{r[0] % 60:02d}-{r[1] // 60:02d}:{r[1] % 60:02d}"


def build_calendar(
    id: str,
    name: str,
    weekly_hours: Mapping[str, Sequence[str]],
    *,
    holiday_country: str | None = "FR",
    holiday_subdivision: str | None = None,
    extra_closed_days: Iterable[date | str] = (),
) -> Calendar:
    """A calendar from the stored form: ``{"mon": ["08:00-12:00", "14:00-18:00"], …}`` (missing days closed)."""
    unknown = set(weekly_hours) - set(WEEKDAYS)
    if unknown:
        raise CalendarError(f"unknown weekday keys {sorted(unknown)} (use {', '.join(WEEKDAYS)})")
    weekly = tuple(tuple(sorted(parse_range(r) for r in weekly_hours.get(day, ()))) for day in WEEKDAYS)
    closed = frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in extra_closed_days)
    return Calendar(
        id=id,
        name=name,
        weekly=weekly,
        holiday_country=holiday_country or None,
        holiday_subdivision=normalize_subdivision(holiday_subdivision),
        extra_closed_days=closed,
    )


def normalize_subdivision(subdivision: str | None) -> str | None:
    if not subdivision:
        return None
    key = subdivision.strip()
    return SUBDIVISION_ALIASES.get(key.lower(), key)


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """Public holidays of one year (cached: the library computes Easter-based dates each time)."""
    try:
        table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as exc:
        raise CalendarError(f"unknown holiday country or subdivision {country}/{subdivision}") from exc
    return frozenset(table.keys())


_WORKING_DAY = ((8 * 60, 18 * 60),)
BUSINESS_HOURS = Calendar(
    id="business-hours",
    name="Heures ouvrées (lundi–vendredi 8 h–18 h, hors jours fériés)",
    weekly=(_WORKING_DAY,) * 5 + ((), ()),
)
BUSINESS_HOURS_SAT = Calendar(
    id="business-hours-sat",
    name="Heures ouvrées étendues (lundi–samedi 8 h–18 h, hors jours fériés)",
    weekly=(_WORKING_DAY,) * 6 + ((),),
)
ALWAYS_OPEN = Calendar(
    id="24x7",
    name="24 h/24, 7 j/7",
    weekly=(((0, MINUTES_PER_DAY),),) * 7,
    holiday_country=None,
)
BUILTIN_CALENDARS: dict[str, Calendar] = {c.id: c for c in (BUSINESS_HOURS, BUSINESS_HOURS_SAT, ALWAYS_OPEN)}


def weekly_hours_of(calendar: Calendar) -> dict[str, list[str]]:
    """The stored form of a calendar's week (inverse of build_calendar)."""
    return {
        day: [format_range(r) for r in ranges] for day, ranges in zip(WEEKDAYS, calendar.weekly, strict=True) if ranges
    }


# --- Arithmetic ----------------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("naive datetime: business-time arithmetic needs aware datetimes")
    return moment.astimezone(UTC)


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted((_utc(s), _utc(e)) for s, e in intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(interval: Interval, pauses: Sequence[Interval]) -> Iterator[Interval]:
    start, end = interval
    for p_start, p_end in pauses:
        if p_end <= start:
            continue
        if p_start >= end:
            break
        if p_start > start:
            yield start, p_start
        start = max(start, p_end)
        if start >= end:
            return
    if start < end:
        yield start, end


def open_intervals(start: datetime, calendar: Calendar, pauses: Sequence[Interval] = ()) -> Iterator[Interval]:
    """Business intervals from ``start`` onwards (clipped to it, pauses removed), in UTC, forever."""
    begin = _utc(start)
    merged_pauses = _merge(pauses)
    day = begin.astimezone(calendar.tz).date() - timedelta(days=1)  # a range may end after local midnight
    closed_streak = 0
    while True:
        day_ranges = calendar.day_intervals(day)
        closed_streak = 0 if day_ranges else closed_streak + 1
        if closed_streak > MAX_CLOSED_DAYS:
            raise CalendarError(f"calendar {calendar.id!r} never opens")
        for r_start, r_end in day_ranges:
            if r_end <= begin:
                continue
            yield from _subtract((max(r_start, begin), r_end), merged_pauses)
        day += timedelta(days=1)


def add_business_minutes(
    start: datetime, minutes: float, calendar: Calendar, pauses: Sequence[tuple[datetime, datetime]] = ()
) -> datetime:
    """The instant when ``minutes`` of business time have elapsed from ``start`` (in the calendar's zone).

    Reaching the target exactly at a closing time gives that closing time (Friday
    17:00 + 60 min → Friday 18:00, not Monday 08:00).
    """
    if minutes < 0:
        raise CalendarError("minutes must be positive")
    remaining = timedelta(minutes=minutes)
    if not remaining:
        return _utc(start).astimezone(calendar.tz)
    for i_start, i_end in open_intervals(start, calendar, pauses):
        span = i_end - i_start
        if remaining <= span:
            return (i_start + remaining).astimezone(calendar.tz)
        remaining -= span
    raise AssertionError("unreachable: open_intervals is infinite")  # pragma: no cover


def business_minutes_between(
    start: datetime, end: datetime, calendar: Calendar, pauses: Sequence[tuple[datetime, datetime]] = ()
) -> float:
    """Business minutes in [start, end) with pauses excluded; 0 when end is not after start."""
    stop = _utc(end)
    if stop <= _utc(start):
        return 0.0
    total = timedelta()
    for i_start, i_end in open_intervals(start, calendar, pauses):
        if i_start >= stop:
            break
        total += min(i_end, stop) - i_start
    return total.total_seconds() / 60
