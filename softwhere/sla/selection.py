"""Which clocks the SLA lists show: at risk, breached, per client, per carrier, within the user's scope.

Shared by the HTML pages (``views``) and the API (``api.views``) so both apply
the same rules: one place decides what "at risk" or "Orange" means.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from softwhere.customers.models import Organisation

from .actions import match_carrier
from .choices import ClockKind, ClockState
from .models import Carrier, SlaClock

#: Default "due within N minutes" window.
DEFAULT_RISK_MINUTES = 60
#: Upper bound of the "due within N minutes" window: one week.
MAX_RISK_MINUTES = 7 * 1440


def risk_window(value: str | None) -> int:
    """The "due within N minutes" parameter: any whole number of minutes, clamped to [1, one week]."""
    try:
        window = int(value or DEFAULT_RISK_MINUTES)
    except ValueError:
        window = DEFAULT_RISK_MINUTES
    return max(1, min(window, MAX_RISK_MINUTES))


def at_risk(now: datetime, minutes: int) -> Q:
    """Running clocks whose deadline falls within the next ``minutes``."""
    return Q(state=ClockState.RUNNING, due_at__gt=now, due_at__lte=now + timedelta(minutes=minutes))


def active_breaches(now: datetime) -> Q:
    """Clocks past their deadline on tickets still being worked (also those the worker has not marked yet)."""
    return Q(state=ClockState.BREACHED, stopped_at__isnull=True) | Q(state=ClockState.RUNNING, due_at__lte=now)


def scoped_organisation(user: Any, value: str | None) -> Organisation | None:
    """The ``organisation`` filter within the user's scope; an unknown or out-of-scope id is a 404, as everywhere."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404("Client inconnu.")
    org = Organisation.objects.visible_to(user).filter(pk=int(value)).first()
    if org is None:
        raise Http404("Client inconnu.")
    return org


def carrier_ticket_ids(user: Any, name: str) -> QuerySet[Any]:
    """Tickets of one carrier: opened with it (escalation or ticket field) or on one of its accesses.

    A configured carrier matches through its aliases with the escalation rules
    (``actions.match_carrier``: "France Télécom" is Orange, "SoftWhere" is not "FT");
    any other text matches as a substring.
    """
    from softwhere.inventory.models import Access
    from softwhere.tickets.models import Ticket

    tickets = Ticket.objects.visible_to(user)
    carrier = Carrier.objects.filter(name__iexact=name).first() or match_carrier(name)
    if carrier is None:
        return tickets.filter(
            Q(carrier__icontains=name)
            | Q(services__access__carrier__icontains=name)
            | Q(carrier_escalations__carrier__icontains=name)
        ).values("pk")
    ticket_names = set(tickets.exclude(carrier="").values_list("carrier", flat=True).distinct())
    access_names = set(Access.objects.exclude(carrier="").values_list("carrier", flat=True).distinct())
    matching = {n for n in ticket_names | access_names if (match_carrier(n) or Carrier()).pk == carrier.pk}
    return tickets.filter(
        Q(carrier__in=matching)
        | Q(services__access__carrier__in=matching)
        | Q(carrier_escalations__carrier_config=carrier)
    ).values("pk")


def filter_clocks(
    clocks: QuerySet[SlaClock],
    user: Any,
    *,
    organisation: Organisation | None = None,
    kind: str = "",
    carrier: str = "",
) -> QuerySet[SlaClock]:
    """Client, clock kind and ticket carrier filters shared by the clock lists (unknown kinds are ignored)."""
    if organisation is not None:
        clocks = clocks.filter(ticket__organisation=organisation)
    if kind in ClockKind.values:
        clocks = clocks.filter(kind=kind)
    carrier = carrier.strip()
    if carrier:
        clocks = clocks.filter(ticket_id__in=carrier_ticket_ids(user, carrier))
    return clocks
