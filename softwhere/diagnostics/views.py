"""The diagnostics panel of the ticket page, « Diagnostiquer », the reboot, and the evidence page.

Thin views: they scope the ticket with ``visible_to``, call one function of
``actions`` and turn refusals into French messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from softwhere.core.views import AuthedRequest, error_messages, staff_required
from softwhere.tickets.choices import FINISHED_STATUSES
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError

from . import actions, conf
from .choices import DiagnosticKind, Verdict, WatchStatus
from .models import DiagnosticRun, ObservationWatch, ServiceSheet
from .services.chart import Lane, transitions_svg


def _ticket(request: AuthedRequest, reference: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)


def _latest(ticket: Ticket, sheet: ServiceSheet, kind: str) -> DiagnosticRun | None:
    return DiagnosticRun.objects.filter(ticket=ticket, sheet=sheet, kind=kind).order_by("-started_at", "-id").first()


def _lane(sheet: ServiceSheet, run: DiagnosticRun | None) -> Lane:
    events: list[tuple[datetime, str, str]] = []
    if run is not None:
        for e in run.parsed.get("log", {}).get("events", []):
            # A time-less entry (truncated output) cannot be placed on the time axis.
            if e.get("kind") in ("raise", "clear") and e.get("timestamp") and e.get("time_known", True):
                when = datetime.fromisoformat(e["timestamp"])
                title = f"{timezone.localtime(when):%d/%m %H:%M:%S} {e.get('name', '')} {e.get('severity', '')}".strip()
                events.append((when, e["kind"], title))
    return Lane(sheet.hostname or str(sheet.admin_ip), events)


def panel_context(ticket: Ticket, user: Any) -> dict[str, Any]:
    """Everything the panel shows: the service sheets, the last verdicts, the chart, the observation watch."""
    sheets, without = actions.sheets_for_ticket(ticket)
    rows = []
    lanes = []
    for sheet in sheets:
        ping = _latest(ticket, sheet, DiagnosticKind.PING)
        alarm = _latest(ticket, sheet, DiagnosticKind.ALARM_LOG)
        item = actions.EquipmentReport(sheet, ping, alarm)
        verdict = item.verdict if (ping or alarm) else ""
        rows.append(
            {
                "sheet": sheet,
                "ping": ping,
                "alarm": alarm,
                "verdict": verdict,
                "verdict_label": Verdict(verdict).label if verdict else "",
                "verdict_colour": Verdict.colour(verdict) if verdict else "secondary",
                "message": item.message,
                "is_peer": sheet.equipment_id not in {e.pk for e in ticket.equipment.all()},
            }
        )
        lanes.append(_lane(sheet, alarm))
    has_logs = any(r["alarm"] is not None for r in rows)
    # Safe: services.chart escapes every text it puts in the SVG (device output is untrusted).
    chart = (
        mark_safe(
            transitions_svg(lanes, end=timezone.now(), days=conf.chart_days(), tz=timezone.get_current_timezone())
        )
        if has_logs
        else ""
    )
    watch = ObservationWatch.objects.filter(ticket=ticket).order_by("-started_at", "-id").first()
    return {
        "ticket": ticket,
        "diag_rows": rows,
        "diag_without_sheet": without,
        "diag_chart": chart,
        "diag_chart_days": conf.chart_days(),
        "diag_watch": watch,
        "diag_watch_active": watch is not None and watch.status == WatchStatus.ACTIVE,
        "diag_can_run": bool(getattr(user, "is_agent", False)) and ticket.status not in FINISHED_STATUSES,
        "diag_can_reboot": bool(getattr(user, "is_n2", False)) and ticket.status not in FINISHED_STATUSES,
        "verdict_stable": Verdict.STABLE,
    }


@staff_required
def ticket_panel(request: AuthedRequest, reference: str) -> HttpResponse:
    """The panel alone (HTMX refresh, or a page that wants it lazily)."""
    ticket = _ticket(request, reference)
    return render(request, "diagnostics/_ticket_panel.html", panel_context(ticket, request.user))


def _back(request: AuthedRequest, ticket: Ticket) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "diagnostics/_ticket_panel.html", panel_context(ticket, request.user))
    return redirect(reverse("tickets:detail", args=[ticket.reference]) + "#diagnostics")


@require_POST
@staff_required
def diagnose(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _ticket(request, reference)
    try:
        report = actions.diagnose_ticket(ticket, actor=request.user)
    except (TicketError, ValidationError, PermissionDenied) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
        return _back(request, ticket)
    if not report.items:
        messages.warning(request, "Aucun équipement concerné n'a de fiche prestation : rien à diagnostiquer.")
    for item in report.items:
        name = item.sheet.hostname or str(item.sheet.admin_ip)
        level = messages.success if item.verdict in (Verdict.STABLE, Verdict.REACHABLE) else messages.warning
        level(request, f"{name} : {item.message}")
    return _back(request, ticket)


@require_POST
@staff_required
def reboot(request: AuthedRequest, reference: str, sheet_id: int) -> HttpResponse:
    ticket = _ticket(request, reference)
    sheets, _ = actions.sheets_for_ticket(ticket)
    sheet = next((s for s in sheets if s.pk == sheet_id), None)
    if sheet is None:
        raise PermissionDenied("Équipement non concerné par ce ticket.")
    try:
        run = actions.reboot_equipment(
            sheet,
            ticket=ticket,
            actor=request.user,
            confirmation=request.POST.get("confirmation", ""),
            reason=request.POST.get("reason", ""),
        )
    except (TicketError, ValidationError, PermissionDenied) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
        return _back(request, ticket)
    if run.verdict == Verdict.DONE:
        messages.success(request, f"Redémarrage de {sheet.hostname or sheet.admin_ip} demandé.")
    else:
        messages.error(request, f"Redémarrage impossible : {run.message}")
    return _back(request, ticket)


@require_POST
@staff_required
def watch_mail(request: AuthedRequest, reference: str) -> HttpResponse:
    ticket = _ticket(request, reference)
    watch = get_object_or_404(ObservationWatch, ticket=ticket, status=WatchStatus.ACTIVE)
    try:
        actions.set_watch_mail_mode(watch, actor=request.user, send=request.POST.get("send_mail") == "1")
    except (TicketError, ValidationError, PermissionDenied) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
    return _back(request, ticket)


@staff_required
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole evidence of one check: command, raw output, reading."""
    run = get_object_or_404(
        DiagnosticRun.objects.visible_to(request.user).select_related("ticket", "sheet", "actor"), pk=pk
    )
    return render(request, "diagnostics/run_detail.html", {"run": run})
