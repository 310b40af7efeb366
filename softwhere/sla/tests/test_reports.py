"""Monthly SLA figures (pure, table-driven) and the French month labels of the charts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from softwhere.core.frdates import month_label
from softwhere.sla.reports import (
    ClockOutcome,
    Compliance,
    PenaltyRecord,
    add_months,
    compliance_by_client,
    last_months,
    month_of,
    monthly_compliance,
    monthly_penalties,
    penalty_totals,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
MONTHS = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


def at(text: str, tz: ZoneInfo = PARIS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("instant", "month"),
    [
        (at("2026-11-30 23:30"), date(2026, 11, 1)),
        # 23:30 UTC on 30 November is already 1 December in Paris: it counts in December.
        (at("2026-11-30 23:30", UTC), date(2026, 12, 1)),
        (at("2026-03-31 22:30", UTC), date(2026, 4, 1)),  # summer time: UTC+2
        (at("2026-12-31 22:59", UTC), date(2026, 12, 1)),
        (at("2026-12-31 23:00", UTC), date(2027, 1, 1)),
    ],
)
def test_month_of_uses_paris_time(instant: datetime, month: date) -> None:
    assert month_of(instant) == month


@pytest.mark.parametrize(
    ("month", "short", "label"),
    [
        (date(2026, 1, 1), False, "janvier 2026"),
        (date(2026, 2, 1), True, "févr. 2026"),
        (date(2026, 8, 1), False, "août 2026"),
        (date(2026, 12, 1), False, "décembre 2026"),
        (date(2026, 12, 1), True, "déc. 2026"),
    ],
)
def test_month_label_in_french(month: date, short: bool, label: str) -> None:
    assert month_label(month, short=short) == label


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (date(2026, 12, 1), 1, [date(2026, 12, 1)]),
        (date(2026, 2, 15), 3, [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]),
        (date(2026, 1, 1), 2, [date(2025, 12, 1), date(2026, 1, 1)]),
    ],
)
def test_last_months(month: date, count: int, expected: list[date]) -> None:
    assert last_months(month, count) == expected


def test_add_months_crosses_years() -> None:
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)


def outcome(org: str, kind: str, when: str, breached: bool) -> ClockOutcome:
    return ClockOutcome(org, kind, at(when), breached)


OUTCOMES = [
    outcome("ACME", "gtr", "2026-11-02 10:00", True),
    outcome("ACME", "gtr", "2026-11-20 10:00", False),
    outcome("ACME", "gtr", "2026-11-25 10:00", False),
    outcome("ACME", "resolution", "2026-10-05 10:00", False),
    outcome("Boulangerie", "gtr", "2026-12-01 00:10", True),
    outcome("Boulangerie", "first_response", "2026-12-03 09:00", False),
    outcome("Boulangerie", "first_response", "2026-09-30 09:00", True),  # before the window: ignored
]

COMPLIANCE_CASES = [
    # (organisation filter, kind, expected (stopped, breached, percent) per month)
    (None, "gtr", [(0, 0, None), (3, 1, 66.7), (1, 1, 0.0)]),
    (None, "resolution", [(1, 0, 100.0), (0, 0, None), (0, 0, None)]),
    (None, "first_response", [(0, 0, None), (0, 0, None), (1, 0, 100.0)]),
    ("ACME", "gtr", [(0, 0, None), (3, 1, 66.7), (0, 0, None)]),
    ("Boulangerie", "gtr", [(0, 0, None), (0, 0, None), (1, 1, 0.0)]),
    ("Inconnu", "gtr", [(0, 0, None), (0, 0, None), (0, 0, None)]),
]


@pytest.mark.parametrize(("organisation", "kind", "expected"), COMPLIANCE_CASES)
def test_monthly_compliance(organisation: str | None, kind: str, expected: list[tuple[int, int, float | None]]) -> None:
    series = monthly_compliance(OUTCOMES, MONTHS, organisation=organisation)
    assert set(series) == {"gtr", "first_response", "resolution"}
    assert [(c.stopped, c.breached, c.percent) for c in series[kind]] == expected


def test_compliance_by_client_lists_clients_of_the_window_only() -> None:
    by_client = compliance_by_client(OUTCOMES, MONTHS)
    assert list(by_client) == ["ACME", "Boulangerie"]
    assert by_client["ACME"]["gtr"][1] == Compliance(3, 1)
    # Boulangerie's September clock is outside the window.
    assert sum(c.stopped for c in by_client["Boulangerie"]["first_response"]) == 1
    assert compliance_by_client(OUTCOMES, [date(2025, 1, 1)]) == {}


@pytest.mark.parametrize(
    ("stopped", "breached", "met", "percent"),
    [(0, 0, 0, None), (1, 0, 1, 100.0), (1, 1, 0, 0.0), (3, 2, 1, 33.3), (8, 1, 7, 87.5)],
)
def test_compliance_percent(stopped: int, breached: int, met: int, percent: float | None) -> None:
    cell = Compliance(stopped, breached)
    assert (cell.met, cell.percent) == (met, percent)


PENALTIES = [
    PenaltyRecord("Boulangerie", at("2026-11-03 12:00"), Decimal("60.00")),
    PenaltyRecord("ACME", at("2026-11-30 14:00"), Decimal("100.00")),
    PenaltyRecord("ACME", at("2026-11-30 23:30", UTC), Decimal("250.00")),  # 1 December in Paris
    PenaltyRecord("ACME", at("2026-10-12 09:00"), Decimal("0.50")),
    PenaltyRecord("ACME", at("2026-08-12 09:00"), Decimal("999.00")),  # outside the window
]


def test_monthly_penalties_per_client_and_month() -> None:
    per_client = monthly_penalties(PENALTIES, MONTHS)
    assert per_client == {
        "ACME": [Decimal("0.50"), Decimal("100.00"), Decimal("250.00")],
        "Boulangerie": [Decimal("0"), Decimal("60.00"), Decimal("0")],
    }
    assert penalty_totals(per_client, MONTHS) == [Decimal("0.50"), Decimal("160.00"), Decimal("250.00")]


def test_monthly_penalties_empty() -> None:
    assert monthly_penalties([], MONTHS) == {}
    assert penalty_totals({}, MONTHS) == [Decimal("0")] * 3
