"""SLA supervision pages (desk staff): clocks at risk, breached clocks, carriers, per-client month, CSV report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from softwhere.core.views import AuthedRequest, staff_required
from softwhere.customers.models import Organisation

from .calendars import get_calendar
from .choices import ClockKind, ClockState
from .models import CarrierEscalation, SlaClock
from .reports import BOM, month_bounds, parse_month, penalty_clocks, penalty_report_csv
from .services.calendar import Calendar, business_minutes_between
from .services.penalties import penalty_amount, penalty_percent

RISK_WINDOWS = (30, 60, 120, 240, 480, 1440)


def _month_param(request: HttpRequest) -> date:
    try:
        return parse_month(request.GET.get("month") or "")
    except ValueError:
        today = timezone.localdate()
        return today.replace(day=1)


def _filtered(request: HttpRequest, clocks: QuerySet[SlaClock]) -> tuple[QuerySet[SlaClock], dict[str, Any]]:
    """Filters shared by the clock lists: client, clock kind, carrier of the ticket."""
    organisation = request.GET.get("organisation") or ""
    kind = request.GET.get("kind") or ""
    carrier = (request.GET.get("carrier") or "").strip()
    if organisation.isdigit():
        clocks = clocks.filter(ticket__organisation_id=int(organisation))
    if kind in ClockKind.values:
        clocks = clocks.filter(kind=kind)
    if carrier:
        clocks = clocks.filter(Q(ticket__carrier__icontains=carrier) | Q(access__carrier__icontains=carrier))
    context = {
        "organisations": Organisation.objects.visible_to(request.user).order_by("name"),
        "kinds": ClockKind.choices,
        "selected": {"organisation": organisation, "kind": kind, "carrier": carrier},
    }
    return clocks, context


def _live(clocks: Iterable[SlaClock], now: datetime) -> list[SlaClock]:
    """Bring running clocks from their last computation to ``now`` for display.

    A clock neither paused nor stopped at its last computation has kept running
    since (any event would have recomputed it), so only business time is added.
    """
    calendars: dict[str, Calendar] = {}
    out = list(clocks)
    for clock in out:
        consumed = clock.consumed_minutes
        if clock.stopped_at is None and clock.paused_since is None:
            if clock.calendar not in calendars:
                calendars[clock.calendar] = get_calendar(clock.calendar)
            consumed += business_minutes_between(clock.computed_at, now, calendars[clock.calendar])
        clock.live_consumed = consumed  # type: ignore[attr-defined]
        percent = penalty_percent(consumed) if clock.kind == ClockKind.GTR else 0
        clock.live_penalty_percent = percent  # type: ignore[attr-defined]
        clock.live_penalty_amount = penalty_amount(clock.monthly_fee or Decimal("0"), percent)  # type: ignore[attr-defined]
    return out


def _clocks(request: AuthedRequest) -> QuerySet[SlaClock]:
    return SlaClock.objects.visible_to(request.user).select_related(
        "ticket__organisation", "ticket__site", "ticket__assignee", "access"
    )


@staff_required
def at_risk(request: AuthedRequest) -> HttpResponse:
    """Running clocks whose deadline falls within the next N minutes, soonest first."""
    try:
        window = int(request.GET.get("minutes") or 60)
    except ValueError:
        window = 60
    window = max(1, min(window, 7 * 1440))
    now = timezone.now()
    clocks, context = _filtered(
        request,
        _clocks(request).filter(state=ClockState.RUNNING, due_at__gt=now, due_at__lte=now + timedelta(minutes=window)),
    )
    context.update(
        {
            "tab": "at-risk",
            "clocks": _live(clocks.order_by("due_at", "id")[:500], now),
            "window": window,
            "windows": RISK_WINDOWS,
            "now": now,
        }
    )
    return render(request, "sla/at_risk.html", context)


@staff_required
def breached(request: AuthedRequest) -> HttpResponse:
    """Clocks past their deadline on tickets still being worked (also those the worker has not marked yet)."""
    now = timezone.now()
    active_breach = Q(state=ClockState.BREACHED, stopped_at__isnull=True) | Q(state=ClockState.RUNNING, due_at__lte=now)
    clocks, context = _filtered(request, _clocks(request).filter(active_breach))
    context.update({"tab": "breached", "clocks": _live(clocks.order_by("due_at", "id")[:500], now), "now": now})
    return render(request, "sla/breached.html", context)


@dataclass
class CarrierStats:
    name: str
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_late: int = 0


@staff_required
def carriers(request: AuthedRequest) -> HttpResponse:
    """Open carrier escalations with their response deadline, and per-carrier figures for the month."""
    now = timezone.now()
    month = _month_param(request)
    start, end = month_bounds(month)
    escalations = CarrierEscalation.objects.visible_to(request.user).select_related("ticket__organisation")
    open_escalations = list(escalations.filter(ended_at__isnull=True).order_by("due_at"))
    stats: dict[str, CarrierStats] = {}
    for esc in open_escalations:
        row = stats.setdefault(esc.carrier or "—", CarrierStats(esc.carrier or "—"))
        row.open += 1
        row.overdue += esc.is_overdue(now)
    for esc in escalations.filter(ended_at__gte=start, ended_at__lt=end):
        row = stats.setdefault(esc.carrier or "—", CarrierStats(esc.carrier or "—"))
        row.closed += 1
        row.closed_late += esc.is_overdue(now)
    context = {
        "tab": "carriers",
        "escalations": open_escalations,
        "stats": sorted(stats.values(), key=lambda s: s.name),
        "month": month,
        "now": now,
    }
    return render(request, "sla/carriers.html", context)


@dataclass
class ClientMonth:
    organisation: Organisation
    stopped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    breached: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    penalties: int = 0
    penalty_amount: Decimal = Decimal("0")

    def compliance(self, kind: str) -> int | None:
        total = self.stopped[kind]
        return None if not total else round(100 * (total - self.breached[kind]) / total)

    @property
    def rows(self) -> list[tuple[str, int, int, int | None]]:
        return [(str(label), self.stopped[k], self.breached[k], self.compliance(k)) for k, label in ClockKind.choices]


@staff_required
def clients(request: AuthedRequest) -> HttpResponse:
    """Per client, for one month: clocks stopped (met / breached) per kind and GTR penalties owed."""
    month = _month_param(request)
    start, end = month_bounds(month)
    per_client: dict[int, ClientMonth] = {}
    stopped = _clocks(request).filter(
        stopped_at__gte=start, stopped_at__lt=end, state__in=[ClockState.MET, ClockState.BREACHED]
    )
    for clock in stopped:
        org = clock.ticket.organisation
        row = per_client.setdefault(org.pk, ClientMonth(org))
        row.stopped[clock.kind] += 1
        row.breached[clock.kind] += clock.state == ClockState.BREACHED
    for clock in penalty_clocks(month, SlaClock.objects.visible_to(request.user)):
        org = clock.ticket.organisation
        row = per_client.setdefault(org.pk, ClientMonth(org))
        row.penalties += 1
        row.penalty_amount += clock.penalty_amount
    previous = (start - timedelta(days=1)).date().replace(day=1)
    following = end.date()
    context = {
        "tab": "clients",
        "month": month,
        "previous": previous,
        "following": following,
        "clients": sorted(per_client.values(), key=lambda r: r.organisation.name),
        "total_penalties": sum((r.penalty_amount for r in per_client.values()), Decimal("0")),
    }
    return render(request, "sla/clients.html", context)


@login_required
def penalty_report(request: AuthedRequest) -> HttpResponse:
    """CSV of the month's GTR penalties, within the user's scope (``?month=2026-11&organisation=12``)."""
    try:
        month = parse_month(request.GET.get("month") or timezone.localdate().strftime("%Y-%m"))
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    clocks = SlaClock.objects.visible_to(request.user)
    organisation = request.GET.get("organisation") or ""
    filename = f"penalites-gtr-{month:%Y-%m}"
    if organisation.isdigit():
        clocks = clocks.filter(ticket__organisation_id=int(organisation))
        filename += f"-{organisation}"
    response = HttpResponse(
        BOM + penalty_report_csv(penalty_clocks(month, clocks)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
