"""What every vendor's alarm-log parser returns, whatever the device prints.

A parser never raises on bad input: a text it cannot read comes back as an
``AlarmLog`` with ``recognised=False`` and the raw text kept, so the desk shows
"format non reconnu" next to the device's own words instead of an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any, Literal

UNRECOGNISED = "format non reconnu"

#: raise: the service goes down or degrades; clear: it comes back; admin: an operator's change; event: anything else.
EventKind = Literal["raise", "clear", "admin", "event"]


@dataclass(frozen=True)
class AlarmEvent:
    """One entry of a device's alarm log (or one syslog message)."""

    kind: EventKind
    name: str
    code: str = ""
    source: str = ""
    condition: str = ""
    severity: str = ""
    state: str = ""
    index: int | None = None
    timestamp: datetime | None = None
    #: False when the device printed the date but the time line is missing (truncated output).
    time_known: bool = True
    complete: bool = True
    raw: str = ""

    @property
    def is_transition(self) -> bool:
        return self.kind in ("raise", "clear")

    @property
    def key(self) -> str:
        """What a raise and its clear have in common: the alarm on the same source."""
        return f"{self.code or self.name}|{self.source}|{self.condition}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "code": self.code,
            "source": self.source,
            "condition": self.condition,
            "severity": self.severity,
            "state": self.state,
            "kind": self.kind,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "time_known": self.time_known,
            "complete": self.complete,
        }


@dataclass
class AlarmLog:
    format: str
    recognised: bool
    events: list[AlarmEvent] = field(default_factory=list)
    raw: str = ""
    #: the output stops in the middle of an entry (pager cut, copy/paste, session closed).
    truncated: bool = False

    @property
    def message(self) -> str:
        if not self.recognised:
            return UNRECOGNISED
        if self.truncated:
            return "journal tronqué : la dernière entrée est incomplète"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "recognised": self.recognised,
            "truncated": self.truncated,
            "message": self.message,
            "events": [e.to_dict() for e in self.events],
        }


def unrecognised(text: str, fmt: str = "unknown") -> AlarmLog:
    return AlarmLog(format=fmt, recognised=False, raw=text)


def local_datetime(day: date, at: time | None, tz: tzinfo) -> datetime:
    """Device clocks print local wall time: attach the device's zone (the sheet's, Paris by default)."""
    return datetime.combine(day, at or time(0, 0), tzinfo=tz)


FIELD_SPLIT = re.compile(r"\t+|\s{2,}")


def split_fields(text: str) -> list[str]:
    """Columns of a CLI table line: tabs or runs of spaces when the device aligns, else single spaces."""
    text = text.strip()
    if not text:
        return []
    if "\t" in text or "  " in text:
        return [f.strip() for f in FIELD_SPLIT.split(text) if f.strip()]
    return text.split()


def clean_text(text: str) -> str:
    """Normalise line endings and drop terminal control sequences (ANSI colours, backspaces of pagers)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    text = re.sub(r".\x08", "", text)
    return text
