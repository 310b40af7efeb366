"""Communication settings with their defaults (override any of them in Django settings).

Follow-up spacing comes from seed 001 VII (see docs/decisions.md, "Communications").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def reminder_hours() -> float:
    """Hours between the request (or the previous reminder) and the next reminder."""
    return float(_get("COMMS_REMINDER_HOURS", 24))


def max_reminders() -> int:
    """Seed 001 VII: « au bout de trois relances »."""
    return int(_get("COMMS_MAX_REMINDERS", 3))


def auto_close_hours() -> float:
    """Seed 001 VII: « un mail d'auto-clôture 24h »: the notice gives 24 h before closing."""
    return float(_get("COMMS_AUTO_CLOSE_HOURS", 24))


def brand() -> str:
    """First word of the mail/SMS headers (seed 004: « ORANGE INFO INCIDENT … »)."""
    return str(_get("COMMS_HEADER_BRAND", "SOFTWHERE"))


def signature() -> str:
    return str(_get("COMMS_SIGNATURE", "L'équipe support SoftWhere"))


def public_url() -> str:
    return str(_get("SOFTWHERE_PUBLIC_URL", "http://localhost:8000")).rstrip("/")


def mail_from() -> str:
    return str(settings.DEFAULT_FROM_EMAIL)


def reply_to() -> str:
    """Where clients answer: the address the inbound receiver serves."""
    return str(_get("COMMS_REPLY_TO", "") or settings.DEFAULT_FROM_EMAIL)


def max_delivery_attempts() -> int:
    return int(_get("COMMS_MAX_DELIVERY_ATTEMPTS", 5))


def spool_dir() -> str:
    return str(_get("COMMS_SPOOL_DIR", "") or (settings.DATA_DIR / "comms" / "inbox"))
