"""Ping output → count, loss, min/avg/max, whichever box printed it.

Three families are read: Linux iputils/BusyBox (the bastion's and the desk's
``ping``), the RAD/"Reply from … packet number" style of the seed's router, and
Windows. An interrupted run (the seed's ``^C`` before the statistics) is summed
up from the replies themselves and marked ``summary=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .alarms import clean_text

_IPUTILS_REPLY = re.compile(r"bytes from .*?icmp_seq=(\d+).*?time[=<]\s*([\d.]+)\s*ms")
_RAD_REPLY = re.compile(r"Reply from [^:]+:.*?packet number\s*=\s*(\d+).*?time\s*(?:<=|=|<)\s*([\d.]+)\s*ms", re.I)
_WIN_REPLY = re.compile(r"Reply from [^:]+:\s*bytes=\d+\s+time\s*(?:=|<)\s*([\d.]+)\s*ms", re.I)
_WIN_TIMEOUT = re.compile(r"^\s*Request timed out\.?\s*$", re.I | re.M)
_SUMMARY = re.compile(
    r"(\d+) packets transmitted[.,]\s*(\d+) (?:packets )?received(?:,\s*\+(\d+) errors)?,\s*([\d.]+)% packet loss",
    re.I,
)
_RTT = re.compile(r"(?:rtt|round-trip)(?:\s*\(ms\))?\s+min/avg/max(?:/\w+)?\s*=\s*([\d.]+)/([\d.]+)/([\d.]+)", re.I)
_WIN_SUMMARY = re.compile(r"Sent = (\d+), Received = (\d+), Lost = \d+ \((\d+)% loss\)", re.I)
_WIN_RTT = re.compile(r"Minimum = (\d+)ms, Maximum = (\d+)ms, Average = (\d+)ms", re.I)
_UNREACHABLE = re.compile(r"Destination (?:Host|Net) Unreachable|Request timeout|100% packet loss", re.I)


@dataclass
class PingResult:
    format: str
    recognised: bool
    transmitted: int = 0
    received: int = 0
    loss_percent: float = 100.0
    rtt_min: float | None = None
    rtt_avg: float | None = None
    rtt_max: float | None = None
    #: the statistics block was printed (False: computed from the replies of an interrupted run).
    summary: bool = False
    errors: int = 0
    replies_ms: list[float] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return self.received > 0

    @property
    def message(self) -> str:
        if not self.recognised:
            return "format de ping non reconnu"
        if not self.reachable:
            return f"injoignable : {self.transmitted} paquets envoyés, aucune réponse"
        rtt = ""
        if self.rtt_avg is not None:
            rtt = f", rtt min/moy/max {self.rtt_min:g}/{self.rtt_avg:g}/{self.rtt_max:g} ms"
        return f"joignable : {self.received}/{self.transmitted} réponses, {self.loss_percent:g} % de perte{rtt}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "recognised": self.recognised,
            "transmitted": self.transmitted,
            "received": self.received,
            "loss_percent": self.loss_percent,
            "rtt_min_ms": self.rtt_min,
            "rtt_avg_ms": self.rtt_avg,
            "rtt_max_ms": self.rtt_max,
            "summary": self.summary,
            "errors": self.errors,
            "reachable": self.reachable,
            "message": self.message,
        }


def _stats(result: PingResult) -> None:
    if result.replies_ms and result.rtt_avg is None:
        result.rtt_min = min(result.replies_ms)
        result.rtt_max = max(result.replies_ms)
        result.rtt_avg = round(sum(result.replies_ms) / len(result.replies_ms), 3)


def _loss(transmitted: int, received: int) -> float:
    if transmitted <= 0:
        return 100.0
    return round(100.0 * (transmitted - received) / transmitted, 1)


def parse_ping(text: str) -> PingResult:
    text = clean_text(text)
    summary = _SUMMARY.search(text)
    rtt = _RTT.search(text)
    iputils = _IPUTILS_REPLY.findall(text)
    rad = _RAD_REPLY.findall(text)
    win = _WIN_REPLY.findall(text)
    win_summary = _WIN_SUMMARY.search(text)

    if win or win_summary:
        result = PingResult("windows", True, replies_ms=[float(t) for t in win])
        timeouts = len(_WIN_TIMEOUT.findall(text))
        if win_summary:
            result.transmitted, result.received = int(win_summary.group(1)), int(win_summary.group(2))
            result.loss_percent = float(win_summary.group(3))
            result.summary = True
        else:
            result.transmitted, result.received = len(win) + timeouts, len(win)
            result.loss_percent = _loss(result.transmitted, result.received)
        if m := _WIN_RTT.search(text):
            result.rtt_min, result.rtt_max, result.rtt_avg = (float(m.group(i)) for i in (1, 2, 3))
        _stats(result)
        return result

    if rad:
        fmt, seqs, times, first_seq = "rad", [int(s) for s, _ in rad], [float(t) for _, t in rad], 0
    elif iputils or summary or text.lstrip().startswith("PING "):
        fmt, seqs, times, first_seq = "iputils", [int(s) for s, _ in iputils], [float(t) for _, t in iputils], 1
    else:
        return PingResult("unknown", False)

    result = PingResult(fmt, True, replies_ms=times)
    if summary:
        result.transmitted, result.received = int(summary.group(1)), int(summary.group(2))
        result.errors = int(summary.group(3) or 0)
        result.loss_percent = float(summary.group(4))
        result.summary = True
    else:
        # Interrupted (^C) before the statistics: every sequence number up to the last reply was sent.
        result.received = len(times)
        result.transmitted = (max(seqs) - first_seq + 1) if seqs else 0
        result.loss_percent = _loss(result.transmitted, result.received)
    if rtt:
        result.rtt_min, result.rtt_avg, result.rtt_max = (float(rtt.group(i)) for i in (1, 2, 3))
    _stats(result)
    return result


def looks_unreachable(text: str) -> bool:
    return bool(_UNREACHABLE.search(text))
