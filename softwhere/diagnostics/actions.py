"""Every diagnostics write: checks and their evidence, the reboot, the SSH configuration, observation watches.

Network I/O never runs inside a transaction opened here: a check gathers what it
needs, talks to the bastion/device (bounded by ``conf.timeouts()``), then stores
the run and its timeline entry in one short transaction. Secrets are decrypted
only to build transport endpoints and are masked out of anything stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from softwhere.core.models import record_audit
from softwhere.inventory.models import Equipment
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.tickets.choices import FINISHED_STATUSES, TicketStatus, TimelineKind, Visibility
from softwhere.tickets.models import Ticket, TimelineEntry
from softwhere.tickets.transitions import TicketError, TicketErrorCode

from . import conf, crypto
from .adapters import local, transport
from .adapters.transport import Endpoint, TransportError
from .adapters.vendors import VendorProfile, get_vendor
from .choices import CredentialKind, DiagnosticKind, PingSource, Trigger, Verdict, WatchStatus
from .models import Bastion, DeviceCredential, DiagnosticRun, KnownHost, ObservationWatch, ServiceSheet
from .services import observation
from .services.alarms import AlarmLog
from .services.flapping import analyse
from .services.ping import parse_ping
from .services.traceroute import parse_traceroute

logger = logging.getLogger("softwhere.diagnostics")

JOB_OBSERVATION_CHECK = "diagnostics.observation_check"
JOB_DIAGNOSE = "diagnostics.diagnose"
MASK = "********"

#: transport failures that say the equipment (not the desk) is unreachable.
UNREACHABLE_CODES = frozenset(
    {
        "connection_refused",
        "timeout",
        "unreachable",
        "no_prompt",
        "session_closed",
        "bastion_forward_failed",
        "disconnected",
    }
)


# --- Timeline ---------------------------------------------------------------------------------------------


def log_to_timeline(
    ticket: Ticket,
    *,
    actor: Any,
    body: str,
    data: dict[str, Any] | None = None,
    visibility: str = Visibility.INTERNAL,
) -> TimelineEntry:
    """Append a diagnostics entry to the ticket's (append-only) timeline."""
    return TimelineEntry.objects.create(
        ticket=ticket,
        kind=TimelineKind.DIAGNOSTIC,
        author=actor if getattr(actor, "pk", None) else None,
        body=body,
        data=data or {},
        visibility=visibility,
    )


def _require_agent(actor: Any, what: str) -> None:
    if not getattr(actor, "is_agent", False):
        raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, f"Seul un agent peut {what}.")


def _require_admin(actor: Any) -> None:
    if actor is not None and not (actor.is_superuser or actor.role in ("supervisor", "admin")):
        raise TicketError(
            TicketErrorCode.ROLE_NOT_ALLOWED, "Seuls un superviseur ou un administrateur gèrent les accès SSH."
        )


# --- Configuration: credentials, bastions, known hosts, service sheets ------------------------------------------


def save_credential(
    *,
    actor: Any,
    name: str,
    username: str,
    secret: str | None = None,
    kind: str = CredentialKind.PASSWORD,
    credential: DeviceCredential | None = None,
) -> DeviceCredential:
    """Create or update a credential; ``secret=None`` keeps the stored one. The audit never holds the secret."""
    _require_admin(actor)
    cred = credential or DeviceCredential()
    cred.name, cred.username, cred.kind = name.strip(), username.strip(), kind
    if secret is not None:
        if not secret:
            raise ValidationError({"secret": ["Le secret ne peut pas être vide."]})
        cred.set_secret(secret)
    elif not cred.has_secret:
        raise ValidationError({"secret": ["Secret obligatoire."]})
    cred.full_clean()
    with transaction.atomic():
        created = cred.pk is None
        cred.save()
        record_audit(
            actor,
            "credential.created" if created else "credential.updated",
            cred,
            {"username": cred.username, "kind": cred.kind, "secret_changed": secret is not None},
        )
    return cred


def add_known_host(*, actor: Any, host: str, port: int = 22, public_key: str, comment: str = "") -> KnownHost:
    """Trust a host key (replacing the previous key of the same type for that host and port)."""
    _require_admin(actor)
    kh = KnownHost(host=host.strip(), port=port, public_key=public_key, comment=comment, added_by=actor)
    kh.clean()
    kh.full_clean(exclude=["key_type", "fingerprint"], validate_unique=False)
    with transaction.atomic():
        previous = KnownHost.objects.filter(host=kh.host, port=kh.port, key_type=kh.key_type).first()
        if previous is not None:
            record_audit(actor, "known_host.replaced", previous, {"fingerprint": previous.fingerprint})
            previous.delete()
        kh.save()
        record_audit(actor, "known_host.added", kh, {"fingerprint": kh.fingerprint})
    return kh


def remove_known_host(known_host: KnownHost, *, actor: Any) -> None:
    _require_admin(actor)
    with transaction.atomic():
        record_audit(actor, "known_host.removed", known_host, {"fingerprint": known_host.fingerprint})
        known_host.delete()


