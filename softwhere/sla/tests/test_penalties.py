"""GTR penalty tiers of seed 001 at their exact boundaries, and the CLI's shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from softwhere.sla.services.penalties import penalty_amount, penalty_percent

TIERS = [
    # (T in minutes, percent) — "4h < T <= 6h30 : 20 %", etc.
    (0, 0),
    (239, 0),
    (240, 0),  # exactly 4 h: the guarantee is met
    (240.5, 20),  # 30 seconds late
    (241, 20),
    (389, 20),
    (390, 20),  # exactly 6h30 is still the first tier
    (391, 40),
    (510, 40),  # exactly 8h30
    (510.5, 60),
    (599, 60),
    (600, 60),  # exactly 10 h
    (600.5, 100),
    (601, 100),
    (5000, 100),
]


@pytest.mark.parametrize(("minutes", "percent"), TIERS)
def test_penalty_tiers(minutes: float, percent: int) -> None:
    assert penalty_percent(minutes) == percent


@pytest.mark.parametrize(
    ("fee", "percent", "amount"),
    [("300", 20, "60.00"), ("300", 100, "300.00"), ("249.99", 40, "100.00"), ("0", 60, "0.00"), ("123.45", 0, "0.00")],
)
def test_penalty_amount(fee: str, percent: int, amount: str) -> None:
    assert penalty_amount(Decimal(fee), percent) == Decimal(amount)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_cli_deadline_seed_example() -> None:
    assert run(
        "sla", "deadline", "--start", "2026-11-27T17:00", "--calendar", "business-hours", "--minutes", "240"
    ) == ("2026-11-30T11:00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("calendar", "start", "minutes", "expected"),
    [
        ("24x7", "2026-11-27T17:00", "240", "2026-11-27T21:00"),
        ("business-hours-sat", "2026-11-27T17:00", "240", "2026-11-28T11:00"),
        ("business-hours", "2026-11-27T16:00:00+00:00", "240", "2026-11-30T11:00"),  # offset given: converted
    ],
)
def test_cli_deadline_other_calendars(calendar: str, start: str, minutes: str, expected: str) -> None:
    assert run("sla", "deadline", "--start", start, "--calendar", calendar, "--minutes", minutes) == expected


PENALTY_CASES = [
    # restored, calendar, expected JSON — detected Friday 27 Nov 2026 17:00, fee 300 €
    ("2026-11-30T11:00", "business-hours", {"elapsed_minutes": 240, "percent": 0, "amount_eur": 0.0}),
    ("2026-11-30T11:01", "business-hours", {"elapsed_minutes": 241, "percent": 20, "amount_eur": 60.0}),
    ("2026-11-30T13:30", "business-hours", {"elapsed_minutes": 390, "percent": 20, "amount_eur": 60.0}),
    ("2026-11-30T15:30", "business-hours", {"elapsed_minutes": 510, "percent": 40, "amount_eur": 120.0}),
    ("2026-11-30T17:00", "business-hours", {"elapsed_minutes": 600, "percent": 60, "amount_eur": 180.0}),
    ("2026-11-30T17:01", "business-hours", {"elapsed_minutes": 601, "percent": 100, "amount_eur": 300.0}),
    ("2026-11-27T21:00", "24x7", {"elapsed_minutes": 240, "percent": 0, "amount_eur": 0.0}),
    ("2026-11-28T03:00", "24x7", {"elapsed_minutes": 600, "percent": 60, "amount_eur": 180.0}),
    ("2026-11-27T17:00:30", "24x7", {"elapsed_minutes": 0.5, "percent": 0, "amount_eur": 0.0}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("restored", "calendar", "expected"), PENALTY_CASES)
def test_cli_penalty(restored: str, calendar: str, expected: dict[str, object]) -> None:
    output = run(
        "sla",
        "penalty",
        "--start",
        "2026-11-27T17:00",
        "--restored",
        restored,
        "--calendar",
        calendar,
        "--monthly-fee",
        "300",
    )
    assert json.loads(output) == expected
    assert list(json.loads(output)) == ["elapsed_minutes", "percent", "amount_eur"]


@pytest.mark.django_db
def test_cli_refuses_unknown_calendar_and_reversed_dates() -> None:
    with pytest.raises(CommandError, match="calendrier inconnu"):
        run("sla", "deadline", "--start", "2026-11-27T17:00", "--calendar", "nope", "--minutes", "1")
    with pytest.raises(CommandError, match="antérieur"):
        run("sla", "penalty", "--start", "2026-11-27T17:00", "--restored", "2026-11-27T16:00", "--monthly-fee", "300")


def test_console_script_prints_exact_shapes(tmp_path: object) -> None:
    """The real ``softwhere`` entry point, as the checks call it (empty database: built-in calendars)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("softwhere")
    env = {**os.environ, "SOFTWHERE_DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"}
    deadline = subprocess.run(
        [script, "sla", "deadline", "--start", "2026-11-27T17:00", "--calendar", "business-hours", "--minutes", "240"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert deadline.stdout == "2026-11-30T11:00\n"
    penalty = subprocess.run(
        [
            script,
            "sla",
            "penalty",
            "--start",
            "2026-11-27T17:00",
            "--restored",
            "2026-11-30T12:00",
            "--calendar",
            "business-hours",
            "--monthly-fee",
            "300",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert json.loads(penalty.stdout) == {"elapsed_minutes": 300, "percent": 20, "amount_eur": 60.0}


@pytest.mark.django_db
def test_custom_calendar_from_the_database() -> None:
    from django.core.exceptions import ValidationError

    from softwhere.sla.models import BusinessCalendar

    moselle = BusinessCalendar(
        id="moselle-samedi",
        name="Moselle, lundi–samedi",
        weekly_hours={d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
        holiday_subdivision="57",
        extra_closed_days=["2026-04-04"],
    )
    moselle.full_clean()
    moselle.save()
    # Thursday 17:00 + 4 h: Good Friday (Moselle) and the extra closed Saturday are skipped, Easter Monday too.
    assert run(
        "sla", "deadline", "--start", "2026-04-02T17:00", "--calendar", "moselle-samedi", "--minutes", "240"
    ) == ("2026-04-07T11:00")
    broken = BusinessCalendar(id="x", name="x", weekly_hours={"mon": ["18:00-08:00"]})
    with pytest.raises(ValidationError):
        broken.full_clean()
    with pytest.raises(ValidationError):
        BusinessCalendar(id="closed", name="Jamais", weekly_hours={}).full_clean()


@pytest.mark.django_db
def test_builtin_calendars_are_seeded_and_editable() -> None:
    from softwhere.sla.models import BusinessCalendar

    assert set(BusinessCalendar.objects.values_list("id", flat=True)) >= {
        "business-hours",
        "business-hours-sat",
        "24x7",
    }
    # A company closure day added in the admin applies at once.
    row = BusinessCalendar.objects.get(pk="business-hours")
    row.extra_closed_days = ["2026-11-30"]
    row.save()
    assert run(
        "sla", "deadline", "--start", "2026-11-27T17:00", "--calendar", "business-hours", "--minutes", "240"
    ) == ("2026-12-01T11:00")
