"""SLA pages: clocks at risk, breached clocks, carriers, per-client month, charts, CSV/PDF penalty report.

Every page is scoped with ``visible_to``: staff see everything, a partner its own
clients, a client its own company (clocks and escalations of other companies are
simply absent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from softwhere.core.frdates import month_label
from softwhere.core.views import AuthedRequest
from softwhere.customers.forms import CompanyFilterForm
from softwhere.customers.models import Organisation

from . import charts as sla_charts
from . import conf, selection
from .calendars import get_calendar
from .choices import ClockKind, ClockState
from .models import Carrier, CarrierEscalation, SlaClock
from .pdf import penalty_report_pdf
from .reports import (
    BOM,
    Compliance,
    add_months,
    clock_outcomes,
    compliance_by_client,
    last_months,
    month_bounds,
    monthly_compliance,
    monthly_penalties,
    parse_month,
    penalty_clocks,
    penalty_records,
    penalty_report_csv,
    penalty_totals,
)
from .selection import (
    MAX_RISK_MINUTES,
    active_breaches,
    carrier_ticket_ids,
    filter_clocks,
    risk_window,
    scoped_organisation,
)
from .services.calendar import Calendar, business_minutes_between
from .services.penalties import penalty_amount, penalty_percent

RISK_WINDOWS = (30, 60, 120, 240, 480, 1440)
CHART_PERIODS = (6, 12, 24)
CHARTS = {"conformite": "compliance", "penalites": "penalties"}


def _month_param(request: HttpRequest) -> date:
    try:
        return parse_month(request.GET.get("month") or "")
    except ValueError:
        today = timezone.localdate()
        return today.replace(day=1)


def _detail_url_name(request: AuthedRequest) -> str:
    """Ticket links go to the agent page for staff, to the portal page for partner and client users."""
    return "tickets:detail" if request.user.is_desk_staff else "portal:detail"


def _organisation(request: AuthedRequest) -> Organisation | None:
    """The ``organisation`` filter, within the user's scope (an out-of-scope id is a 404, as everywhere)."""
    return scoped_organisation(request.user, request.GET.get("organisation"))