def save_bastion(*, actor: Any, bastion: Bastion | None = None, **fields: Any) -> Bastion:
    _require_admin(actor)
    obj = bastion or Bastion()
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    with transaction.atomic():
        if obj.is_default:
            Bastion.objects.exclude(pk=obj.pk).filter(is_default=True).update(is_default=False)
        created = obj.pk is None
        obj.save()
        record_audit(
            actor, "bastion.created" if created else "bastion.updated", obj, {"host": obj.host, "port": obj.port}
        )
    return obj


SHEET_FIELDS = frozenset(
    f.name
    for f in ServiceSheet._meta.get_fields()
    if getattr(f, "concrete", False) and f.name not in ("id", "equipment", "created_at", "updated_at")
)


def save_service_sheet(equipment: Equipment, *, actor: Any, **fields: Any) -> ServiceSheet:
    """Create or edit the service sheet of an equipment; changed fields go to the audit log."""
    unknown = set(fields) - SHEET_FIELDS
    if unknown:
        raise ValidationError({f: ["Champ inconnu."] for f in sorted(unknown)})
    sheet = ServiceSheet.objects.filter(equipment=equipment).first() or ServiceSheet(equipment=equipment)
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(sheet, name)
        if old != value:
            changes[name] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(sheet, name, value)
    sheet.full_clean()
    with transaction.atomic():
        created = sheet.pk is None
        sheet.save()
        record_audit(actor, "service_sheet.created" if created else "service_sheet.updated", sheet, changes)
    return sheet


# --- Endpoints ---------------------------------------------------------------------------------------------


