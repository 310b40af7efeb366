"""Field formats shared by every protocol: dates, appointment slots, phone numbers, references.

We write one canonical form and read the common variants (docs/interop.md, « Formats »).
Times without an offset are Paris wall-clock time, as exchanged between French operators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_SLOT = timedelta(hours=2)  # a proposal given as a start time only lasts two hours


class FormatError(ValueError):
    """A value that does not match its documented format; the message is French."""


_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y")
_DATETIME_FORMATS = (
    "%Y%m%d%H%M%S",
    "%Y%m%d%H%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def parse_date(text: str) -> date:
    """« 20120206 » (written), « 2012-02-06 », « 06/02/2012 »."""
    value = (text or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise FormatError(f"date invalide « {value} » (format AAAAMMJJ attendu)")


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def parse_datetime(text: str) -> datetime:
    """« 20120206153000 » (written), « 201202061530 », ISO 8601 (offset optional), « 06/02/2012 15:30 »."""
    value = (text or "").strip()
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=PARIS)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FormatError(f"date-heure invalide « {value} » (format AAAAMMJJHHMMSS attendu)") from None
    return parsed.replace(tzinfo=PARIS) if parsed.tzinfo is None else parsed


def format_datetime(value: datetime) -> str:
    return value.astimezone(PARIS).strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Slot:
    """An appointment window proposed or agreed with the end client."""

    start: datetime
    end: datetime

    def to_v1(self) -> str:
        start = self.start.astimezone(PARIS)
        end = self.end.astimezone(PARIS)
        tail = end.strftime("%H%M") if end.date() == start.date() else end.strftime("%Y%m%d%H%M")
        return f"{start:%Y%m%d%H%M}-{tail}"

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Slot:
        return cls(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]))

    def label(self) -> str:
        start, end = self.start.astimezone(PARIS), self.end.astimezone(PARIS)
        return f"{start:%d/%m/%Y %H:%M}–{end:%H:%M}"


_SLOT_RE = re.compile(r"^(\d{12})(?:-(\d{4}|\d{12}))?$")


def parse_slot(text: str) -> Slot:
    """« 201202081400-1700 » (written), « 201202081400 » (two hours), or ISO « start/end »."""
    value = re.sub(r"\s+", "", text or "")
    m = _SLOT_RE.match(value)
    if m:
        start = datetime.strptime(m.group(1), "%Y%m%d%H%M").replace(tzinfo=PARIS)
        tail = m.group(2)
        if tail is None:
            end = start + DEFAULT_SLOT
        elif len(tail) == 4:
            end = start.replace(hour=int(tail[:2]) % 24, minute=int(tail[2:]))
        else:
            end = datetime.strptime(tail, "%Y%m%d%H%M").replace(tzinfo=PARIS)
    elif "/" in value:
        left, right = value.split("/", 1)
        start, end = parse_datetime(left), parse_datetime(right)
    else:
        raise FormatError(f"créneau de rendez-vous invalide « {text} » (format AAAAMMJJHHMM-HHMM attendu)")
    if end <= start:
        raise FormatError(f"créneau de rendez-vous invalide « {text} » (fin avant le début)")
    return Slot(start, end)


def parse_slots(text: str) -> list[Slot]:
    """Several proposals separated by « | » (« ; » is the CSV separator)."""
    return [parse_slot(part) for part in re.split(r"[|+]", text or "") if part.strip()]


def format_slots(slots: list[Slot]) -> str:
    return "|".join(s.to_v1() for s in slots)


_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def parse_phone(text: str) -> str:
    """French numbers become 10 digits (« 06 00 00 00 01 », « +33 6… » → « 0600000001 »); others stay E.164."""
    value = _PHONE_SEPARATORS.sub("", text or "")
    if value.startswith("0033"):
        value = "+" + value[2:]
    if re.fullmatch(r"\+33[1-9]\d{8}", value):
        return "0" + value[3:]
    if re.fullmatch(r"0[1-9]\d{8}", value) or re.fullmatch(r"\+[1-9]\d{7,14}", value):
        return value
    raise FormatError(f"numéro de téléphone invalide « {text} »")


_PTO_RE = re.compile(r"^[A-Z0-9]{2}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
_REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./]{0,49}$")


def parse_pto(text: str) -> str:
    """A PTO reference « FI-XXXX-YYYY » (two characters, four, four)."""
    value = (text or "").strip().upper()
    if not _PTO_RE.match(value):
        raise FormatError(f"référence de prise invalide « {text} » (format XX-XXXX-XXXX attendu)")
    return value


def parse_reference(text: str) -> str:
    value = (text or "").strip()
    if not _REFERENCE_RE.match(value):
        raise FormatError(f"référence invalide « {text} » (lettres, chiffres, - _ . / ; 50 caractères au plus)")
    return value
