"""The diagnostics panel of the ticket page, « Diagnostiquer », the reboot, and the evidence page.

Thin views: they scope the ticket with ``visible_to``, call one function of
``actions`` and turn refusals into French messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from softwhere.accounts.choices import Role
from softwhere.core.views import AuthedRequest, add_errors_to_form, error_messages, staff_required
from softwhere.jobs.choices import JobStatus
from softwhere.tickets.choices import FINISHED_STATUSES
from softwhere.tickets.models import Ticket
from softwhere.tickets.transitions import TicketError

from . import actions, conf
from .adapters.vendors import VENDORS
from .choices import DiagnosticKind, Verdict, WatchStatus
from .forms import BastionForm, CredentialForm, KnownHostForm
from .models import Bastion, DeviceCredential, DiagnosticRun, KnownHost, ObservationWatch, ServiceSheet
from .services.chart import Lane, transitions_svg

_V = TypeVar("_V", bound=Callable[..., HttpResponse])


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
    job = actions.diagnosis_jobs(ticket).first()
    in_flight = job is not None and job.status in (JobStatus.PENDING, JobStatus.RUNNING)
    return {
        "diag_job": job,
        "diag_in_flight": in_flight,
        "diag_job_running": job is not None and job.status == JobStatus.RUNNING,
        "diag_job_failed": job is not None and job.status == JobStatus.FAILED,
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
        "diag_can_configure": can_manage_access(user),
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
    """Queue the diagnosis for the worker; the panel then polls until the run is done."""
    ticket = _ticket(request, reference)
    try:
        actions.request_diagnosis(ticket, actor=request.user)
    except (TicketError, ValidationError, PermissionDenied) as exc:
        for line in error_messages(exc):
            messages.error(request, line)
        return _back(request, ticket)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.info(
            request, "Diagnostic lancé : le résultat s'affiche dans le panneau Diagnostics dès qu'il est prêt."
        )
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


# --- SSH access configuration (administrators) ----------------------------------------------------------------


def admin_required(view: _V) -> _V:
    """Credentials, bastions and host keys open customers' routers: administrators only."""

    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_access(request.user):
            raise PermissionDenied("Page réservée aux administrateurs.")
        return view(request, *args, **kwargs)

    return cast(_V, login_required(wrapper))


def can_manage_access(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role == Role.ADMIN))


@admin_required
def access_config(request: AuthedRequest) -> HttpResponse:
    """Credentials (secret never shown), bastions, trusted host keys and the vendors' read-only command sets."""
    used_by: dict[int, int] = {}
    for cred_id in ServiceSheet.objects.exclude(credential=None).values_list("credential_id", flat=True):
        used_by[cred_id] = used_by.get(cred_id, 0) + 1
    credentials = list(DeviceCredential.objects.all())
    for cred in credentials:
        cred.sheet_count = used_by.get(cred.pk, 0)  # type: ignore[attr-defined]
    vendors = [
        {"profile": p, "commands": sorted(p.commands.items()), "reboot": p.reboot.command if p.reboot else ""}
        for p in VENDORS.values()
    ]
    return render(
        request,
        "diagnostics/config/access.html",
        {
            "credentials": credentials,
            "bastions": Bastion.objects.select_related("credential"),
            "known_hosts": KnownHost.objects.select_related("added_by"),
            "vendors": vendors,
        },
    )


def _config_form(request: AuthedRequest, form: forms.Form, title: str, testid: str) -> HttpResponse:
    return render(request, "diagnostics/config/form.html", {"form": form, "title": title, "testid": testid})


@admin_required
def credential_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    cred = get_object_or_404(DeviceCredential, pk=pk) if pk else None
    initial = {"name": cred.name, "username": cred.username, "kind": cred.kind} if cred else {}
    form = CredentialForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = actions.save_credential(
                actor=request.user,
                credential=cred,
                name=d["name"],
                username=d["username"],
                kind=d["kind"],
                secret=d["secret"] or None,
            )
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Identifiant « {saved.name} » enregistré.")
            return redirect("diagnostics:access")
    title = f"Identifiant « {cred.name} »" if cred else "Nouvel identifiant"
    return _config_form(request, form, title, "credential-form")


@admin_required
def bastion_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    bastion = get_object_or_404(Bastion, pk=pk) if pk else None
    initial: dict[str, Any] = {"port": 22, "enabled": True}
    if bastion is not None:
        initial = {f: getattr(bastion, f) for f in BastionForm.base_fields}
    form = BastionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_bastion(actor=request.user, bastion=bastion, **form.action_kwargs())
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Bastion « {saved.name} » enregistré.")
            return redirect("diagnostics:access")
    return _config_form(request, form, f"Bastion « {bastion.name} »" if bastion else "Nouveau bastion", "bastion-form")


@admin_required
def known_host_add(request: AuthedRequest) -> HttpResponse:
    form = KnownHostForm(request.POST or None, initial={"port": 22})
    if request.method == "POST" and form.is_valid():
        try:
            kh = actions.add_known_host(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"Clé de {kh.host}:{kh.port} approuvée ({kh.fingerprint}).")
            return redirect("diagnostics:access")
    return _config_form(request, form, "Approuver une clé d'hôte SSH", "known-host-form")


@require_POST
@admin_required
def known_host_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    kh = get_object_or_404(KnownHost, pk=pk)
    actions.remove_known_host(kh, actor=request.user)
    messages.success(request, f"Clé de {kh.host}:{kh.port} retirée : les connexions à cet hôte seront refusées.")
    return redirect("diagnostics:access")
