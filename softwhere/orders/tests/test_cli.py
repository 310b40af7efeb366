"""``softwhere portability quote --json …``: the exact output shape and exit status 2 for impossible requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "softwhere.cli", "portability", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_quote_prints_total_and_lines() -> None:
    payload = {
        "operator": "SFR",
        "numbers": ["0472102030", "0472102031"],
        "analog_lines": ["0472102040"],
        "postpone": False,
        "cancel": False,
    }
    result = run("quote", "--json", json.dumps(payload))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"total_eur", "lines"}
    assert out["total_eur"] == 160
    assert [line["numbers"] for line in out["lines"]] == [["0472102030", "0472102031"], ["0472102040"]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"operator": "Bouygues", "numbers": ["0472102030"]}', "ARCEP"),
        ('{"operator": "orange", "numbers": ["0472102030"]}', "ambigu"),
        ('{"operator": "SFR", "numbers": ["0972102030"]}', "09"),
        ('{"operator": "SFR", "numbers": ["04 72"]}', "invalide"),
        (
            '{"operator": "SFR", "numbers": ["0472102030"], "invoice_numbers": ["0472102030", "0472102031"]}',
            "partielle",
        ),
        ("{pas du json", "JSON illisible"),
    ],
)
def test_impossible_request_exits_2_with_a_french_message(payload: str, message: str) -> None:
    result = run("quote", "--json", payload)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.startswith("Demande impossible")


def test_operators_lists_the_table() -> None:
    result = run("operators")
    rows = json.loads(result.stdout)
    assert len(rows) == 38
    assert {"name": "FREE", "geographic_eur": 80, "special_08_eur": 150, "special_09_eur": 150} in rows
