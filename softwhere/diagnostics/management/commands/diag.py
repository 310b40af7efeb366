"""``softwhere diag alarms|ping|traceroute|run|known-hosts``: the diagnostics from a terminal.

``alarms`` and the parsers need no database: they read a saved output, so an
agent can paste a log from any tool and get the same verdict as the desk.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from softwhere.diagnostics.adapters.vendors import VENDORS, UnknownVendor, parse_alarm_log
from softwhere.diagnostics.services.flapping import FlapThresholds, analyse
from softwhere.diagnostics.services.ping import parse_ping
from softwhere.diagnostics.services.traceroute import parse_traceroute


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(f"fuseau horaire inconnu : {name!r}") from exc


def parse_instant(text: str | None, tz: ZoneInfo) -> datetime:
    """ISO 8601; without an offset the time is the device's wall-clock time (``--tz``)."""
    if not text:
        return timezone.now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"date invalide : {text!r} (ISO 8601 attendu, ex. 2025-06-19T10:00)") from exc
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CommandError(f"lecture impossible de {path} : {exc.strerror or exc}") from exc


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Diagnostics équipements : journal d'alarmes (bagots), ping, traceroute, vérifications d'un ticket."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        alarms = sub.add_parser("alarms", help="Lit un journal d'alarmes enregistré et donne le verdict (JSON).")
        alarms.add_argument("file", help="Fichier de sortie de l'équipement (« - » : entrée standard).")
        alarms.add_argument("--vendor", choices=sorted(VENDORS), help="Constructeur (défaut : détection).")
        alarms.add_argument("--at", help="Instant du verdict, ISO 8601 (défaut : maintenant).")
        alarms.add_argument("--tz", default="Europe/Paris", help="Fuseau de l'horloge de l'équipement.")
        alarms.add_argument("--window-hours", type=float, default=24.0, help="Fenêtre d'analyse des bagots (h).")
        alarms.add_argument("--min-transitions", type=int, default=3, help="Transitions dans la fenêtre = bagots.")

        ping = sub.add_parser("ping", help="Lit une sortie de ping enregistrée (JSON).")
        ping.add_argument("file")
        trace = sub.add_parser("traceroute", help="Lit une sortie de traceroute enregistrée (JSON).")
        trace.add_argument("file")

        run = sub.add_parser("run", help="Lance « Diagnostiquer » sur un ticket (ping + journal d'alarmes).")
        run.add_argument("reference", help="Référence du ticket.")

        hosts = sub.add_parser("known-hosts", help="Clés d'hôtes SSH de confiance.")
        hosts_sub = hosts.add_subparsers(dest="hosts_action", required=True)
        hosts_sub.add_parser("list")
        add = hosts_sub.add_parser("add", help="Ajoute une clé publique (ligne OpenSSH « type base64 »).")
        add.add_argument("host")
        add.add_argument("--port", type=int, default=22)
        add.add_argument("--key", required=True, help="Clé publique, ex. « ssh-ed25519 AAAA… ».")
        add.add_argument("--comment", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "alarms":
            self._alarms(options)
        elif action == "ping":
            self._json(parse_ping(_read(options["file"])).to_dict())
        elif action == "traceroute":
            self._json(parse_traceroute(_read(options["file"])).to_dict())
        elif action == "run":
            self._run(options["reference"])
        else:
            self._known_hosts(options)

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _alarms(self, options: dict[str, Any]) -> None:
        tz = _zone(options["tz"])
        at = parse_instant(options["at"], tz)
        try:
            thresholds = FlapThresholds(
                window=timedelta(hours=options["window_hours"]), min_transitions=options["min_transitions"]
            )
        except ValueError as exc:
            raise CommandError(f"seuils invalides : {exc}") from exc
        try:
            log = parse_alarm_log(_read(options["file"]), options["vendor"], tz, at)
        except UnknownVendor as exc:
            raise CommandError(str(exc)) from exc
        result = analyse(log, at, thresholds, display_tz=tz)
        if not log.recognised:
            self.stderr.write(f"{options['file']} : {log.message}")
        verdict = result.verdict if result.verdict != "unreachable" else "unknown"
        self._json(
            {
                "alarms": [e.to_dict() for e in log.events],
                "verdict": verdict,
                "last_alarm": result.last_alarm.isoformat() if result.last_alarm else None,
                "transitions": result.transitions,
            }
        )

    def _run(self, reference: str) -> None:
        from softwhere.diagnostics import actions
        from softwhere.jobs.system import system_user
        from softwhere.tickets.models import Ticket

        ticket = Ticket.objects.filter(reference=reference).first()
        if ticket is None:
            raise CommandError(f"ticket introuvable : {reference}")
        report = actions.diagnose_ticket(ticket, actor=system_user(), trigger="cli")
        self._json(report.to_dict())

    def _known_hosts(self, options: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from softwhere.diagnostics import actions
        from softwhere.diagnostics.models import KnownHost

        if options["hosts_action"] == "list":
            for kh in KnownHost.objects.order_by("host", "port"):
                self.stdout.write(f"{kh.host}:{kh.port}\t{kh.key_type}\t{kh.fingerprint}\t{kh.comment}")
            return
        try:
            kh = actions.add_known_host(
                host=options["host"],
                port=options["port"],
                public_key=options["key"],
                comment=options["comment"],
                actor=None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"ajoutée : {kh.host}:{kh.port} {kh.key_type} {kh.fingerprint}")
