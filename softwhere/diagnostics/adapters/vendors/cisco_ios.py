"""Cisco IOS / IOS-XE: ``show logging`` buffer, read for interface up/down changes.

Lines look like (sequence numbers and the leading ``*``/``.`` are optional, the
year and zone only with ``service timestamps log datetime year show-timezone``)::

    *Jun 19 08:01:10.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down
    000043: Jun 16 2025 16:10:37.550 CEST: %LINEPROTO-5-UPDOWN: Line protocol on Interface Gi0/0/1, changed state to up

Without a year, the most recent year that does not put the line in the future
(relative to the analysis instant) is assumed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

from softwhere.diagnostics.services.alarms import AlarmEvent, AlarmLog, EventKind, clean_text, local_datetime

from .base import RebootSpec, VendorProfile

PROMPT = re.compile(r"(?:^|\n)[A-Za-z][\w.\-()/:]*[#>] ?$")

_LINE = re.compile(
    r"^(?:\d+:\s*)?[*.]?"
    r"(?:(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})(?:\s+(?P<year>\d{4}))?\s+"
    r"(?P<time>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s+(?P<zone>[A-Z]{2,5}))?:\s*)?"
    r"%(?P<facility>[A-Z0-9_]+)-(?P<sev>[0-7])-(?P<mnemonic>[A-Z0-9_]+):\s*(?P<msg>.*)$"
)
_UPDOWN = re.compile(
    r"(?:Line protocol on )?Interface (?P<iface>[^,\s]+),? changed state to (?P<state>administratively down|down|up)",
    re.I,
)
_MARKERS = re.compile(r"^\s*(?:Syslog logging:|Log Buffer \(\d+ bytes\):)", re.M)
_MONTHS = {
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
_SEVERITY = ("emergency", "alert", "critical", "error", "warning", "notice", "informational", "debugging")


def _parse_time(text: str) -> time:
    hms, _, frac = text.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    return time(h, m, s, int((frac + "000000")[:6]) if frac else 0)


def _timestamp(m: re.Match[str], tz: tzinfo, at: datetime) -> datetime | None:
    if not m.group("mon") or m.group("mon") not in _MONTHS:
        return None
    zone = UTC if (m.group("zone") or "") in ("UTC", "GMT") else tz
    clock = _parse_time(m.group("time"))
    month, day = _MONTHS[m.group("mon")], int(m.group("day"))
    if m.group("year"):
        return local_datetime(date(int(m.group("year")), month, day), clock, zone)
    for year in (at.year, at.year - 1):
        try:
            value = local_datetime(date(year, month, day), clock, zone)
        except ValueError:  # 29 February of a non-leap year
            continue
        if value <= at:
            return value
    return None


def parse_alarm_log(text: str, tz: tzinfo, at: datetime | None = None) -> AlarmLog:
    raw = text
    at = at or datetime.now(tz)
    text = clean_text(text)
    events: list[AlarmEvent] = []
    for line in text.split("\n"):
        m = _LINE.match(line.strip())
        if not m:
            continue
        code = f"{m.group('facility')}-{m.group('sev')}-{m.group('mnemonic')}"
        msg = m.group("msg").strip()
        kind: EventKind = "event"
        source = state = ""
        if (u := _UPDOWN.search(msg)) and m.group("mnemonic") == "UPDOWN":
            source, state = u.group("iface"), u.group("state").lower()
            kind = "admin" if state.startswith("admin") else ("raise" if state == "down" else "clear")
        events.append(
            AlarmEvent(
                kind=kind,
                name=msg,
                code=code,
                source=source,
                condition=m.group("mnemonic"),
                severity=_SEVERITY[int(m.group("sev"))],
                state=state,
                timestamp=_timestamp(m, tz, at),
                raw=line,
            )
        )
    recognised = bool(events) or bool(_MARKERS.search(text)) or not text.strip()
    if not recognised:
        return AlarmLog(format=PROFILE.id, recognised=False, raw=raw)
    return AlarmLog(format=PROFILE.id, recognised=True, events=events, raw=raw)


def detect(text: str) -> bool:
    return bool(_MARKERS.search(text)) or any(_LINE.match(ln.strip()) for ln in text.split("\n"))


PROFILE = VendorProfile(
    id="cisco-ios",
    label="Cisco IOS",
    prompt=PROMPT,
    commands={
        "alarm_log": "show logging",
        "ping": "ping {ip} repeat 5",
        "version": "show version",
    },
    parse_alarm_log=parse_alarm_log,
    detect=detect,
    session_setup=("terminal length 0",),
    pager=re.compile(r"--More--"),
    errors=(re.compile(r"^% Invalid input", re.M), re.compile(r"^% Unknown command", re.M)),
    reboot=RebootSpec("reload", re.compile(r"\[confirm\]\s*$"), ""),
)
