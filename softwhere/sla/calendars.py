"""Calendar ids → calendars: database rows first (editable), then the built-ins of the code."""

from __future__ import annotations

from .models import BusinessCalendar
from .services.calendar import BUILTIN_CALENDARS, Calendar, CalendarError


class UnknownCalendar(CalendarError):
    pass


def get_calendar(calendar_id: str) -> Calendar:
    row = BusinessCalendar.objects.filter(pk=calendar_id).first()
    if row is not None:
        return row.as_calendar()
    try:
        return BUILTIN_CALENDARS[calendar_id]
    except KeyError:
        raise UnknownCalendar(f"calendrier inconnu : {calendar_id}") from None


def calendar_choices() -> list[tuple[str, str]]:
    rows = {c.id: c.name for c in BUILTIN_CALENDARS.values()}
    rows.update(BusinessCalendar.objects.values_list("id", "name"))
    return sorted(rows.items())
