"""Opening hours of a telephony calendar (§4.2), evaluated on Europe/Paris wall-clock time.

A calendar has schedule types (hours applied to a set of weekdays, each with an
optional lunch break), closure periods and closure days; closing hours are
« déduits des horaires d'ouverture ». ``status(at)`` says open/closed and why, in French,
so the simulator can explain its choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from ..choices import WEEKDAY_NAMES, WEEKDAYS

PARIS = ZoneInfo("Europe/Paris")


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time.max
    return time(h, m)


def fmt(t: time) -> str:
    return "24:00" if t == time.max else f"{t:%H:%M}"


@dataclass(frozen=True)
class LunchBreak:
    start: time
    end: time


@dataclass(frozen=True)
class Schedule:
    days: tuple[str, ...]  # among WEEKDAYS
    start: time
    end: time
    lunch: LunchBreak | None = None

    @property
    def text(self) -> str:
        base = f"{fmt(self.start)}–{fmt(self.end)}"
        if self.lunch:
            base += f" (pause déjeuner {fmt(self.lunch.start)}–{fmt(self.lunch.end)})"
        return base


@dataclass(frozen=True)
class ClosurePeriod:
    first_day: date
    last_day: date


@dataclass(frozen=True)
class CalendarStatus:
    open: bool
    reason: str


@dataclass(frozen=True)
class Calendar:
    name: str
    schedules: tuple[Schedule, ...] = ()
    closure_periods: tuple[ClosurePeriod, ...] = ()
    closure_days: tuple[date, ...] = field(default_factory=tuple)

    def schedule_of(self, weekday: int) -> Schedule | None:
        slug = WEEKDAYS[weekday]
        return next((s for s in self.schedules if slug in s.days), None)

    def status(self, at: datetime) -> CalendarStatus:
        """Open or closed at ``at`` (converted to Paris time), with the French reason."""
        local = at.astimezone(PARIS) if at.tzinfo else at
        day, now = local.date(), local.time()
        if day in self.closure_days:
            return CalendarStatus(False, f"jour de fermeture ({day:%d/%m/%Y})")
        for period in self.closure_periods:
            if period.first_day <= day <= period.last_day:
                return CalendarStatus(
                    False, f"période de fermeture du {period.first_day:%d/%m/%Y} au {period.last_day:%d/%m/%Y}"
                )
        dayname = WEEKDAY_NAMES[local.weekday()]
        schedule = self.schedule_of(local.weekday())
        if schedule is None:
            return CalendarStatus(False, f"aucun horaire d'ouverture le {dayname}")
        if not (schedule.start <= now < schedule.end):
            return CalendarStatus(False, f"en dehors des horaires du {dayname} ({schedule.text})")
        if schedule.lunch and schedule.lunch.start <= now < schedule.lunch.end:
            return CalendarStatus(False, f"pause déjeuner {fmt(schedule.lunch.start)}–{fmt(schedule.lunch.end)}")
        return CalendarStatus(True, f"horaires d'ouverture du {dayname} ({schedule.text})")

    def is_open(self, at: datetime) -> bool:
        return self.status(at).open


def calendar_from_dict(data: dict[str, Any]) -> Calendar:
    """From the JSON document's calendar object (already schema-checked)."""
    schedules = []
    for s in data.get("schedules", []):
        lunch = s.get("lunch_break")
        schedules.append(
            Schedule(
                days=tuple(s["days"]),
                start=parse_hhmm(s["start"]),
                end=parse_hhmm(s["end"]),
                lunch=LunchBreak(parse_hhmm(lunch["start"]), parse_hhmm(lunch["end"])) if lunch else None,
            )
        )
    return Calendar(
        name=data["name"],
        schedules=tuple(schedules),
        closure_periods=tuple(
            ClosurePeriod(date.fromisoformat(p["first_day"]), date.fromisoformat(p["last_day"]))
            for p in data.get("closure_periods", [])
        ),
        closure_days=tuple(date.fromisoformat(d) for d in data.get("closure_days", [])),
    )
