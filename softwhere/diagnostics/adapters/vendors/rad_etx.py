"""RAD ETX (ETX-203AM of seed 004): ``show configure reporting alarm-log``.

The seed's output, one entry over two or three lines::

    9      Remote defect indication (RDI)
    2025-06-16 [REDACTED] defRDICCM Cleared
    16:10:44.00 [REDACTED] Resolved

i.e. index and alarm name; date, source, condition, severity; time and state.
Columns are aligned with tabs or spaces (the seed has both), blank lines may
separate entries, and the last entry may be cut (no time line, or no date line).
A severity "Cleared" ends an alarm; any other severity raises it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

from softwhere.diagnostics.services.alarms import AlarmEvent, AlarmLog, clean_text, local_datetime, split_fields

from .base import RebootSpec, VendorProfile, section_after

ALARM_LOG_COMMAND = "show configure reporting alarm-log"

PROMPT = re.compile(r"(?:^|\n)[A-Za-z][\w.\-*]*[#>] ?$")
PROMPT_LINE = re.compile(r"^[A-Za-z][\w.\-*]*[#>](?:\s|$)")
_ECHO = re.compile(r"[#>]\s*show\s+configure\s+reporting\s+alarm-log\s*$")

_HEADER = re.compile(r"^(\d{1,7})\s+(?!\d{4}-\d{2}-\d{2})([A-Za-z].*?)\s*$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+(.*?))?\s*$")
_TIME = re.compile(r"^(\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s+(.*?))?\s*$")
_CODE = re.compile(r"\(([A-Z0-9\-]{2,12})\)\s*$")
_MARKERS = re.compile(r"Last Acknowledge On\s*:", re.I)

SEVERITIES = {"cleared", "minor", "major", "critical", "warning", "indeterminate", "event", "info"}


def _time(text: str) -> time:
    hms, _, frac = text.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    micro = int((frac + "000000")[:6]) if frac else 0
    return time(h, m, s, micro)


class _Entry:
    def __init__(self, index: int, name: str, raw: str) -> None:
        self.index = index
        self.name = name
        self.raw = [raw]
        self.day: date | None = None
        self.at: time | None = None
        self.source = ""
        self.condition = ""
        self.severity = ""
        self.state = ""

    def event(self, tz: tzinfo) -> AlarmEvent:
        code_match = _CODE.search(self.name)
        cleared = self.severity.lower() == "cleared"
        return AlarmEvent(
            kind="clear" if cleared else "raise",
            name=self.name,
            code=code_match.group(1) if code_match else self.name,
            source=self.source,
            condition=self.condition,
            severity=self.severity,
            state=self.state,
            index=self.index,
            timestamp=local_datetime(self.day, self.at, tz) if self.day else None,
            time_known=self.at is not None,
            complete=self.day is not None and self.at is not None,
            raw="\n".join(self.raw),
        )


def _date_fields(entry: _Entry, rest: str) -> None:
    fields = split_fields(rest)
    if fields and fields[-1].lower() in SEVERITIES:
        entry.severity = fields.pop()
    if fields:
        entry.condition = fields.pop()
    entry.source = " ".join(fields)


def _time_fields(entry: _Entry, rest: str) -> None:
    fields = split_fields(rest)
    if fields:
        entry.state = fields.pop()
    more = " ".join(fields)
    if more and more != entry.source:
        entry.source = f"{entry.source} {more}".strip()


def parse_alarm_log(text: str, tz: tzinfo, at: datetime | None = None) -> AlarmLog:
    """Parse the alarm log, from the bare command output or a whole session transcript."""
    raw = text
    text = clean_text(text)
    section = section_after(text, _ECHO, PROMPT_LINE)
    body = text if section is None else section
    entries: list[_Entry] = []
    current: _Entry | None = None
    unknown_lines = 0
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if m := _HEADER.match(stripped):
            current = _Entry(int(m.group(1)), re.sub(r"\s+", " ", m.group(2)).strip(), line)
            entries.append(current)
        elif (m := _DATE.match(stripped)) and current is not None and current.day is None:
            current.day = date.fromisoformat(m.group(1))
            current.raw.append(line)
            _date_fields(current, m.group(2) or "")
        elif (m := _TIME.match(stripped)) and current is not None and current.day is not None and current.at is None:
            current.at = _time(m.group(1))
            current.raw.append(line)
            _time_fields(current, m.group(2) or "")
        elif not _MARKERS.search(stripped) and not PROMPT_LINE.match(stripped):
            unknown_lines += 1
    events = [e.event(tz) for e in entries]
    recognised = bool(events) or bool(_MARKERS.search(body)) or section is not None or unknown_lines == 0
    if not recognised:
        return AlarmLog(format=PROFILE.id, recognised=False, raw=raw)
    truncated = bool(events) and not events[-1].complete
    return AlarmLog(format=PROFILE.id, recognised=True, events=events, raw=raw, truncated=truncated)


def detect(text: str) -> bool:
    text = clean_text(text)
    if _MARKERS.search(text) or "alarm-log" in text:
        return True
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return any(_HEADER.match(a) and _DATE.match(b) for a, b in zip(lines, lines[1:], strict=False))


PROFILE = VendorProfile(
    id="rad-etx",
    label="RAD ETX",
    prompt=PROMPT,
    commands={
        "alarm_log": ALARM_LOG_COMMAND,
        "ping": "ping {ip}",
        "version": "show device-information",
    },
    parse_alarm_log=parse_alarm_log,
    detect=detect,
    session_setup=("configure terminal length 0",),
    pager=re.compile(r"-+\s*more\s*-+", re.I),
    errors=(re.compile(r"cli error:", re.I), re.compile(r"\*{5}Could not", re.I)),
    reboot=RebootSpec("admin reboot", re.compile(r"\[(?:yes/no|y/n)\]\s*\??\s*$", re.I), "yes"),
)