class _Config(Exception):
    """Missing or unusable configuration: the check is recorded as impossible, with this French message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def bastion_for(sheet: ServiceSheet) -> Bastion | None:
    if sheet.bastion_id and sheet.bastion is not None and sheet.bastion.enabled:
        return sheet.bastion
    return Bastion.objects.filter(is_default=True, enabled=True).select_related("credential").first()


def _endpoint(cred: DeviceCredential | None, host: str, port: int, label: str, what: str) -> Endpoint:
    if cred is None or not cred.has_secret:
        raise _Config("no_credential", f"Aucun identifiant enregistré pour {what}.")
    try:
        secret = cred.reveal()
    except crypto.SecretUnavailable:
        raise _Config(
            "credential_unreadable", f"Identifiant « {cred.name} » illisible (clé de chiffrement changée ?)."
        ) from None
    return Endpoint(host=host, port=port, username=cred.username, secret=secret, secret_kind=cred.kind, label=label)


def _bastion_endpoint(bastion: Bastion | None) -> Endpoint | None:
    if bastion is None:
        return None
    return _endpoint(bastion.credential, bastion.host, bastion.port, bastion.name, f"le bastion {bastion.name}")


def known_host_lines() -> list[str]:
    return [kh.known_hosts_line() for kh in KnownHost.objects.all()]


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, MASK)
    return text


def _label(sheet: ServiceSheet) -> str:
    return f"{sheet.hostname or sheet.equipment} ({sheet.admin_ip})"


# --- Recording a check ---------------------------------------------------------------------------------------

KIND_TITLES = {
    DiagnosticKind.PING: "Ping",
    DiagnosticKind.TRACEROUTE: "Traceroute",
    DiagnosticKind.ALARM_LOG: "Journal d'alarmes",
    DiagnosticKind.REBOOT: "Redémarrage",
}


@dataclass
class _Check:
    sheet: ServiceSheet | None
    kind: str
    ticket: Ticket | None
    actor: Any
    trigger: str
    watch: ObservationWatch | None = None
    target: str = ""
    via: str = ""
    command: str = ""
    started_at: datetime = field(default_factory=timezone.now)
    secrets: list[str] = field(default_factory=list)


def _storable(text: str) -> str:
    """PostgreSQL text and jsonb refuse NUL bytes, which broken devices do emit: keep a visible mark."""
    return text.replace("\x00", "\ufffd")


def _record(
    check: _Check,
    *,
    raw: str,
    parsed: dict[str, Any],
    verdict: str,
    message: str,
    error_code: str = "",
    visibility: str = Visibility.INTERNAL,
) -> DiagnosticRun:
    raw, message = _storable(_redact(raw, check.secrets)), _storable(_redact(message, check.secrets))
    with transaction.atomic():
        run = DiagnosticRun.objects.create(
            ticket=check.ticket,
            equipment=check.sheet.equipment if check.sheet else None,
            sheet=check.sheet,
            watch=check.watch,
            kind=check.kind,
            trigger=check.trigger,
            actor=check.actor if getattr(check.actor, "pk", None) else None,
            target=check.target,
            via=check.via,
            command=check.command,
            raw_output=raw,
            parsed=parsed,
            verdict=verdict,
            message=message,
            error_code=error_code,
            started_at=check.started_at,
            finished_at=timezone.now(),
        )
        if check.ticket is not None:
            who = (
                "surveillance automatique"
                if check.trigger == Trigger.OBSERVATION
                else Trigger(check.trigger).label.lower()
            )
            body = f"{KIND_TITLES[DiagnosticKind(check.kind)]} – {_label(check.sheet) if check.sheet else check.target}"
            body += f" via {check.via}" if check.via else ""
            body += f" : {message}"
            if check.command:
                body += f"\nCommande : {check.command}"
            body += f"\n({who})"
            entry = log_to_timeline(
                check.ticket,
                actor=check.actor,
                body=body,
                data={**run.as_evidence(), "message": message, "parsed": parsed, "raw_output": raw},
                visibility=visibility,
            )
            run.timeline_entry = entry
            run.save(update_fields=["timeline_entry"])
    return run


def _failure(check: _Check, exc: TransportError | _Config) -> DiagnosticRun:
    code = exc.code
    unreachable = isinstance(exc, TransportError) and code in UNREACHABLE_CODES and exc.stage == "device"
    return _record(
        check,
        raw="",
        parsed={"error": code, "stage": getattr(exc, "stage", "desk")},
        verdict=Verdict.UNREACHABLE if unreachable else Verdict.ERROR,
        message=exc.message,
        error_code=code,
    )


def _check(sheet: ServiceSheet, kind: str, ticket: Ticket | None, actor: Any, trigger: str, watch: Any) -> _Check:
    return _Check(
        sheet=sheet, kind=kind, ticket=ticket, actor=actor, trigger=trigger, watch=watch, target=str(sheet.admin_ip)
    )


# --- Checks ------------------------------------------------------------------------------------------------------


def run_ping(
    sheet: ServiceSheet,
    *,
    ticket: Ticket | None,
    actor: Any,
    trigger: str = Trigger.AGENT,
    watch: ObservationWatch | None = None,
    source: str | None = None,
) -> DiagnosticRun:
    """Ping the admin IP from the bastion (as in seed 004) or, without one, from the desk."""
    check = _check(sheet, DiagnosticKind.PING, ticket, actor, trigger, watch)
    count, wait = conf.ping_count(), conf.ping_wait_seconds()
    try:
        bastion = bastion_for(sheet) if source != PingSource.DESK else None
        if bastion is not None:
            ep = _bastion_endpoint(bastion)
            assert ep is not None
            check.secrets.append(ep.secret)
            argv = local.ping_argv(str(sheet.admin_ip), count, wait)
            check.via, check.command = f"bastion {bastion.name}", " ".join(argv)
            out = transport.run_sync(
                lambda: transport.exec_on_bastion(ep, argv, known_hosts=known_host_lines(), timeouts=conf.timeouts())
            )
        else:
            check.via = "desk"
            check.command = " ".join(local.ping_argv(str(sheet.admin_ip), count, wait))
            out = local.ping(str(sheet.admin_ip), count, wait)
    except (TransportError, _Config) as exc:
        return _failure(check, exc)
    result = parse_ping(out.output)
    verdict = Verdict.REACHABLE if result.reachable else (Verdict.UNREACHABLE if result.recognised else Verdict.UNKNOWN)
    return _record(check, raw=out.transcript, parsed=result.to_dict(), verdict=verdict, message=result.message)


def run_traceroute(
    sheet: ServiceSheet, *, ticket: Ticket | None, actor: Any, trigger: str = Trigger.AGENT
) -> DiagnosticRun:
    check = _check(sheet, DiagnosticKind.TRACEROUTE, ticket, actor, trigger, None)
    try:
        bastion = bastion_for(sheet)
        argv = local.traceroute_argv(str(sheet.admin_ip))
        check.command = " ".join(argv)
        if bastion is not None:
            ep = _bastion_endpoint(bastion)
            assert ep is not None
            check.secrets.append(ep.secret)
            check.via = f"bastion {bastion.name}"
            out = transport.run_sync(
                lambda: transport.exec_on_bastion(ep, argv, known_hosts=known_host_lines(), timeouts=conf.timeouts())
            )
        else:
            check.via = "desk"
            out = local.traceroute(str(sheet.admin_ip))
    except (TransportError, _Config) as exc:
        return _failure(check, exc)
    result = parse_traceroute(out.output)
    verdict = Verdict.REACHABLE if result.reached else (Verdict.UNREACHABLE if result.recognised else Verdict.UNKNOWN)
    return _record(check, raw=out.transcript, parsed=result.to_dict(), verdict=verdict, message=result.message)


def read_alarm_log(
    sheet: ServiceSheet,
    *,
    ticket: Ticket | None,
    actor: Any,
    trigger: str = Trigger.AGENT,
    watch: ObservationWatch | None = None,
    at: datetime | None = None,
) -> DiagnosticRun:
    """SSH (through the bastion) to the router, read its alarm log, and give the flapping verdict."""
    check = _check(sheet, DiagnosticKind.ALARM_LOG, ticket, actor, trigger, watch)
    vendor = get_vendor(sheet.vendor)
    check.command = vendor.command("alarm_log")
    try:
        bastion = bastion_for(sheet)
        bastion_ep = _bastion_endpoint(bastion)
        device_ep = _endpoint(
            sheet.credential, str(sheet.admin_ip), sheet.ssh_port, sheet.hostname, f"l'équipement {_label(sheet)}"
        )
        check.secrets += [device_ep.secret] + ([bastion_ep.secret] if bastion_ep else [])
        check.via = f"bastion {bastion.name}" if bastion is not None else "desk (connexion directe)"
        outputs = transport.run_sync(
            lambda: transport.read_commands(
                device_ep,
                vendor,
                [("alarm_log", {})],
                known_hosts=known_host_lines(),
                bastion=bastion_ep,
                timeouts=conf.timeouts(),
            )
        )
    except (TransportError, _Config) as exc:
        return _failure(check, exc)
    out = outputs[0]
    reading = _alarm_reading(vendor, sheet, out.output, out.transcript, at or timezone.now())
    return _record(check, raw=out.transcript, **reading)


def _alarm_reading(
    vendor: VendorProfile, sheet: ServiceSheet, output: str, transcript: str, at: datetime
) -> dict[str, Any]:
    """Parse an alarm log and give the flapping verdict: the ``_record`` arguments of the run."""
    log: AlarmLog
    if vendor.is_error(output):
        log = AlarmLog(format=vendor.id, recognised=False, raw=output)
    else:
        log = vendor.parse_alarm_log(transcript, sheet.tz, at)
    analysis = analyse(log, at, conf.flap_thresholds(), display_tz=sheet.tz)
    message = analysis.message
    if not log.recognised:
        message = "format non reconnu : sortie brute conservée, à lire par un agent"
    elif log.truncated:
        message += " (journal tronqué : dernière entrée incomplète)"
    verdict = {"stable": Verdict.STABLE, "flapping": Verdict.FLAPPING}.get(analysis.verdict, Verdict.UNKNOWN)
    return {
        "parsed": {"log": log.to_dict(), "analysis": analysis.to_dict()},
        "verdict": verdict,
        "message": message,
        "error_code": "unknown_format" if not log.recognised else "",
    }


def record_alarm_log_capture(
    sheet: ServiceSheet, *, ticket: Ticket | None, actor: Any, text: str, captured_at: datetime | None = None
) -> DiagnosticRun:
    """An alarm log captured outside the desk (a technician's own session) becomes evidence like a live read.

    It is read as of ``captured_at`` (a log says nothing about what happened after it was taken)
    and its run says where it came from, so nobody mistakes it for a check the desk ran.
    """
    _require_agent(actor, "joindre un journal d'alarmes")
    if ticket is not None and ticket.status in FINISHED_STATUSES:
        raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket terminé : relevé impossible à joindre.")
    if not text.strip():
        raise ValidationError({"text": ["Collez le journal d'alarmes relevé."]})
    at = captured_at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"captured_at": ["La date du relevé est dans le futur."]})
    vendor = get_vendor(sheet.vendor)
    check = _check(sheet, DiagnosticKind.ALARM_LOG, ticket, actor, Trigger.AGENT, None)
    check.command, check.via, check.started_at = vendor.command("alarm_log"), "relevé fourni par un agent", at
    return _record(check, raw=text, **_alarm_reading(vendor, sheet, text, text, at))


# --- "Diagnostiquer" --------------------------------------------------------------------------------------------


@dataclass
class EquipmentReport:
    sheet: ServiceSheet
    ping: DiagnosticRun | None = None
    alarm_log: DiagnosticRun | None = None

    @property
    def verdict(self) -> str:
        if self.alarm_log is not None and self.alarm_log.verdict in (Verdict.STABLE, Verdict.FLAPPING):
            return self.alarm_log.verdict
        if self.ping is not None and self.ping.verdict == Verdict.UNREACHABLE:
            return Verdict.UNREACHABLE
        return self.alarm_log.verdict if self.alarm_log is not None else Verdict.UNKNOWN

    @property
    def message(self) -> str:
        if self.alarm_log is not None and self.alarm_log.verdict in (Verdict.STABLE, Verdict.FLAPPING):
            return self.alarm_log.message
        parts = [r.message for r in (self.ping, self.alarm_log) if r is not None]
        return " ; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "equipment": self.sheet.equipment_id,
            "hostname": self.sheet.hostname,
            "admin_ip": str(self.sheet.admin_ip),
            "verdict": self.verdict,
            "message": self.message,
            "runs": [r.pk for r in (self.ping, self.alarm_log) if r is not None],
        }


@dataclass
class DiagnoseReport:
    ticket: Ticket
    items: list[EquipmentReport] = field(default_factory=list)
    without_sheet: list[Equipment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket.reference,
            "equipment": [i.to_dict() for i in self.items],
            "without_sheet": [str(e) for e in self.without_sheet],
        }


def sheets_for_ticket(ticket: Ticket) -> tuple[list[ServiceSheet], list[Equipment]]:
    """Every equipment concerned: the ticket's, those of its services, and the far ends of their services."""
    equipment = list(ticket.equipment.select_related("site"))
    seen = {e.pk for e in equipment}
    for e in Equipment.objects.filter(service__in=ticket.services.all()).select_related("site"):
        if e.pk not in seen:
            equipment.append(e)
            seen.add(e.pk)
    sheets: list[ServiceSheet] = []
    without: list[Equipment] = []
    by_id = {
        s.equipment_id: s
        for s in ServiceSheet.objects.filter(equipment__in=equipment).select_related(
            "equipment__site", "bastion__credential", "credential"
        )
    }
    for e in equipment:
        if e.pk in by_id:
            sheets.append(by_id[e.pk])
        else:
            without.append(e)
    ids = {s.pk for s in sheets}
    for sheet in list(sheets):
        for peer in sheet.peers().select_related("bastion__credential", "credential"):
            if peer.pk not in ids:
                sheets.append(peer)
                ids.add(peer.pk)
    return sheets, without


def diagnose_ticket(
    ticket: Ticket, *, actor: Any, trigger: str = Trigger.AGENT, watch: ObservationWatch | None = None
) -> DiagnoseReport:
    """Ping and alarm log of every equipment concerned (both ends of a point-to-point)."""
    _require_agent(actor, "lancer un diagnostic")
    if ticket.status in FINISHED_STATUSES:
        raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket terminé : diagnostic impossible.")
    sheets, without = sheets_for_ticket(ticket)
    report = DiagnoseReport(ticket=ticket, without_sheet=without)
    if not sheets:
        log_to_timeline(
            ticket,
            actor=actor,
            body="Diagnostic impossible : aucun équipement concerné n'a de fiche prestation (IP d'administration).",
            data={"diagnose": "no_sheet", "without_sheet": [e.pk for e in without]},
        )
        return report
    for sheet in sheets:
        item = EquipmentReport(sheet)
        item.ping = run_ping(sheet, ticket=ticket, actor=actor, trigger=trigger, watch=watch)
        item.alarm_log = read_alarm_log(sheet, ticket=ticket, actor=actor, trigger=trigger, watch=watch)
        report.items.append(item)
    return report


# --- « Diagnostiquer » on the worker ---------------------------------------------------------------------------


def diagnosis_jobs(ticket: Ticket) -> QuerySet[ScheduledJob]:
    """The « Diagnostiquer » requests of a ticket, newest first."""
    return ScheduledJob.objects.filter(kind=JOB_DIAGNOSE, payload__ticket_id=ticket.pk).order_by("-created_at", "-id")


def request_diagnosis(ticket: Ticket, *, actor: Any, trigger: str = Trigger.AGENT) -> ScheduledJob:
    """Queue « Diagnostiquer » for the worker; a request already waiting or running is returned instead.

    SSH through a bastion may take a minute per router (connect + login + command
    timeouts): that must not hold a web request, and the evidence must be stored
    even if the agent closes the page. The worker runs it as the requesting agent,
    and the runs keep the ``trigger`` (page or API) the request came from.
    """
    from softwhere.jobs.actions import schedule

    _require_agent(actor, "lancer un diagnostic")
    if ticket.status in FINISHED_STATUSES:
        raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "Ticket terminé : diagnostic impossible.")
    with transaction.atomic():
        # The ticket row lock serialises double clicks: one request in flight per ticket.
        Ticket.objects.select_for_update().filter(pk=ticket.pk).exists()
        current = diagnosis_jobs(ticket).filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING)).first()
        if current is not None:
            return current
        job = schedule(
            JOB_DIAGNOSE,
            timezone.now(),
            {"ticket_id": ticket.pk, "actor_id": actor.pk, "trigger": trigger},
            max_attempts=DIAGNOSE_MAX_ATTEMPTS,
        )
        record_audit(actor, "diagnostics.requested", ticket, {"job": job.pk})
    return job


