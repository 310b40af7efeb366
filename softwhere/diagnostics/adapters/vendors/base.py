"""What the desk needs to know about one family of devices: prompt, commands, parsers.

A vendor is data plus pure functions; the SSH transport drives any of them the
same way. Commands are named and rendered from an allow-list, so nothing else
than a read-only ``show`` can be typed on a customer's router — except the
reboot, which has its own spec and is only sent by the confirmed reboot action.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from softwhere.diagnostics.services.alarms import AlarmLog


class CommandRefused(ValueError):
    """A command outside the vendor's read-only allow-list (or with a bad parameter)."""


@dataclass(frozen=True)
class RebootSpec:
    command: str
    #: device question before it reboots, and what we answer.
    confirm: re.Pattern[str]
    answer: str


AlarmParser = Callable[[str, tzinfo, datetime], AlarmLog]


@dataclass(frozen=True)
class VendorProfile:
    id: str
    label: str
    #: matches the end of the session buffer when the device waits for a command.
    prompt: re.Pattern[str]
    #: name -> template; ``{ip}`` is validated as an IP address before rendering.
    commands: Mapping[str, str]
    parse_alarm_log: AlarmParser
    detect: Callable[[str], bool]
    #: sent once after login (paging off): must be harmless.
    session_setup: tuple[str, ...] = ()
    pager: re.Pattern[str] | None = None
    errors: tuple[re.Pattern[str], ...] = field(default_factory=tuple)
    reboot: RebootSpec | None = None

    def command(self, name: str, **params: str) -> str:
        """Render a read-only command of the allow-list."""
        try:
            template = self.commands[name]
        except KeyError:
            raise CommandRefused(f"Commande « {name} » non autorisée pour {self.label}.") from None
        if "ip" in params:
            try:
                params["ip"] = str(ipaddress.ip_address(params["ip"]))
            except ValueError:
                raise CommandRefused(f"Adresse IP invalide : {params['ip']!r}.") from None
        return template.format(**params)

    def is_error(self, output: str) -> bool:
        return any(p.search(output) for p in self.errors)


def section_after(text: str, echo: re.Pattern[str], prompt: re.Pattern[str]) -> str | None:
    """The output of one command inside a whole session transcript: after its echo, up to the next prompt."""
    lines = text.split("\n")
    start = None
    for i, line in enumerate(lines):
        if echo.search(line):
            start = i + 1
    if start is None:
        return None
    out = []
    for line in lines[start:]:
        if prompt.match(line):
            break
        out.append(line)
    return "\n".join(out)
