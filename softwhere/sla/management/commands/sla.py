"""``softwhere sla deadline|penalty|penalty-report|refresh|calendars``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from softwhere.customers.models import Organisation
from softwhere.sla.actions import sync_ticket
from softwhere.sla.calendars import UnknownCalendar, calendar_choices, get_calendar
from softwhere.sla.models import SlaClock
from softwhere.sla.pdf import penalty_report_pdf
from softwhere.sla.reports import BOM, parse_month, penalty_clocks, penalty_report_csv
from softwhere.sla.services.calendar import BUILTIN_CALENDARS, PARIS, add_business_minutes, business_minutes_between
from softwhere.sla.services.penalties import penalty_amount, penalty_percent
from softwhere.tickets.choices import FINISHED_STATUSES
from softwhere.tickets.models import Ticket


def parse_instant(text: str) -> datetime:
    """ISO 8601; without an offset the time is Paris wall-clock time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"date invalide : {text!r} (ISO 8601 attendu, ex. 2026-11-27T17:00)") from exc
    return value.replace(tzinfo=PARIS) if value.tzinfo is None else value


def minutes_json(minutes: float) -> int | float:
    return int(minutes) if minutes == int(minutes) else round(minutes, 2)


class Command(BaseCommand):
    # Pure computations must not depend on the URL configuration being importable.
    requires_system_checks: list[str] = []
    help = "SLA : échéances en temps ouvré, pénalités GTR, rapport mensuel, recalcul des compteurs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deadline = sub.add_parser("deadline", help="Échéance : début + N minutes ouvrées (heure de Paris).")
        deadline.add_argument("--start", required=True, help="Début (ISO, heure de Paris sans décalage).")
        deadline.add_argument("--calendar", default="business-hours", help="Identifiant du calendrier.")
        deadline.add_argument("--minutes", required=True, type=float, help="Minutes ouvrées à ajouter.")

        penalty = sub.add_parser("penalty", help="Pénalité GTR pour une coupure (JSON).")
        penalty.add_argument("--start", required=True, help="Détection de la coupure (ISO).")
        penalty.add_argument("--restored", required=True, help="Rétablissement (ISO).")
        penalty.add_argument("--calendar", default="business-hours", help="Calendrier de la GTR.")
        penalty.add_argument("--monthly-fee", required=True, help="Redevance mensuelle de l'accès (€ HT).")

        report = sub.add_parser("penalty-report", help="Rapport mensuel des pénalités GTR (CSV ou PDF).")
        report.add_argument("--month", required=True, help="Mois AAAA-MM.")
        report.add_argument("--organisation", help="Identifiant ou nom exact du client.")
        report.add_argument("--output", help="Fichier de sortie (défaut : sortie standard ; obligatoire en PDF).")
        report.add_argument("--format", choices=["csv", "pdf"], default="csv", help="Format du rapport (défaut : csv).")

        refresh = sub.add_parser("refresh", help="Recalcule les compteurs depuis l'historique des tickets.")
        refresh.add_argument("--ticket", help="Référence d'un ticket (défaut : tous les tickets non terminés).")

        sub.add_parser("calendars", help="Liste les calendriers disponibles.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "deadline":
            due = add_business_minutes(parse_instant(options["start"]), options["minutes"], self._calendar(options))
            self.stdout.write(due.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"))
        elif action == "penalty":
            self._penalty(options)
        elif action == "penalty-report":
            self._report(options)
        elif action == "refresh":
            self._refresh(options)
        else:
            for cid, name in calendar_choices():
                self.stdout.write(f"{cid}\t{name}")

    def _calendar(self, options: dict[str, Any]) -> Any:
        calendar_id = options["calendar"]
        try:
            return get_calendar(calendar_id)
        except UnknownCalendar as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError:  # database not migrated yet: the built-in calendars still answer
            if calendar_id in BUILTIN_CALENDARS:
                return BUILTIN_CALENDARS[calendar_id]
            raise

    def _penalty(self, options: dict[str, Any]) -> None:
        start, restored = parse_instant(options["start"]), parse_instant(options["restored"])
        if restored < start:
            raise CommandError("--restored est antérieur à --start.")
        try:
            fee = Decimal(options["monthly_fee"])
        except InvalidOperation as exc:
            raise CommandError(f"redevance invalide : {options['monthly_fee']!r}") from exc
        elapsed = business_minutes_between(start, restored, self._calendar(options))
        percent = penalty_percent(elapsed)
        amount = penalty_amount(fee, percent)
        result = {"elapsed_minutes": minutes_json(elapsed), "percent": percent, "amount_eur": float(amount)}
        self.stdout.write(json.dumps(result))

    def _report(self, options: dict[str, Any]) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "pdf" and not options["output"]:
            raise CommandError("--output est obligatoire pour un rapport PDF.")
        clocks = SlaClock.objects.all()
        scope = "tous les clients"
        if options["organisation"]:
            key = options["organisation"]
            org = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
            org = org or Organisation.objects.filter(name=key).first()
            if org is None:
                raise CommandError(f"client introuvable : {key}")
            clocks = clocks.filter(ticket__organisation=org)
            scope = org.name
        if options["format"] == "pdf":
            body = penalty_report_pdf(penalty_clocks(month, clocks), month=month, scope=scope)
            Path(options["output"]).write_bytes(body)
            return
        text = penalty_report_csv(penalty_clocks(month, clocks))
        if options["output"]:
            Path(options["output"]).write_text(BOM + text, encoding="utf-8", newline="")
        else:
            self.stdout.write(text, ending="")

    def _refresh(self, options: dict[str, Any]) -> None:
        tickets = Ticket.objects.all()
        if options["ticket"]:
            tickets = tickets.filter(reference=options["ticket"])
            if not tickets.exists():
                raise CommandError(f"ticket introuvable : {options['ticket']}")
        else:
            tickets = tickets.exclude(status__in=FINISHED_STATUSES)
        count = 0
        for ticket_id in tickets.values_list("pk", flat=True).iterator():
            sync_ticket(ticket_id)
            count += 1
        self.stdout.write(f"{count} ticket(s) recalculé(s).")