#: a check only reads the devices, so one retry after a crashed worker is harmless.
DIAGNOSE_MAX_ATTEMPTS = 2


def run_requested_diagnosis(payload: dict[str, Any], *, job_id: int | None = None) -> str:
    """The worker's side of ``request_diagnosis``; a request that became moot is explained in the timeline.

    With ``job_id``, the outcome and the ids of the runs are written back into the
    job's payload so the request can be read later (API polling) without guessing
    which runs it produced.
    """
    from softwhere.accounts.models import User
    from softwhere.jobs.system import system_user

    ticket = Ticket.objects.filter(pk=int(payload["ticket_id"])).first()
    if ticket is None:
        _store_outcome(job_id, payload, "no_ticket", detail="Ticket supprimé.")
        return "no_ticket"
    actor = User.objects.filter(pk=int(payload["actor_id"]), is_active=True).first()
    try:
        if actor is None:
            raise TicketError(TicketErrorCode.ROLE_NOT_ALLOWED, "Le compte qui a demandé le diagnostic est désactivé.")
        report = diagnose_ticket(ticket, actor=actor, trigger=payload.get("trigger") or Trigger.AGENT)
    except TicketError as exc:
        log_to_timeline(
            ticket,
            actor=system_user(),
            body=f"Diagnostic demandé non exécuté : {exc.message}",
            data={"diagnose": "refused", "code": str(exc.code)},
        )
        _store_outcome(job_id, payload, "refused", detail=exc.message)
        return "refused"
    runs = [pk for item in report.items for pk in item.to_dict()["runs"]]
    detail = "" if report.items else "Aucun équipement concerné n'a de fiche prestation (IP d'administration)."
    without = [str(e) for e in report.without_sheet]
    _store_outcome(job_id, payload, "done", detail=detail, runs=runs, without_sheet=without)
    return "done"


