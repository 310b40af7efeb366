"""Flapping verdicts: seed outputs (stable since 16/06/2025), crafted flapping, thresholds, edge cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from softwhere.diagnostics.adapters.vendors import cisco_ios, rad_etx
from softwhere.diagnostics.services.alarms import AlarmEvent, AlarmLog
from softwhere.diagnostics.services.flapping import FlapThresholds, analyse

DATA = Path(__file__).parent / "data"
PARIS = ZoneInfo("Europe/Paris")
SEED_DAY = datetime(2025, 6, 19, 10, 0, tzinfo=PARIS)  # « le ticket est traité le 19/06/2025 »


def rad(name: str, at: datetime = SEED_DAY) -> AlarmLog:
    return rad_etx.parse_alarm_log((DATA / name).read_text(), PARIS, at)


@pytest.mark.parametrize(
    ("name", "last"),
    [
        ("rad_etx_site1_alarm_log.txt", datetime(2025, 6, 16, 16, 10, 44, tzinfo=PARIS)),
        ("rad_etx_site2_alarm_log.txt", datetime(2025, 6, 16, 16, 10, 37, tzinfo=PARIS)),
    ],
)
def test_seed_sites_are_stable_since_16_june(name: str, last: datetime) -> None:
    a = analyse(rad(name), SEED_DAY)
    assert a.verdict == "stable"
    assert a.message == "stable depuis le 16/06/2025"
    assert a.last_alarm == last
    assert a.transitions == 0 and a.active == []


def test_seed_site2_replayed_during_the_cut_is_flapping() -> None:
    # As of 16/06 16:09, the LOC raised at 16:08:43 is not cleared yet.
    during = datetime(2025, 6, 16, 16, 9, tzinfo=PARIS)
    a = analyse(rad("rad_etx_site2_alarm_log.txt", during), during)
    assert a.verdict == "flapping" and [e.code for e in a.active] == ["LOC"]
    assert "alarme toujours active (LOC)" in a.message


def test_crafted_rad_flapping_counts_transitions_in_window() -> None:
    at = datetime(2025, 6, 19, 12, 0, tzinfo=PARIS)
    a = analyse(rad("rad_etx_flapping.txt", at), at)
    assert a.verdict == "flapping" and a.transitions == 6
    assert a.message == "bagots : 6 transitions sur les dernières 24 h"
    assert a.transitions_by_source == {"4.1.24.14": 6}


def test_thresholds_are_configurable() -> None:
    at = datetime(2025, 6, 19, 12, 0, tzinfo=PARIS)
    log = rad("rad_etx_flapping.txt", at)
    assert analyse(log, at, FlapThresholds(min_transitions=7)).verdict == "stable"
    # A 1-hour window only sees 10:30 and 10:31 — below 3.
    narrow = analyse(log, datetime(2025, 6, 19, 11, 0, tzinfo=PARIS), FlapThresholds(window=timedelta(hours=1)))
    assert narrow.transitions == 2 and narrow.verdict == "stable"
    later = analyse(log, datetime(2025, 6, 21, 12, 0, tzinfo=PARIS))
    assert later.verdict == "stable" and later.message == "stable depuis le 19/06/2025"
    with pytest.raises(ValueError):
        FlapThresholds(min_transitions=0)


def test_events_after_the_analysis_instant_are_ignored() -> None:
    before = datetime(2025, 6, 19, 8, 0, tzinfo=PARIS)
    a = analyse(rad("rad_etx_flapping.txt", before), before)
    assert a.transitions == 0 and a.last_alarm is None and a.verdict == "stable"


def test_cisco_link_and_lineprotocol_of_one_flap_count_once() -> None:
    at = datetime(2025, 6, 19, 12, 0, tzinfo=PARIS)
    log = cisco_ios.parse_alarm_log((DATA / "cisco_ios_flapping.txt").read_text(), PARIS, at)
    a = analyse(log, at)
    assert a.transitions == 4 and a.verdict == "flapping"
    stable = cisco_ios.parse_alarm_log((DATA / "cisco_ios_stable.txt").read_text(), PARIS, SEED_DAY)
    s = analyse(stable, SEED_DAY)
    assert s.verdict == "stable" and s.message == "stable depuis le 16/06/2025"


def test_empty_garbage_and_undated() -> None:
    empty = analyse(rad("rad_etx_empty.txt"), SEED_DAY)
    assert empty.verdict == "stable" and empty.last_alarm is None
    garbage = analyse(rad("garbage.txt"), SEED_DAY)
    assert garbage.verdict == "unknown" and garbage.message == "format non reconnu"
    undated = AlarmLog("rad-etx", True, [AlarmEvent(kind="raise", name="LOC", timestamp=None, complete=False)])
    assert analyse(undated, SEED_DAY).verdict == "unknown"


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        analyse(rad("rad_etx_empty.txt"), datetime(2025, 6, 19))  # noqa: DTZ001 - the point of the test
