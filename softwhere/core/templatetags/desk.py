"""Small presentation helpers shared by every desk page: badges, durations, phone numbers, icons."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from softwhere.catalogue.choices import CaseDomain, CaseFamily, LedState
from softwhere.core.choices import DeskChoices
from softwhere.core.validators import format_phone_national
from softwhere.customers.choices import OrganisationKind
from softwhere.interop.choices import Direction, MessageKind, MessageStatus, SignalisationStatus
from softwhere.inventory.choices import EquipmentKind, GtrOption, ServiceKind, ServiceStatus
from softwhere.tickets.choices import Level, Priority, ServiceState, TicketStatus, TimelineKind, Visibility
from softwhere.triage.choices import AgentChoiceKind

register = template.Library()

_CHOICES: dict[str, type[DeskChoices]] = {
    "status": TicketStatus,
    "service_state": ServiceState,
    "level": Level,
    "family": CaseFamily,
    "domain": CaseDomain,
    "visibility": Visibility,
    "org_kind": OrganisationKind,
    "service_kind": ServiceKind,
    "service_status": ServiceStatus,
    "equipment_kind": EquipmentKind,
    "gtr": GtrOption,
    "led": LedState,
    "signalisation": SignalisationStatus,
    "interop_status": MessageStatus,
    "interop_direction": Direction,
    "interop_kind": MessageKind,
    "triage_choice": AgentChoiceKind,
}
_PRIORITY_COLOURS = {1: "danger", 2: "warning", 3: "secondary", 4: "light"}
# Badges on light colours need dark text to stay readable.
_DARK_TEXT = {"warning", "light", "info"}


def _badge(label: str, colour: str, extra: str = "") -> str:
    text = " text-dark" if colour in _DARK_TEXT else ""
    border = " border" if colour == "light" else ""
    return format_html('<span class="badge text-bg-{}{}{} {}">{}</span>', colour, text, border, extra, label)


@register.simple_tag
def badge(kind: str, value: Any) -> str:
    """``{% badge "status" ticket.status %}``: the choice label in its UI colour."""
    if value in (None, ""):
        return "—"
    try:
        return _cached_badge(kind, value)
    except TypeError:  # an unhashable value: rendered without the cache
        return _badge_html(kind, value)


@functools.lru_cache(maxsize=2048)
def _cached_badge(kind: str, value: Any) -> str:
    """A grid page shows 200 badges drawn from a few dozen (kind, value) pairs: labels and colours are code constants."""
    return _badge_html(kind, value)


def _badge_html(kind: str, value: Any) -> str:
    if kind == "priority":
        return _badge(f"P{int(value)}", _PRIORITY_COLOURS.get(int(value), "secondary"))
    cls = _CHOICES[kind]
    try:
        label = cls(value).label
    except ValueError:
        return str(value)
    colour = cls.colour(value)
    if kind == "level":
        colour = "danger" if value == Level.N2 else "primary"
    elif kind == "gtr":
        colour = {"standard": "info", "extended": "primary"}.get(value, "light")
    return _badge(str(label), colour)


_ROLE_SHORT = {
    "n1": "N1",
    "n2": "N2",
    "supervisor": "Superviseur",
    "adv": "ADV",
    "admin": "Admin",
    "partner": "Partenaire",
    "client": "Client",
}


@register.filter
def role_short(user: Any) -> str:
    """Compact role name for the navbar badge (the full label goes in its tooltip)."""
    return _ROLE_SHORT.get(getattr(user, "role", ""), "")


@register.filter
def priority_label(value: Any) -> str:
    try:
        return str(Priority(int(value)).label)
    except (TypeError, ValueError):
        return ""


@register.filter
def duration(value: timedelta | None) -> str:
    """Compact French age of a ticket: « 12 min », « 3 h 05 », « 4 j 2 h »."""
    if value is None:
        return "—"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    if hours:
        return f"{hours} h {mins:02d}"
    return f"{mins} min"


@register.filter
def phone(value: str) -> str:
    return format_phone_national(value) if value else ""


_TIMELINE_ICONS = {
    TimelineKind.CREATED: "plus-circle",
    TimelineKind.COMMENT: "chat-left-text",
    TimelineKind.STATUS: "arrow-left-right",
    TimelineKind.QUALIFICATION: "bookmark-check",
    TimelineKind.CHECKLIST: "check2-square",
    TimelineKind.LED_READING: "lightbulb",
    TimelineKind.ASSIGNMENT: "person-check",
    TimelineKind.FIELD_CHANGE: "pencil-square",
    TimelineKind.DIAGNOSTIC: "activity",
}


@register.filter
def timeline_icon(kind: str) -> str:
    """Bootstrap icon of a timeline entry; an unknown kind (added by a newer app) still gets a dot."""
    return _TIMELINE_ICONS.get(kind, "dot")  # type: ignore[call-overload]


@register.simple_tag
def led(state: str, label: str = "") -> str:
    """A coloured dot drawn like the LED it describes, followed by the state's label."""
    try:
        name = str(LedState(state).label)
    except ValueError:
        name = state
    return format_html(
        '<span class="led-reading"><span class="led led-{}" aria-hidden="true"></span>{}{}</span>',
        state,
        format_html("<strong>{}</strong> ", label) if label else "",
        name,
    )


@register.simple_tag(takes_context=True)
def ticket_url(context: dict[str, Any], ticket: Any) -> str:
    """Agents open the desk ticket page, client and partner users the portal one."""
    user = context["request"].user
    name = "tickets:detail" if user.is_desk_staff else "portal:detail"
    return reverse(name, args=[ticket.reference])


_DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


@register.filter
def opening_hours(hours: dict[str, list[str]] | None) -> str:
    """« lun–ven 08:30-12:30, 13:30-18:00 ; sam 09:00-12:00 »: consecutive days with the same ranges grouped."""
    if not hours:
        return "—"
    groups: list[tuple[list[str], list[str]]] = []
    for day in _DAYS:
        ranges = hours.get(day) or []
        if groups and ranges and groups[-1][1] == ranges and _DAYS.index(groups[-1][0][-1]) == _DAYS.index(day) - 1:
            groups[-1][0].append(day)
        elif ranges:
            groups.append(([day], ranges))
    parts = []
    for days, ranges in groups:
        span = days[0] if len(days) == 1 else f"{days[0]}–{days[-1]}"
        parts.append(f"{span} {', '.join(ranges)}")
    return " ; ".join(parts) or "—"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None