def _store_outcome(
    job_id: int | None,
    payload: dict[str, Any],
    outcome: str,
    *,
    detail: str,
    runs: list[int] | None = None,
    without_sheet: list[str] | None = None,
) -> None:
    # update(): the worker marks the job done with update() too, so neither write overwrites the other.
    if job_id is not None:
        result = {"outcome": outcome, "detail": detail, "runs": runs or [], "without_sheet": without_sheet or []}
        ScheduledJob.objects.filter(pk=job_id).update(payload={**payload, "result": result})


def diagnosis_result(job: ScheduledJob) -> dict[str, Any] | None:
    """The report of a finished « Diagnostiquer » request, rebuilt from the runs it recorded (None until then).

    Shaped like ``DiagnoseReport.to_dict()`` plus the worker's ``outcome`` and ``detail``.
    """
    result = job.payload.get("result")
    ticket = Ticket.objects.filter(pk=job.payload.get("ticket_id")).first()
    if result is None or ticket is None:
        return None
    report = DiagnoseReport(ticket=ticket)
    items: dict[int, EquipmentReport] = {}
    runs = DiagnosticRun.objects.filter(pk__in=result.get("runs", [])).select_related("sheet").order_by("id")
    for run in runs:
        if run.sheet is None:
            continue
        item = items.get(run.sheet.pk)
        if item is None:
            item = items[run.sheet.pk] = EquipmentReport(run.sheet)
            report.items.append(item)
        if run.kind == DiagnosticKind.PING:
            item.ping = run
        elif run.kind == DiagnosticKind.ALARM_LOG:
            item.alarm_log = run
    return {
        **report.to_dict(),
        "without_sheet": list(result.get("without_sheet", [])),
        "outcome": result.get("outcome", ""),
        "detail": result.get("detail", ""),
        "runs": list(runs),
    }


