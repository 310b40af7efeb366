"""``softwhere interop …``: the carrier gateway from the command line.

    softwhere interop v1 check FILE.csv [--peer CODE]     the AR we would send, as JSON (no writes)
    softwhere interop v1 ingest FILE.csv --peer CODE      process a v1.0a file received outside the mail
    softwhere interop v1 poll [--spool DIR]               ingest the mails waiting in the spool
    softwhere interop smtpd [--host H] [--port P]         receive v1.0a mails into the spool (aiosmtpd)
    softwhere interop peers                               configured operators (JSON)
    softwhere interop oi take|close SIG …                 OI moves on a signalisation we received
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from softwhere.jobs.system import system_user


class Command(BaseCommand):
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
        take = oi_sub.add_parser("take", help="Prise en charge.")
        take.add_argument("reference", help="Référence OI de la signalisation.")
        close = oi_sub.add_parser("close", help="Clôture RET/ABS/STT/ERR.")
        close.add_argument("reference")
        close.add_argument("--code", required=True)
        close.add_argument("--responsibility", required=True)
        close.add_argument("--location", default="")
        close.add_argument("--comment", default="")

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
                    {"line": r.line, "ReferenceSigSAVRaccoOC": r.values.get("ReferenceSigSAVRaccoOC", ""),
                     "result": "OK" if r.ok else "KO", "reasons": r.reasons}
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
        self.stdout.write(json.dumps({"message": message.pk, "status": message.status, "reason": message.reason},
                                     ensure_ascii=False))

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
            {"code": p.code, "name": p.name, "role": p.peer_role, "protocol": p.protocol, "active": p.is_active,
             "accesses": p.served_accesses.count()}
            for p in InteropPeer.objects.all()
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))

    def oi(self, options: dict[str, Any]) -> None:
        from softwhere.interop import actions
        from softwhere.interop.choices import Role
        from softwhere.interop.models import Signalisation

        sig = Signalisation.objects.filter(role=Role.OI, oi_reference=options["reference"]).first()
        if sig is None:
            raise CommandError(f"signalisation inconnue : {options['reference']}")
        try:
            if options["action"] == "take":
                sig = actions.oi_take_charge(sig, actor=system_user())
            else:
                sig = actions.oi_close(
                    sig, actor=system_user(), code=options["code"], responsibility=options["responsibility"],
                    location=options["location"], comment=options["comment"],
                )
        except actions.InteropError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"reference": sig.oi_reference, "status": sig.status}, ensure_ascii=False))
