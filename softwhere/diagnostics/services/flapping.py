"""Flapping ("bagots") verdict from a parsed alarm log, as of a given instant.

Seed 004: the technician reads the alarm log and concludes « il n'y a pas eu
d'alarme depuis le 16/06/2025 (le ticket est traité le 19/06/2025), il n'y a donc
pas eu de bagots ». Here the same reading is a pure function with thresholds:
a line flaps when it changed state at least ``min_transitions`` times in the
last ``window``, or when an alarm is still raised; otherwise it is stable since
its last alarm.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .alarms import UNRECOGNISED, AlarmEvent, AlarmLog

FlapVerdict = Literal["stable", "flapping", "unknown", "unreachable"]
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class FlapThresholds:
    window: timedelta = timedelta(hours=24)
    min_transitions: int = 3
    #: a down and an up reported within this delay on one source are one change (Cisco LINK + LINEPROTO).
    merge: timedelta = timedelta(seconds=5)

    def __post_init__(self) -> None:
        if self.window <= timedelta(0):
            raise ValueError("window must be positive")
        if self.min_transitions < 1:
            raise ValueError("min_transitions must be at least 1")


@dataclass
class FlapAnalysis:
    verdict: FlapVerdict
    at: datetime
    transitions: int = 0
    last_alarm: datetime | None = None
    #: events whose alarm is still raised (no later clear on the same key).
    active: list[AlarmEvent] = field(default_factory=list)
    transitions_by_source: dict[str, int] = field(default_factory=dict)
    window: timedelta = timedelta(hours=24)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "at": self.at.isoformat(),
            "transitions": self.transitions,
            "last_alarm": self.last_alarm.isoformat() if self.last_alarm else None,
            "active": [e.to_dict() for e in self.active],
            "transitions_by_source": self.transitions_by_source,
            "window_hours": self.window.total_seconds() / 3600,
            "message": self.message,
        }


def _fr_date(value: datetime, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%d/%m/%Y")


def _hours(window: timedelta) -> str:
    hours = window.total_seconds() / 3600
    return f"{hours:g} h"


def _in_window(event: AlarmEvent, start: datetime, at: datetime) -> bool:
    assert event.timestamp is not None
    if event.time_known:
        return start < event.timestamp <= at
    # Only the day is known: count it when that day overlaps the window.
    return event.timestamp <= at and event.timestamp + timedelta(days=1) > start


def _merged(events: list[AlarmEvent], merge: timedelta) -> list[AlarmEvent]:
    """Drop a transition that repeats the previous one of the same source and direction within ``merge``."""
    kept: list[AlarmEvent] = []
    last: dict[tuple[str, str], datetime] = {}
    for e in events:
        assert e.timestamp is not None
        k = (e.source, e.kind)
        prev = last.get(k)
        last[k] = e.timestamp
        if prev is not None and e.timestamp - prev <= merge:
            continue
        kept.append(e)
    return kept


def analyse(
    log: AlarmLog, at: datetime, thresholds: FlapThresholds | None = None, *, display_tz: tzinfo = PARIS
) -> FlapAnalysis:
    """Verdict as of ``at`` (timezone-aware); events after ``at`` are ignored (a replay of the past)."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    th = thresholds or FlapThresholds()
    if not log.recognised:
        return FlapAnalysis("unknown", at, window=th.window, message=UNRECOGNISED)
    dated = sorted(
        (e for e in log.events if e.is_transition and e.timestamp is not None and e.timestamp <= at),
        key=lambda e: (e.timestamp, e.index or 0),
    )
    undated = [e for e in log.events if e.is_transition and e.timestamp is None]
    if not dated and undated:
        return FlapAnalysis(
            "unknown", at, window=th.window, message="alarmes sans date : impossible de situer les bagots"
        )
    if not dated:
        return FlapAnalysis("stable", at, window=th.window, message="stable : aucune alarme dans le journal")

    last_alarm = max(e.timestamp for e in dated if e.timestamp is not None)
    latest_by_key: dict[str, AlarmEvent] = {}
    for e in dated:
        latest_by_key[e.key] = e
    active = [e for e in latest_by_key.values() if e.kind == "raise"]

    start = at - th.window
    recent = _merged([e for e in dated if _in_window(e, start, at)], th.merge)
    by_source = Counter(e.source or e.code for e in recent)
    transitions = len(recent)

    analysis = FlapAnalysis(
        "stable",
        at,
        transitions=transitions,
        last_alarm=last_alarm,
        active=active,
        transitions_by_source=dict(by_source),
        window=th.window,
    )
    if transitions >= th.min_transitions:
        analysis.verdict = "flapping"
        analysis.message = f"bagots : {transitions} transitions sur les dernières {_hours(th.window)}"
    elif active:
        analysis.verdict = "flapping"
        names = ", ".join(sorted({e.code or e.name for e in active}))
        analysis.message = f"alarme toujours active ({names}) depuis le {_fr_date(min(e.timestamp for e in active if e.timestamp), display_tz)}"
    else:
        analysis.message = f"stable depuis le {_fr_date(last_alarm, display_tz)}"
    return analysis


def unreachable(at: datetime, message: str) -> FlapAnalysis:
    return FlapAnalysis("unreachable", at, message=message)