def _filtered(request: AuthedRequest, clocks: QuerySet[SlaClock]) -> tuple[QuerySet[SlaClock], dict[str, Any]]:
    """Filters shared by the clock lists: client, clock kind, carrier of the ticket."""
    organisation = _organisation(request)
    kind = request.GET.get("kind") or ""
    carrier = (request.GET.get("carrier") or "").strip()
    clocks = filter_clocks(clocks, request.user, organisation=organisation, kind=kind, carrier=carrier)
    context = {
        "company_form": CompanyFilterForm(request.user, organisation),
        "kinds": ClockKind.choices,
        "carriers": Carrier.objects.order_by("name"),
        "selected": {"organisation": str(organisation.pk) if organisation else "", "kind": kind, "carrier": carrier},
        "detail_url": _detail_url_name(request),
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


CLOCK_PAGE_SIZE = 50


def _clock_page(request: AuthedRequest, clocks: QuerySet[SlaClock], now: datetime) -> dict[str, Any]:
    """One page of clocks, soonest deadline first, brought to ``now``: at a million tickets they are thousands."""
    page = Paginator(clocks.order_by("due_at", "id"), CLOCK_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "clocks": _live(page.object_list, now)}


def _clocks(request: AuthedRequest) -> QuerySet[SlaClock]:
    return SlaClock.objects.visible_to(request.user).select_related(
        "ticket__organisation", "ticket__site", "ticket__assignee", "access"
    )


@login_required
def at_risk(request: AuthedRequest) -> HttpResponse:
    """Running clocks whose deadline falls within the next N minutes, soonest first."""
    window = risk_window(request.GET.get("minutes"))
    now = timezone.now()
    clocks, context = _filtered(
        request,
        _clocks(request).filter(selection.at_risk(now, window)),
    )
    context.update(
        {
            "tab": "at-risk",
            **_clock_page(request, clocks, now),
            "window": window,
            "windows": RISK_WINDOWS,
            "max_window": MAX_RISK_MINUTES,
            "now": now,
        }
    )
    return render(request, "sla/at_risk.html", context)


@login_required
def breached(request: AuthedRequest) -> HttpResponse:
    """Clocks past their deadline on tickets still being worked, the oldest breach first."""
    now = timezone.now()
    clocks, context = _filtered(request, _clocks(request).filter(active_breaches(now)))
    context.update({"tab": "breached", **_clock_page(request, clocks, now), "now": now})
    return render(request, "sla/breached.html", context)


@dataclass
class CarrierStats:
    name: str
    response_hours: int | None = None
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_late: int = 0


@login_required
def carriers(request: AuthedRequest) -> HttpResponse:
    """Carrier escalations: deadlines per carrier, open ones (optionally overdue only) and the month's figures."""
    now = timezone.now()
    month = _month_param(request)
    start, end = month_bounds(month)
    configured = list(Carrier.objects.select_related("calendar").order_by("name"))
    carrier = (request.GET.get("carrier") or "").strip()
    overdue_only = request.GET.get("hors_delai") == "1"
    escalations = CarrierEscalation.objects.visible_to(request.user).select_related("ticket__organisation")
    if carrier:
        escalations = escalations.filter(ticket_id__in=carrier_ticket_ids(request.user, carrier))
    stats: dict[str, CarrierStats] = {c.name: CarrierStats(c.name, c.response_hours) for c in configured}
    open_escalations = list(escalations.filter(ended_at__isnull=True).order_by("due_at"))
    for esc in open_escalations:
        row = stats.setdefault(esc.carrier or "—", CarrierStats(esc.carrier or "—"))
        row.open += 1
        row.overdue += esc.is_overdue(now)
    for esc in escalations.filter(ended_at__gte=start, ended_at__lt=end):
        row = stats.setdefault(esc.carrier or "—", CarrierStats(esc.carrier or "—"))
        row.closed += 1
        row.closed_late += esc.is_overdue(now)
    if overdue_only:
        open_escalations = [e for e in open_escalations if e.is_overdue(now)]
    if carrier:
        stats = {k: v for k, v in stats.items() if v.open or v.closed}
    context = {
        "tab": "carriers",
        "escalations": open_escalations,
        "stats": sorted(stats.values(), key=lambda s: s.name),
        "configured": configured,
        "carrier": carrier,
        "overdue_only": overdue_only,
        "month": month,
        "previous": add_months(month, -1),
        "following": add_months(month, 1),
        "now": now,
        "detail_url": _detail_url_name(request),
        "can_configure": request.user.is_staff,
        "default_hours": conf.default_carrier_response_hours(),
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


@login_required
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
    context = {
        "tab": "clients",
        "month": month,
        "previous": add_months(month, -1),
        "following": add_months(month, 1),
        "clients": sorted(per_client.values(), key=lambda r: r.organisation.name),
        "total_penalties": sum((r.penalty_amount for r in per_client.values()), Decimal("0")),
    }
    return render(request, "sla/clients.html", context)


# --- Charts -------------------------------------------------------------------------------------------


@dataclass
class ChartData:
    """Monthly figures behind the two charts, for the user's scope and the selected period and client."""

    months: list[date]
    organisation: Organisation | None
    compliance: dict[str, list[Compliance]]
    by_client: dict[str, dict[str, list[Compliance]]]
    penalties: dict[str, list[Decimal]]
    penalty_totals: list[Decimal]

    @property
    def period_label(self) -> str:
        return f"{month_label(self.months[0])} – {month_label(self.months[-1])}"

    @property
    def compliance_rows(self) -> list[tuple[str, list[Compliance]]]:
        return [(str(label), self.compliance[kind]) for kind, label in ClockKind.choices]

    @property
    def client_rows(self) -> list[tuple[str, str, list[Compliance]]]:
        return [
            (name, str(label), series[kind])
            for name, series in self.by_client.items()
            for kind, label in ClockKind.choices
            if any(c.stopped for c in series[kind])
        ]


def _period(request: HttpRequest) -> int:
    value = request.GET.get("mois") or ""
    return int(value) if value.isdigit() and int(value) in CHART_PERIODS else 12


def chart_data(request: AuthedRequest) -> ChartData:
    months = last_months(_month_param(request), _period(request))
    organisation = _organisation(request)
    clocks = SlaClock.objects.visible_to(request.user)
    if organisation is not None:
        clocks = clocks.filter(ticket__organisation=organisation)
    outcomes = clock_outcomes(clocks, months)
    penalties = monthly_penalties(penalty_records(clocks, months), months)
    return ChartData(
        months=months,
        organisation=organisation,
        compliance=monthly_compliance(outcomes, months),
        by_client=compliance_by_client(outcomes, months),
        penalties=penalties,
        penalty_totals=penalty_totals(penalties, months),
    )


def _chart_titles(data: ChartData) -> dict[str, str]:
    who = f" · {data.organisation.name}" if data.organisation else ""
    return {
        "conformite": f"Respect des engagements par mois{who}",
        "penalites": f"Pénalités GTR par mois (€ HT){who}",
    }


@login_required
def charts(request: AuthedRequest) -> HttpResponse:
    """Monthly compliance per clock kind and GTR penalties per client: charts and the figures behind them."""
    data = chart_data(request)
    query = request.GET.urlencode()
    images = {
        name: {
            "title": title,
            "src": f"{reverse('sla:chart', args=[name, 'svg'])}?{query}",
            "png": f"{reverse('sla:chart', args=[name, 'png'])}?{query}&telecharger=1",
            "svg": f"{reverse('sla:chart', args=[name, 'svg'])}?{query}&telecharger=1",
        }
        for name, title in _chart_titles(data).items()
    }
    context = {
        "tab": "charts",
        "data": data,
        "images": images,
        "month_labels": [month_label(m, short=True) for m in data.months],
        "periods": CHART_PERIODS,
        "period": len(data.months),
        "month": data.months[-1],
        "company_form": CompanyFilterForm(request.user, data.organisation),
        "selected": {"organisation": str(data.organisation.pk) if data.organisation else ""},
    }
    return render(request, "sla/charts.html", context)


@login_required
def chart_image(request: AuthedRequest, name: str, fmt: str) -> HttpResponse:
    """One chart as SVG (shown in the page) or PNG; ``?telecharger=1`` makes it a download."""
    if name not in CHARTS or fmt not in sla_charts.FORMATS:
        raise Http404("Graphique inconnu.")
    data = chart_data(request)
    title = _chart_titles(data)[name]
    if name == "conformite":
        figure = sla_charts.compliance_figure(data.months, data.compliance, title=title)
    else:
        figure = sla_charts.penalties_figure(data.months, data.penalties, title=title)
    response = HttpResponse(sla_charts.render(figure, fmt), content_type=sla_charts.FORMATS[fmt])
    filename = f"sla-{name}-{data.months[-1]:%Y-%m}"
    if data.organisation is not None:
        filename += f"-{data.organisation.pk}"
    disposition = "attachment" if request.GET.get("telecharger") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Monthly penalty report ---------------------------------------------------------------------------


def _report_selection(request: AuthedRequest) -> tuple[date, Organisation | None, QuerySet[SlaClock], str]:
    """Month, client filter, penalised clocks and file name shared by the CSV and PDF exports."""
    month = parse_month(request.GET.get("month") or timezone.localdate().strftime("%Y-%m"))
    organisation = _organisation(request)
    clocks = SlaClock.objects.visible_to(request.user)
    filename = f"penalites-gtr-{month:%Y-%m}"
    if organisation is not None:
        clocks = clocks.filter(ticket__organisation=organisation)
        filename += f"-{organisation.pk}"
    return month, organisation, penalty_clocks(month, clocks), filename


@login_required
def penalty_report(request: AuthedRequest) -> HttpResponse:
    """CSV of the month's GTR penalties, within the user's scope (``?month=2026-11&organisation=12``)."""
    try:
        _month, _org, clocks, filename = _report_selection(request)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    response = HttpResponse(BOM + penalty_report_csv(clocks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _scope_label(request: AuthedRequest, organisation: Organisation | None) -> str:
    if organisation is not None:
        return organisation.name
    user = request.user
    if user.is_desk_staff:
        return "tous les clients"
    org = user.organisation
    if org is None:
        return "aucun client"
    return f"{org.name} et ses clients" if user.role == "partner" else org.name


@login_required
def penalty_report_pdf_view(request: AuthedRequest) -> HttpResponse:
    """The same report as the CSV, as a PDF grouped by client with subtotals and the month's total."""
    try:
        month, organisation, clocks, filename = _report_selection(request)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    body = penalty_report_pdf(clocks, month=month, scope=_scope_label(request, organisation))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
