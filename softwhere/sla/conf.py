"""SLA settings with their defaults (override any of them in Django settings).

The per-priority targets and carrier deadlines live in the database (SlaPolicy,
Carrier, seeded by migration); these defaults apply when a row is missing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from softwhere.tickets.choices import Priority

#: priority -> (calendar id, first response minutes, resolution minutes). Business time.
DEFAULT_POLICIES: dict[int, tuple[str, int, int]] = {
    Priority.P1: ("business-hours", 30, 4 * 60),
    Priority.P2: ("business-hours", 60, 8 * 60),
    Priority.P3: ("business-hours", 4 * 60, 3 * 10 * 60),  # three working days of 10 h
    Priority.P4: ("business-hours", 8 * 60, 5 * 10 * 60),  # five working days
}

#: Access.gtr_option -> calendar of its 4-hour GTR (seed 001: business hours, or 24/7 with the option).
DEFAULT_GTR_CALENDARS = {"standard": "business-hours", "extended": "24x7"}

#: (name, aliases, response hours) seeded as Carrier rows; seed 001 IV: FT 48 h, SFR 72 h.
DEFAULT_CARRIERS: tuple[tuple[str, str, int], ...] = (
    ("Orange", "France Télécom, France Telecom, FT, Orange Business", 48),
    ("SFR", "SFR Business, Neuf Cegetel", 72),
)


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def gtr_calendars() -> dict[str, str]:
    return dict(setting("SLA_GTR_CALENDARS", DEFAULT_GTR_CALENDARS))


def default_carrier_response_hours() -> int:
    """Deadline for a carrier without a Carrier row: the longest seeded one, to avoid false alerts."""
    return int(setting("SLA_DEFAULT_CARRIER_RESPONSE_HOURS", 72))


def observation_default_hours() -> int:
    """Observation period when the agent set no end date (the ticket form proposes one day)."""
    return int(setting("SLA_OBSERVATION_DEFAULT_HOURS", 24))
