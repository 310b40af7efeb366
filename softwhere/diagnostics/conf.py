"""Diagnostics settings with their defaults (override any of them in Django settings)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from .adapters.transport import Timeouts
from .services.flapping import FlapThresholds


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def timeouts() -> Timeouts:
    """Seconds; a check never waits longer than connect + login + command per equipment."""
    return Timeouts(
        connect=float(setting("DIAGNOSTICS_CONNECT_TIMEOUT", 10)),
        login=float(setting("DIAGNOSTICS_LOGIN_TIMEOUT", 15)),
        command=float(setting("DIAGNOSTICS_COMMAND_TIMEOUT", 30)),
    )


def flap_thresholds() -> FlapThresholds:
    return FlapThresholds(
        window=timedelta(hours=float(setting("DIAGNOSTICS_FLAP_WINDOW_HOURS", 24))),
        min_transitions=int(setting("DIAGNOSTICS_FLAP_MIN_TRANSITIONS", 3)),
    )


def ping_count() -> int:
    return int(setting("DIAGNOSTICS_PING_COUNT", 5))


def ping_wait_seconds() -> int:
    return int(setting("DIAGNOSTICS_PING_WAIT", 2))


def observation_interval() -> timedelta:
    return timedelta(minutes=int(setting("DIAGNOSTICS_OBSERVATION_INTERVAL_MINUTES", 60)))


def observation_default() -> timedelta:
    """When the agent set no end date: the SLA app's default period, so both apps agree."""
    hours = setting("DIAGNOSTICS_OBSERVATION_DEFAULT_HOURS", None)
    if hours is None:
        hours = setting("SLA_OBSERVATION_DEFAULT_HOURS", 24)
    return timedelta(hours=int(hours))


def observation_final_margin() -> timedelta:
    """The last check runs this long before the end, so its mail draft precedes the automatic closure."""
    return timedelta(minutes=int(setting("DIAGNOSTICS_OBSERVATION_FINAL_MARGIN_MINUTES", 10)))


def chart_days() -> int:
    return int(setting("DIAGNOSTICS_CHART_DAYS", 7))
