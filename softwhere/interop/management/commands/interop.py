"""``softwhere interop …``: the carrier gateway from the command line.

softwhere interop v1 check FILE.csv [--peer CODE]     the AR we would send, as JSON (no writes)
softwhere interop v1 ingest FILE.csv --peer CODE      process a v1.0a file received outside the mail
softwhere interop v1 poll [--spool DIR]               ingest the mails waiting in the spool
softwhere interop smtpd [--host H] [--port P]         receive v1.0a mails into the spool (aiosmtpd)
softwhere interop peers                               configured operators (JSON)
softwhere interop oi list [--all]                     signalisations OCs deposited with us (work queue, JSON)
softwhere interop oi take|info|close REF …            OI moves on a signalisation we received
softwhere interop oc info|answer|cancel|relaunch REF  our follow-up on a signalisation we deposited
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from softwhere.jobs.system import system_user


class Command(BaseCommand):
    # Model checks only: an agent's move should not wait for every view (and what they import) to load.
    requires_system_checks = [Tags.models]
    help = "Passerelle interop SAV FTTH (v1.0a, v2.0, TMF621)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        v1 = sub.add_parser("v1", help="Protocole v1.0a (mail + CSV).")
        v1_sub = v1.add_subparsers(dest="action", required=True)
        check = v1_sub.add_parser("check", help="Contrôle un fichier et affiche l'AR qui serait envoyé (JSON).")
        check.add_argument("file")
        check.add_argument("--peer", help="Code de l'OC déposant (contrôle du parc restreint à ses accès).")
        ingest = v1_sub.add_parser("ingest", help="Traite un fichier v1.0a reçu d'un opérateur.")
        ingest.add_argument("file")
        ingest.add_argument("--peer", required=True)
        poll = v1_sub.add_parser("poll", help="Intègre les mails en attente dans le spool.")
        poll.add_argument("--spool", default=None)

        smtpd = sub.add_parser("smtpd", help="Serveur SMTP de réception v1.0a (dépôt dans le spool).")
        smtpd.add_argument("--host", default="127.0.0.1")
        smtpd.add_argument("--port", type=int, default=2525)
        smtpd.add_argument("--spool", default=None)
        smtpd.add_argument("--poll-interval", type=float, default=5.0, help="Intégration du spool toutes les N s.")

        sub.add_parser("peers", help="Opérateurs configurés (JSON).")

        oi = sub.add_parser("oi", help="Actions de l'OI sur une signalisation reçue.")
        oi_sub = oi.add_subparsers(dest="action", required=True)
        listing = oi_sub.add_parser("list", help="File des signalisations reçues (JSON).")
        listing.add_argument("--all", action="store_true", help="Y compris les signalisations terminées.")
        take = oi_sub.add_parser("take", help="Prise en charge.")
        take.add_argument("reference", help="Référence OI de la signalisation.")
        take.add_argument("--resolution-state", default="ACTION_A_DEFINIR")
        info = oi_sub.add_parser("info", help="Message à l'OC : demande d'info, proposition / confirmation de RDV.")
        info.add_argument("reference")
        info.add_argument("--type", default="INFORMATION", help="DEMANDE_INFO, DEMANDE_RDV, PROPOSITION_RDV…")
        info.add_argument("--text", default="")
        info.add_argument("--slot", action="append", default=[], help="Créneau AAAAMMJJHHMM-HHMM (3 au plus).")
        info.add_argument("--appointment", default="", help="RDV retenu AAAAMMJJHHMM-HHMM (confirmation).")
        info.add_argument("--appointment-id", default="")
        info.add_argument("--resolution-state", default="")
        info.add_argument("--status", default="", choices=["", "pending", "held", "in_progress"])
        close = oi_sub.add_parser("close", help="Clôture RET/ABS/STT/ERR.")
        close.add_argument("reference")
        close.add_argument("--code", required=True)
        close.add_argument("--responsibility", required=True)
        close.add_argument("--location", default="")
        close.add_argument("--comment", default="")

        oc = sub.add_parser("oc", help="Suivi d'une signalisation déposée auprès d'un OI.")
        oc_sub = oc.add_subparsers(dest="action", required=True)
        oc_info = oc_sub.add_parser("info", help="Message à l'OI (information, nouvelles dates de RDV).")
        oc_info.add_argument("reference", help="Référence OC de la signalisation.")
        oc_info.add_argument("--type", default="INFORMATION")
        oc_info.add_argument("--text", default="")
        oc_info.add_argument("--slot", action="append", default=[])
        answer = oc_sub.add_parser("answer", help="Réponse au RDV proposé par l'OI.")
        answer.add_argument("reference")
        answer.add_argument("--refuse", action="store_true", help="Refuser (avec --slot : nouveaux créneaux).")
        answer.add_argument("--slot", action="append", default=[])
        answer.add_argument("--text", default="")
        cancel = oc_sub.add_parser("cancel", help="Annulation (ou demande d'annulation).")
        cancel.add_argument("reference")
        cancel.add_argument("--reason", required=True)
        relaunch = oc_sub.add_parser("relaunch", help="Relance de l'OI.")
        relaunch.add_argument("reference")
        relaunch.add_argument("--text", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        area = options["area"]
        if area == "v1":
            getattr(self, f"v1_{options['action']}")(options)
        elif area == "smtpd":
            self.smtpd(options)
        elif area == "peers":
            self.peers()
        elif area == "oi":
            self.oi(options)
        elif area == "oc":
            self.oc(options)

    # --- v1.0a -------------------------------------------------------------------------------------------------

    def v1_check(self, options: dict[str, Any]) -> None:
        from softwhere.interop.inbound import check_v1_file
        from softwhere.interop.models import InteropPeer

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"fichier introuvable : {path}")
        content = path.read_bytes()
        try:
            peer = InteropPeer.objects.filter(code=options["peer"].upper()).first() if options["peer"] else None
            result = check_v1_file(content, path.name, peer)
        except DatabaseError:
            # No database (or not migrated): the syntactic check alone still answers.
            from softwhere.interop.services import v1_csv

            parsed = v1_csv.parse(content, path.name)
            reasons = parsed.all_reasons()
            result = {
                "result": "OK" if parsed.ok else "KO",
                "reasons": reasons,
                "tickets": [
                    {
                        "line": r.line,
                        "ReferenceSigSAVRaccoOC": r.values.get("ReferenceSigSAVRaccoOC", ""),
                        "result": "OK" if r.ok else "KO",
                        "reasons": r.reasons,
                    }
                    for r in parsed.rows
                ],
            }
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def v1_ingest(self, options: dict[str, Any]) -> None:
        from softwhere.interop.inbound import ingest_v1_file
        from softwhere.interop.models import InteropPeer

        peer = InteropPeer.objects.filter(code=options["peer"].upper()).first()
        if peer is None:
            raise CommandError(f"opérateur inconnu : {options['peer']}")
        path = Path(options["file"])
        message = ingest_v1_file(peer, path.read_bytes(), path.name)
        self.stdout.write(
            json.dumps({"message": message.pk, "status": message.status, "reason": message.reason}, ensure_ascii=False)
        )

    def v1_poll(self, options: dict[str, Any]) -> None:
        from softwhere.interop.adapters.mail import Spool
        from softwhere.interop.inbound import poll_spool

        messages = poll_spool(Spool(options["spool"]))
        self.stdout.write(f"{len(messages)} fichier(s) intégré(s).")

    def smtpd(self, options: dict[str, Any]) -> None:
        from aiosmtpd.controller import Controller

        from softwhere.interop.adapters.mail import Spool, SpoolHandler
        from softwhere.interop.inbound import poll_spool

        spool = Spool(options["spool"])
        controller = Controller(SpoolHandler(spool), hostname=options["host"], port=options["port"])
        controller.start()
        self.stderr.write(f"SMTP interop sur {options['host']}:{options['port']}, spool {spool.path}")
        try:
            while True:
                poll_spool(spool)
                time.sleep(options["poll_interval"])
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()

    def peers(self) -> None:
        from softwhere.interop.models import InteropPeer

        rows = [
            {
                "code": p.code,
                "name": p.name,
                "role": p.peer_role,
                "protocol": p.protocol,
                "active": p.is_active,
                "accesses": p.served_accesses.count(),
            }
            for p in InteropPeer.objects.all()
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))

    def oi(self, options: dict[str, Any]) -> None:
        from softwhere.interop import actions
        from softwhere.interop.choices import Role
        from softwhere.interop.models import Signalisation
        from softwhere.interop.services import formats, lifecycle

        if options["action"] == "list":
            qs = Signalisation.objects.filter(role=Role.OI).select_related("peer").order_by("created_at", "id")
            if not options["all"]:
                qs = qs.exclude(status__in=lifecycle.FINAL)
            rows = [
                {
                    "reference": s.oi_reference,
                    "oc_reference": s.oc_reference,
                    "peer": s.peer.code,
                    "protocol": s.protocol,
                    "status": s.status,
                    "nature": s.nature,
                    "preloc": s.preloc,
                    "reference_prise": s.reference_prise,
                    "proposals": s.proposals,
                    "appointment": s.appointment,
                }
                for s in qs
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        sig = Signalisation.objects.filter(role=Role.OI, oi_reference=options["reference"]).first()
        if sig is None:
            raise CommandError(f"signalisation inconnue : {options['reference']}")
        actor = system_user()
        try:
            if options["action"] == "take":
                sig = actions.oi_take_charge(sig, actor=actor, resolution_state=options["resolution_state"])
            elif options["action"] == "info":
                sig = actions.oi_send_information(
                    sig,
                    actor=actor,
                    info_type=options["type"],
                    text=options["text"],
                    proposals=[formats.parse_slot(v) for v in options["slot"]],
                    appointment=formats.parse_slot(options["appointment"]) if options["appointment"] else None,
                    appointment_id=options["appointment_id"],
                    resolution_state=options["resolution_state"],
                    status=options["status"] or None,
                )
            else:
                sig = actions.oi_close(
                    sig,
                    actor=actor,
                    code=options["code"],
                    responsibility=options["responsibility"],
                    location=options["location"],
                    comment=options["comment"],
                )
        except (actions.InteropError, formats.FormatError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"reference": sig.oi_reference, "status": sig.status}, ensure_ascii=False))

    def oc(self, options: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from softwhere.interop import actions
        from softwhere.interop.choices import Role
        from softwhere.interop.models import Signalisation
        from softwhere.interop.services import formats

        sig = Signalisation.objects.filter(role=Role.OC, oc_reference=options["reference"]).first()
        if sig is None:
            raise CommandError(f"signalisation inconnue : {options['reference']}")
        actor = system_user()
        try:
            slots = [formats.parse_slot(v) for v in options.get("slot") or []]
            if options["action"] == "info":
                sig = actions.oc_send_information(
                    sig, actor=actor, info_type=options["type"], text=options["text"], proposals=slots
                )
            elif options["action"] == "answer":
                accept = not options["refuse"]
                sig = actions.oc_answer_appointment(
                    sig,
                    actor=actor,
                    accept=accept,
                    slot=slots[0] if accept and slots else None,
                    proposals=slots,
                    text=options["text"],
                )
            elif options["action"] == "cancel":
                sig = actions.oc_cancel(sig, actor=actor, reason_text=options["reason"])
            else:
                sig = actions.oc_relaunch(sig, actor=actor, text=options["text"])
        except (actions.InteropError, formats.FormatError) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        sig.refresh_from_db()
        self.stdout.write(json.dumps({"reference": sig.oc_reference, "status": sig.status}, ensure_ascii=False))
