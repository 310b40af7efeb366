"""Business calendars: table-driven deadlines and durations (seed 001's Friday example, holidays, DST, pauses)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from softwhere.sla.services.calendar import (
    ALWAYS_OPEN,
    BUSINESS_HOURS,
    BUSINESS_HOURS_SAT,
    PARIS,
    Calendar,
    CalendarError,
    add_business_minutes,
    build_calendar,
    business_minutes_between,
    parse_range,
    weekly_hours_of,
)


def p(text: str) -> datetime:
    """Paris wall-clock time from 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


ALSACE = build_calendar("alsace", "Alsace", weekly_hours_of(BUSINESS_HOURS), holiday_subdivision="67")
MOSELLE = build_calendar("moselle", "Moselle", weekly_hours_of(BUSINESS_HOURS), holiday_subdivision="57")
LUNCH_BREAK = build_calendar(
    "lunch", "Avec pause déjeuner", {d: ["08:00-12:00", "14:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
)
NIGHT_SHIFT = build_calendar(
    "night",
    "Nuit",
    {d: ["22:00-24:00", "00:00-06:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    holiday_country=None,
)

DEADLINES = [
    # (case, calendar, start, minutes, expected due)
    ("seed 001: Friday 17:00 + 4h -> Monday 11:00", BUSINESS_HOURS, "2026-11-27 17:00", 240, "2026-11-30 11:00"),
    ("before opening hours starts at 08:00", BUSINESS_HOURS, "2026-11-30 06:00", 60, "2026-11-30 09:00"),
    ("after closing hours starts next morning", BUSINESS_HOURS, "2026-11-30 18:30", 60, "2026-12-01 09:00"),
    ("reaching the target exactly at closing time", BUSINESS_HOURS, "2026-11-27 17:00", 60, "2026-11-27 18:00"),
    ("starting exactly at closing time", BUSINESS_HOURS, "2026-11-27 18:00", 1, "2026-11-30 08:01"),
    ("starting exactly at opening time", BUSINESS_HOURS, "2026-11-30 08:00", 600, "2026-11-30 18:00"),
    ("Saturday start waits for Monday", BUSINESS_HOURS, "2026-11-28 10:00", 30, "2026-11-30 08:30"),
    ("11 November (Wednesday) is skipped", BUSINESS_HOURS, "2026-11-10 17:00", 120, "2026-11-12 09:00"),
    ("Christmas (Friday) and the weekend are skipped", BUSINESS_HOURS, "2026-12-24 16:00", 240, "2026-12-28 10:00"),
    ("1 January (Friday) is skipped", BUSINESS_HOURS, "2026-12-31 17:00", 120, "2027-01-04 09:00"),
    ("Easter Monday is skipped", BUSINESS_HOURS, "2026-04-03 17:00", 240, "2026-04-07 11:00"),
    ("Good Friday is worked in metropolitan France", BUSINESS_HOURS, "2026-04-02 17:00", 240, "2026-04-03 11:00"),
    ("Good Friday is a holiday in Moselle (57)", MOSELLE, "2026-04-02 17:00", 240, "2026-04-07 11:00"),
    ("Ascension Thursday is skipped", BUSINESS_HOURS, "2026-05-13 15:00", 240, "2026-05-15 09:00"),
    ("26 December is worked in metropolitan France", BUSINESS_HOURS, "2025-12-24 17:00", 120, "2025-12-26 09:00"),
    ("26 December is a holiday in Alsace (67)", ALSACE, "2025-12-24 17:00", 120, "2025-12-29 09:00"),
    ("Saturday calendar works on Saturday", BUSINESS_HOURS_SAT, "2026-11-27 17:00", 240, "2026-11-28 11:00"),
    ("Saturday calendar skips Sunday", BUSINESS_HOURS_SAT, "2026-11-28 17:00", 120, "2026-11-30 09:00"),
    (
        "Saturday calendar skips a Saturday holiday (15 August)",
        BUSINESS_HOURS_SAT,
        "2026-08-14 17:00",
        120,
        "2026-08-17 09:00",
    ),
    ("24/7: Friday 17:00 + 4h -> Friday 21:00", ALWAYS_OPEN, "2026-11-27 17:00", 240, "2026-11-27 21:00"),
    ("24/7 counts Christmas", ALWAYS_OPEN, "2026-12-24 22:00", 240, "2026-12-25 02:00"),
    (
        "24/7 across the March DST night (02:00 does not exist)",
        ALWAYS_OPEN,
        "2026-03-29 01:00",
        120,
        "2026-03-29 04:00",
    ),
    (
        "24/7: 24 real hours over the March change end at 13:00",
        ALWAYS_OPEN,
        "2026-03-28 12:00",
        1440,
        "2026-03-29 13:00",
    ),
    (
        "24/7: 24 real hours over the October change end at 11:00",
        ALWAYS_OPEN,
        "2026-10-24 12:00",
        1440,
        "2026-10-25 11:00",
    ),
    ("business hours over the March DST weekend", BUSINESS_HOURS, "2026-03-27 17:00", 240, "2026-03-30 11:00"),
    ("business hours over the October DST weekend", BUSINESS_HOURS, "2026-10-23 17:00", 240, "2026-10-26 11:00"),
    ("two opening ranges per day (lunch break)", LUNCH_BREAK, "2026-11-30 11:00", 120, "2026-11-30 15:00"),
    ("range ending at midnight continues after it", NIGHT_SHIFT, "2026-11-30 23:00", 120, "2026-12-01 01:00"),
    (
        "night range on the March DST night: 02:00-03:00 does not exist",
        NIGHT_SHIFT,
        "2026-03-29 01:00",
        120,
        "2026-03-29 04:00",
    ),
    ("zero minutes is the start itself", BUSINESS_HOURS, "2026-11-28 10:00", 0, "2026-11-28 10:00"),
]


@pytest.mark.parametrize(("case", "calendar", "start", "minutes", "expected"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_add_business_minutes(case: str, calendar: Calendar, start: str, minutes: int, expected: str) -> None:
    due = add_business_minutes(p(start), minutes, calendar)
    assert due == p(expected)
    assert due.tzinfo == PARIS  # shown in Paris time


@pytest.mark.parametrize(("case", "calendar", "start", "minutes", "expected"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_business_minutes_between_inverts_add(
    case: str, calendar: Calendar, start: str, minutes: int, expected: str
) -> None:
    assert business_minutes_between(p(start), p(expected), calendar) == minutes


DURATIONS = [
    ("seed example Friday 17:00 -> Monday 11:00", BUSINESS_HOURS, "2026-11-27 17:00", "2026-11-30 11:00", 240),
    ("a whole weekend counts nothing", BUSINESS_HOURS, "2026-11-28 00:00", "2026-11-30 08:00", 0),
    ("whole week", BUSINESS_HOURS, "2026-11-30 00:00", "2026-12-07 00:00", 3000),
    ("week with 11 November", BUSINESS_HOURS, "2026-11-09 00:00", "2026-11-16 00:00", 2400),
    ("24/7 day of the March change has 23 hours", ALWAYS_OPEN, "2026-03-29 00:00", "2026-03-30 00:00", 1380),
    ("24/7 day of the October change has 25 hours", ALWAYS_OPEN, "2026-10-25 00:00", "2026-10-26 00:00", 1500),
    ("24/7 Saturday noon to Sunday noon in March", ALWAYS_OPEN, "2026-03-28 12:00", "2026-03-29 12:00", 1380),
    ("24/7 Saturday noon to Sunday noon in October", ALWAYS_OPEN, "2026-10-24 12:00", "2026-10-25 12:00", 1500),
    ("end before start is zero", BUSINESS_HOURS, "2026-11-30 12:00", "2026-11-30 10:00", 0),
    ("Saturday calendar counts Saturday", BUSINESS_HOURS_SAT, "2026-11-28 00:00", "2026-11-29 00:00", 600),
]


@pytest.mark.parametrize(("case", "calendar", "start", "end", "expected"), DURATIONS, ids=[d[0] for d in DURATIONS])
def test_business_minutes_between(case: str, calendar: Calendar, start: str, end: str, expected: int) -> None:
    assert business_minutes_between(p(start), p(end), calendar) == expected


def test_seconds_are_kept() -> None:
    start = p("2026-11-30 09:00")
    assert business_minutes_between(start, start.replace(second=30), BUSINESS_HOURS) == 0.5


PAUSES = [
    # (case, calendar, start, minutes, pauses, expected due)
    (
        "pause inside opening hours pushes the deadline",
        BUSINESS_HOURS,
        "2026-11-30 09:00",
        240,
        [("2026-11-30 10:00", "2026-11-30 11:00")],
        "2026-11-30 14:00",
    ),
    (
        "pause over the weekend only costs its opening hours",
        BUSINESS_HOURS,
        "2026-11-27 17:00",
        240,
        [("2026-11-27 17:30", "2026-11-30 09:00")],
        "2026-11-30 12:30",
    ),
    (
        "overlapping pauses are merged",
        BUSINESS_HOURS,
        "2026-11-30 09:00",
        60,
        [("2026-11-30 10:00", "2026-11-30 11:00"), ("2026-11-30 09:30", "2026-11-30 10:30")],
        "2026-11-30 11:30",
    ),
    (
        "pause before the start is ignored",
        BUSINESS_HOURS,
        "2026-11-30 09:00",
        60,
        [("2026-11-27 09:00", "2026-11-27 18:00")],
        "2026-11-30 10:00",
    ),
    (
        "pause at the start",
        ALWAYS_OPEN,
        "2026-11-30 09:00",
        60,
        [("2026-11-30 09:00", "2026-11-30 12:00")],
        "2026-11-30 13:00",
    ),
    (
        "24/7 pause over the March change",
        ALWAYS_OPEN,
        "2026-03-28 22:00",
        120,
        [("2026-03-28 23:00", "2026-03-29 04:00")],
        "2026-03-29 05:00",
    ),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "minutes", "pauses", "expected"), PAUSES, ids=[x[0] for x in PAUSES]
)
def test_pauses(
    case: str, calendar: Calendar, start: str, minutes: int, pauses: list[tuple[str, str]], expected: str
) -> None:
    intervals = [(p(a), p(b)) for a, b in pauses]
    assert add_business_minutes(p(start), minutes, calendar, intervals) == p(expected)
    assert business_minutes_between(p(start), p(expected), calendar, intervals) == minutes


def test_extra_closed_days() -> None:
    closed = build_calendar(
        "pont", "Pont", weekly_hours_of(BUSINESS_HOURS), extra_closed_days=["2026-11-30", date(2026, 12, 1)]
    )
    assert add_business_minutes(p("2026-11-27 17:00"), 240, closed) == p("2026-12-02 11:00")


def test_calendar_without_holidays_counts_them() -> None:
    no_holidays = build_calendar("nh", "Sans fériés", weekly_hours_of(BUSINESS_HOURS), holiday_country=None)
    assert add_business_minutes(p("2026-11-10 17:00"), 120, no_holidays) == p("2026-11-11 09:00")


def test_utc_input_gives_paris_output() -> None:
    due = add_business_minutes(datetime.fromisoformat("2026-11-27T16:00:00+00:00"), 240, BUSINESS_HOURS)
    assert due.isoformat() == "2026-11-30T11:00:00+01:00"


@pytest.mark.parametrize(
    "bad",
    [
        lambda: add_business_minutes(datetime(2026, 11, 27, 17), 60, BUSINESS_HOURS),  # noqa: DTZ001 - on purpose
        lambda: add_business_minutes(p("2026-11-27 17:00"), -1, BUSINESS_HOURS),
        lambda: add_business_minutes(p("2026-11-27 17:00"), 1, build_calendar("never", "Jamais", {})),
        lambda: parse_range("18:00-08:00"),
        lambda: parse_range("8h-18h"),
        lambda: parse_range("08:00-24:30"),
        lambda: build_calendar("x", "x", {"lundi": ["08:00-18:00"]}),
        lambda: build_calendar("x", "x", {"mon": ["08:00-12:00", "11:00-13:00"]}),
    ],
)
def test_invalid_input_is_refused(bad: object) -> None:
    with pytest.raises(CalendarError):
        bad()  # type: ignore[operator]


def test_builtin_week_round_trips_through_stored_form() -> None:
    rebuilt = build_calendar("business-hours", "x", weekly_hours_of(BUSINESS_HOURS))
    assert rebuilt.weekly == BUSINESS_HOURS.weekly
    assert weekly_hours_of(ALWAYS_OPEN)["sun"] == ["00:00-24:00"]
