"""Times and dates mentioned in a request, resolved against the message time in Europe/Paris.

Requests speak of the past ("depuis ce matin 9h", "hier soir", "lundi 14h30",
"le 12/03"), so a weekday or a day without a year is the most recent one, unless
the text says "prochain". Parts of the day get a conventional hour and are
flagged ``approximate``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .text import fold

PARIS = ZoneInfo("Europe/Paris")

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
# Conventional hour for a part of the day.
PARTS = {"matin": 8, "midi": 12, "apres-midi": 14, "aprem": 14, "soir": 19, "nuit": 2, "soiree": 20}

_LEAD = r"(?:(?P<lead>depuis|a partir de|des|vers|entre|jusqu'a|a)\s+)?"
# "9h", "9 h", "14h30", "14:30" — but not "2 heures" (a duration, read by _AGO).
_HOUR = r"(?P<h>[01]?\d|2[0-3])\s?(?:h(?P<m>[0-5]\d)?|:(?P<m2>[0-5]\d))(?![\w:])"
_AT_HOUR = r"(?:\s*(?:a|vers|des|depuis|,)?\s*" + _HOUR + r")?"
_PART = r"(?P<part>matin|midi|apres-midi|apres midi|aprem|soir|soiree|nuit)"

# Tried in order; a later pattern never re-reads text an earlier one consumed.
_PATTERNS = (
    re.compile(
        r"\b"
        + _LEAD
        + r"(?P<dayword>aujourd'hui|avant-hier|avant hier|hier|ce|cette|cet)\b\s*"
        + _PART
        + r"?\b"
        + _AT_HOUR
    ),
    re.compile(
        r"\b" + _LEAD + r"(?P<weekday>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?P<next>\s+prochain)?"
        r"(?:\s+dernier)?(?:\s+" + _PART + r")?\b" + _AT_HOUR
    ),
    re.compile(
        r"\b"
        + _LEAD
        + r"(?P<le>le|du|au)\s+(?P<d>[0-3]?\d)[/.](?P<mo>[01]?\d)(?:[/.](?P<y>\d{2,4}))?(?![\d.])"
        + _AT_HOUR
    ),
    re.compile(
        r"\b"
        + _LEAD
        + r"(?:le\s+)?(?P<d>[0-3]?\d|1er)\s+(?P<month>"
        + "|".join(MONTHS)
        + r")\b(?:\s+(?P<y>\d{4}))?"
        + _AT_HOUR
    ),
    re.compile(r"(?<![\w:])" + _LEAD + _HOUR + r"(?:\s+(?:ce|du|le|cet)\s+" + _PART + r")?"),
)
_AGO = re.compile(
    r"\b(?:il y a|depuis|ca fait|cela fait)\s+(?:plus de\s+|environ\s+)?(?P<n>\d+|une?|deux|trois|quatre|cinq)\s*"
    r"(?P<unit>min(?:ute)?s?|heures?|jours?|semaines?)\b"
)
_WORD_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}


def _paris(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(PARIS)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _resolve_year(day: int, month: int, year: int | None, today: date) -> date | None:
    try:
        if year is not None:
            return date(year + 2000 if year < 100 else year, month, day)
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    # Without a year, the nearest occurrence: more than ~6 months ahead means last year.
    if (candidate - today).days > 183:
        candidate = candidate.replace(year=candidate.year - 1)
    return candidate


def extract_times(text: str, *, now: datetime) -> list[dict[str, Any]]:
    local = _paris(now)
    today = local.date()
    folded = fold(text)
    found: list[dict[str, Any]] = []
    # Durations first ("il y a 2 heures"), so the clock patterns never re-read them.
    taken: list[tuple[int, int]] = [m.span() for m in _AGO.finditer(folded)]
    matches = []
    for regex in _PATTERNS:
        for m in regex.finditer(folded):
            if m.group(0).strip() and all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append(m.span())
                matches.append(m)
    matches.sort(key=lambda m: m.start())
    for m in matches:
        g = m.groupdict()
        day: date | None = None
        part = (g.get("part") or "").replace(" ", "-")
        precision = "minute"
        if g.get("dayword"):
            word = g["dayword"]
            if word in ("ce", "cette", "cet") and not part:
                continue  # "ce serveur", "cette ligne"…
            day = today - timedelta(days={"hier": 1, "avant-hier": 2, "avant hier": 2}.get(word, 0))
            if part == "nuit" and word in ("cette", "ce"):
                precision = "part_of_day"
        elif g.get("weekday"):
            target = WEEKDAYS[g["weekday"]]
            if g.get("next"):
                day = today + timedelta(days=(target - today.weekday()) % 7 or 7)
            else:
                day = today - timedelta(days=(today.weekday() - target) % 7)
        elif g.get("mo"):
            day = _resolve_year(int(g["d"]), int(g["mo"]), int(g["y"]) if g.get("y") else None, today)
            if day is None:
                continue
        elif g.get("month"):
            d = 1 if g["d"] == "1er" else int(g["d"])
            day = _resolve_year(d, MONTHS[g["month"]], int(g["y"]) if g.get("y") else None, today)
            if day is None:
                continue
        hour = int(g["h"]) if g.get("h") else None
        minute = int(g.get("m") or g.get("m2") or 0)
        if day is None and hour is None:
            continue
        if hour is not None and part in ("soir", "soiree", "apres-midi", "aprem") and hour < 12:
            hour += 12
        if day is None:
            # A bare hour ("depuis 9h") is today's, or yesterday's if it is still to come.
            day = today
            if _at(day, hour or 0, minute) > local + timedelta(minutes=5):
                day -= timedelta(days=1)
        if hour is None:
            if part:
                hour, precision = PARTS[part], "part_of_day"
            else:
                hour, precision = 0, "day"
        found.append(
            {
                "text": m.group(0).strip(),
                "at": _at(day, hour, minute).isoformat(),
                "precision": precision,
                "since": (g.get("lead") or "") in ("depuis", "a partir de", "des"),
            }
        )
    for m in _AGO.finditer(folded):
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
        unit = m.group("unit")
        if unit.startswith("min"):
            delta, precision = timedelta(minutes=n), "minute"
        elif unit.startswith("h"):
            delta, precision = timedelta(hours=n), "hour"
        elif unit.startswith("j"):
            delta, precision = timedelta(days=n), "day"
        else:
            delta, precision = timedelta(weeks=n), "day"
        found.append(
            {
                "text": m.group(0),
                "at": (local - delta).isoformat(),
                "precision": precision,
                "since": not m.group(0).startswith("il y a"),
            }
        )
    found.sort(key=lambda item: folded.find(item["text"]))
    return found
