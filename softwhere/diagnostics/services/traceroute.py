"""Linux ``traceroute`` output → hops with their address and round-trip times."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from .alarms import clean_text

_HEADER = re.compile(r"^traceroute to (\S+)(?: \(([^)]+)\))?", re.M)
_HOP = re.compile(r"^\s*(\d+)\s+(.*)$")
_RTT = re.compile(r"^([\d.]+)$")


@dataclass
class Hop:
    number: int
    host: str = ""
    ip: str = ""
    rtts_ms: list[float] = field(default_factory=list)
    lost: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"hop": self.number, "host": self.host, "ip": self.ip, "rtts_ms": self.rtts_ms, "lost": self.lost}


@dataclass
class TracerouteResult:
    recognised: bool
    destination: str = ""
    destination_ip: str = ""
    hops: list[Hop] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return bool(self.hops) and bool(self.destination_ip) and self.hops[-1].ip == self.destination_ip

    @property
    def message(self) -> str:
        if not self.recognised:
            return "format de traceroute non reconnu"
        silent = sum(1 for h in self.hops if not h.ip)
        where = "destination atteinte" if self.reached else "destination non atteinte"
        return f"{len(self.hops)} sauts, {where}" + (f", {silent} sans réponse" if silent else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "recognised": self.recognised,
            "destination": self.destination,
            "destination_ip": self.destination_ip,
            "reached": self.reached,
            "hops": [h.to_dict() for h in self.hops],
            "message": self.message,
        }


def _is_ip(token: str) -> bool:
    try:
        ipaddress.ip_address(token.strip("()"))
    except ValueError:
        return False
    return True


def parse_traceroute(text: str) -> TracerouteResult:
    text = clean_text(text)
    header = _HEADER.search(text)
    if not header:
        return TracerouteResult(False)
    dest_ip = header.group(2) or header.group(1)
    result = TracerouteResult(True, destination=header.group(1), destination_ip=dest_ip)
    for line in text[header.end() :].splitlines():
        m = _HOP.match(line)
        if not m:
            continue
        hop = Hop(int(m.group(1)))
        tokens = m.group(2).split()
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok == "*":
                hop.lost += 1
            elif _RTT.match(tok) and i + 1 < len(tokens) and tokens[i + 1] == "ms":
                hop.rtts_ms.append(float(tok))
                i += 1
            elif tok.startswith("(") and tok.endswith(")"):
                hop.ip = tok.strip("()")
            elif tok.startswith("!"):
                pass  # !H, !N…: annotations of the previous probe
            elif not hop.host:
                hop.host = tok
                if _is_ip(tok):
                    hop.ip = tok
            i += 1
        result.hops.append(hop)
    return result