# --- Reboot --------------------------------------------------------------------------------------------------


def reboot_equipment(
    sheet: ServiceSheet, *, ticket: Ticket | None, actor: Any, confirmation: str, reason: str
) -> DiagnosticRun:
    """Reboot a router: N2 only, the agent retypes the hostname (or IP), gives a reason; audited and in the timeline."""
    if not getattr(actor, "is_n2", False):
        raise TicketError(TicketErrorCode.N2_REQUIRED, "Le redémarrage à distance est réservé au niveau 2.")
    expected = sheet.hostname or str(sheet.admin_ip)
    if confirmation.strip() != expected:
        raise ValidationError({"confirmation": [f"Recopiez exactement « {expected} » pour confirmer le redémarrage."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Le motif du redémarrage est obligatoire."]})
    vendor = get_vendor(sheet.vendor)
    check = _check(sheet, DiagnosticKind.REBOOT, ticket, actor, Trigger.AGENT, None)
    check.command = vendor.reboot.command if vendor.reboot else ""
    record_audit(
        actor,
        "equipment.reboot_requested",
        sheet.equipment,
        {"reason": reason.strip(), "ticket": getattr(ticket, "reference", None)},
    )
    try:
        bastion = bastion_for(sheet)
        bastion_ep = _bastion_endpoint(bastion)
        device_ep = _endpoint(
            sheet.credential, str(sheet.admin_ip), sheet.ssh_port, sheet.hostname, f"l'équipement {_label(sheet)}"
        )
        check.secrets += [device_ep.secret] + ([bastion_ep.secret] if bastion_ep else [])
        check.via = f"bastion {bastion.name}" if bastion is not None else "desk (connexion directe)"
        out = transport.run_sync(
            lambda: transport.reboot(
                device_ep, vendor, known_hosts=known_host_lines(), bastion=bastion_ep, timeouts=conf.timeouts()
            )
        )
    except (TransportError, _Config) as exc:
        run = _failure(check, exc)
    else:
        run = _record(
            check,
            raw=out.transcript,
            parsed={"reason": reason.strip()},
            verdict=Verdict.DONE,
            message=f"redémarrage demandé ({reason.strip()})",
        )
    record_audit(
        actor, "equipment.reboot", sheet.equipment, {"run": run.pk, "verdict": run.verdict, "error": run.error_code}
    )
    return run


# --- Observation that checks itself -------------------------------------------------------------------------------


def _observe_entry(ticket: Ticket) -> TimelineEntry | None:
    return (
        ticket.timeline.filter(kind=TimelineKind.STATUS, data__to=TicketStatus.OBSERVATION)
        .order_by("-created_at", "-id")
        .first()
    )


def start_observation_watch(ticket_id: int, *, send_mail: bool = False) -> ObservationWatch | None:
    """Called after a ticket entered observation: one watch per entry into observation (idempotent)."""
    from softwhere.jobs.actions import schedule
    from softwhere.jobs.system import system_user

    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or ticket.status != TicketStatus.OBSERVATION:
            return None
        entry = _observe_entry(ticket)
        if entry is None:
            return None
        existing = ObservationWatch.objects.filter(observe_entry=entry).first()
        if existing is not None:
            return existing
        sheets, _ = sheets_for_ticket(ticket)
        if not sheets:
            return None  # nothing the desk can reach (mobile line, voice…): observation stays manual
        ObservationWatch.objects.filter(ticket=ticket, status=WatchStatus.ACTIVE).update(
            status=WatchStatus.STOPPED, finished_at=timezone.now()
        )
        ends_at = ticket.observation_until or entry.created_at + conf.observation_default()
        interval = conf.observation_interval()
        watch = ObservationWatch.objects.create(
            ticket=ticket,
            observe_entry=entry,
            started_at=entry.created_at,
            ends_at=ends_at,
            interval_minutes=int(interval.total_seconds() // 60),
            send_mail=send_mail,
        )
        local_end = timezone.localtime(ends_at).strftime("%d/%m/%Y %H:%M")
        names = ", ".join(s.hostname or str(s.admin_ip) for s in sheets)
        log_to_timeline(
            ticket,
            actor=system_user(),
            body=(
                f"Surveillance automatique : ping et journal d'alarmes toutes les {watch.interval_minutes} min "
                f"jusqu'au {local_end} ({names})."
            ),
            data={"watch": watch.pk, "equipment": [s.equipment_id for s in sheets]},
        )
        schedule(
            JOB_OBSERVATION_CHECK,
            timezone.now(),
            {"watch_id": watch.pk, "seq": 0},
            f"{JOB_OBSERVATION_CHECK}:{watch.pk}:0",
        )
    return watch


def set_watch_mail_mode(watch: ObservationWatch, *, actor: Any, send: bool) -> ObservationWatch:
    """The agent chooses: at the end of a clean period, send the client mail, or only draft it."""
    _require_agent(actor, "choisir l'envoi du mail d'observation")
    with transaction.atomic():
        watch = ObservationWatch.objects.select_for_update().get(pk=watch.pk)
        if watch.status != WatchStatus.ACTIVE:
            raise TicketError(TicketErrorCode.TRANSITION_NOT_ALLOWED, "La surveillance automatique est terminée.")
        if watch.send_mail == send:
            return watch
        watch.send_mail = send
        watch.save(update_fields=["send_mail"])
        log_to_timeline(
            watch.ticket,
            actor=actor,
            body=(
                "Fin d'observation sans coupure : le mail d'information sera envoyé automatiquement au client."
                if send
                else "Fin d'observation sans coupure : le mail d'information sera préparé, à envoyer par l'agent."
            ),
            data={"watch": watch.pk, "send_mail": send},
        )
    return watch


def _final_at(watch: ObservationWatch) -> datetime:
    return max(watch.started_at, watch.ends_at - conf.observation_final_margin())


def observation_check(watch_id: int, seq: int, *, now: datetime | None = None) -> str:
    """One periodic check of a watched ticket; returns what happened (for logs and tests).

    A new alarm (or the equipment unreachable) reopens the ticket with the evidence;
    the last check of a clean period drafts (or sends) the client information mail.
    """
    from softwhere.jobs.actions import schedule
    from softwhere.jobs.system import system_user
    from softwhere.tickets.actions import transition_ticket

    now = now or timezone.now()
    watch = ObservationWatch.objects.select_related("ticket").filter(pk=watch_id).first()
    if watch is None or watch.status != WatchStatus.ACTIVE:
        return "inactive"
    ticket = watch.ticket
    system = system_user()
    if ticket.status != TicketStatus.OBSERVATION:
        _finish(watch, WatchStatus.STOPPED, now)
        return "left_observation"

    report = diagnose_ticket(ticket, actor=system, trigger=Trigger.OBSERVATION, watch=watch)
    cuts: list[str] = []
    evidence: list[int] = []
    unverified = 0
    for item in report.items:
        name = item.sheet.hostname or str(item.sheet.admin_ip)
        alarm = item.alarm_log
        if alarm is not None and alarm.verdict in (Verdict.STABLE, Verdict.FLAPPING):
            new = observation.events_after(alarm.parsed.get("log", {}).get("events", []), watch.started_at)
            if new:
                first = new[0]
                stamp = timezone.localtime(datetime.fromisoformat(first["timestamp"])).strftime("%d/%m/%Y %H:%M:%S")
                what = " ".join(p for p in (first.get("name"), first.get("condition"), first.get("severity")) if p)
                cuts.append(
                    f"{name} : {len(new)} nouvelle(s) alarme(s) depuis la mise en observation, dont {what} le {stamp}"
                )
                evidence.append(alarm.pk)
                continue
        if (
            item.ping is not None
            and item.ping.verdict == Verdict.UNREACHABLE
            and (alarm is None or alarm.verdict == Verdict.UNREACHABLE)
        ):
            cuts.append(f"{name} : injoignable ({item.ping.message})")
            evidence.append(item.ping.pk)
            continue
        if alarm is None or alarm.verdict not in (Verdict.STABLE, Verdict.FLAPPING):
            unverified += 1

    watch.checks_done += 1
    watch.checks_unverified += 1 if unverified else 0
    watch.last_check_at = now
    watch.save(update_fields=["checks_done", "checks_unverified", "last_check_at"])

    if cuts:
        reason = "Surveillance automatique : coupure détectée pendant l'observation.\n" + "\n".join(cuts)
        transition_ticket(ticket, "reopen", actor=system, reason=reason)
        log_to_timeline(
            ticket,
            actor=system,
            body=reason,
            data={"watch": watch.pk, "evidence_runs": evidence, "outcome": "reopened"},
        )
        _finish(watch, WatchStatus.REOPENED, now)
        return "reopened"

    final_at = _final_at(watch)
    if now >= final_at:
        return _conclude(watch, report, now)
    due, _ = observation.next_check(now, timedelta(minutes=watch.interval_minutes), final_at)
    schedule(
        JOB_OBSERVATION_CHECK,
        due,
        {"watch_id": watch.pk, "seq": seq + 1},
        f"{JOB_OBSERVATION_CHECK}:{watch.pk}:{seq + 1}",
    )
    return "scheduled"


def _finish(watch: ObservationWatch, status: str, now: datetime) -> None:
    watch.status, watch.finished_at = status, now
    watch.save(update_fields=["status", "finished_at"])


def _since(watch: ObservationWatch) -> datetime:
    """The last alarm seen on any equipment concerned, else the start of the observation."""
    last: datetime | None = None
    for run in watch.runs.filter(kind=DiagnosticKind.ALARM_LOG, verdict__in=[Verdict.STABLE, Verdict.FLAPPING]):
        value = run.parsed.get("analysis", {}).get("last_alarm")
        if value:
            when = datetime.fromisoformat(value)
            last = when if last is None or when > last else last
    return last or watch.started_at


def _conclude(watch: ObservationWatch, report: DiagnoseReport, now: datetime) -> str:
    from softwhere.jobs.system import system_user

    ticket = watch.ticket
    system = system_user()
    if watch.checks_unverified:
        log_to_timeline(
            ticket,
            actor=system,
            body=(
                f"Fin de la surveillance automatique : {watch.checks_unverified} vérification(s) sur {watch.checks_done} "
                "n'ont pas pu être faites. Mail client non préparé : vérifiez les équipements avant de répondre au client."
            ),
            data={"watch": watch.pk, "outcome": "inconclusive"},
        )
        _finish(watch, WatchStatus.INCONCLUSIVE, now)
        return "inconclusive"
    reporter = ticket.reporter
    site = ticket.site
    draft = observation.information_mail(
        reference=ticket.reference,
        site=site.name if site else "",
        city=site.city if site else "",
        contact_name=f"{reporter.last_name} {reporter.first_name}".strip() if reporter else "",
        contact_email=reporter.email if reporter else "",
        since=_since(watch),
        tz=timezone.get_current_timezone(),
        customer_reference=ticket.client_reference,
    )
    sent = bool(watch.send_mail and draft.to)
    if sent:
        transaction.on_commit(lambda: send_mail(draft.subject, draft.body, None, [draft.to]))
    header = (
        "Mail d'information envoyé au client"
        if sent
        else "Brouillon de mail d'information client (à envoyer par l'agent)"
    )
    log_to_timeline(
        ticket,
        actor=system,
        body=(
            f"Fin de la surveillance automatique : aucune coupure sur {watch.checks_done} vérification(s).\n"
            f"{header} — à : {draft.to or '(signaleur sans e-mail)'}\nObjet : {draft.subject}\n\n{draft.body}"
        ),
        data={"watch": watch.pk, "outcome": "clean", "mail_draft": draft.to_dict(), "sent": sent},
        visibility=Visibility.PUBLIC if sent else Visibility.INTERNAL,
    )
    _finish(watch, WatchStatus.CLEAN, now)
    return "clean"
