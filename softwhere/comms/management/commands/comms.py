"""``softwhere comms <action>``: the inbound mail receiver and delivery maintenance.

softwhere comms inbound [--host H] [--port P] [--lmtp] [--spool DIR]   receive mail (SMTP/LMTP)
softwhere comms ingest FILE.eml                                          process one raw mail
softwhere comms retry                                                    re-send stale pending messages
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger("softwhere.comms")


class Command(BaseCommand):
    help = "Communications : réception des mails, relance des envois."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        inbound = sub.add_parser("inbound", help="Serveur SMTP/LMTP de réception des réponses clients.")
        inbound.add_argument("--host", default="127.0.0.1")
        inbound.add_argument("--port", type=int, default=2525)
        inbound.add_argument("--lmtp", action="store_true", help="Parler LMTP (derrière un MTA local).")
        inbound.add_argument("--spool", default=None)
        inbound.add_argument("--poll-interval", type=float, default=2.0)
        ingest = sub.add_parser("ingest", help="Traiter un mail brut (fichier .eml, ou - pour l'entrée standard).")
        ingest.add_argument("file")
        sub.add_parser("retry", help="Renvoyer les messages restés en attente d'envoi.")

    def handle(self, *args: Any, **options: Any) -> None:
        from softwhere.comms import actions

        if options["area"] == "ingest":
            raw = sys.stdin.buffer.read() if options["file"] == "-" else Path(options["file"]).read_bytes()
            inbound = actions.receive_message(raw)
            self.stdout.write(
                json.dumps(
                    {
                        "id": inbound.pk,
                        "outcome": inbound.outcome,
                        "reason": inbound.reason,
                        "ticket": inbound.ticket.reference if inbound.ticket else None,
                    },
                    ensure_ascii=False,
                )
            )
        elif options["area"] == "retry":
            self.stdout.write(f"{actions.retry_stale_messages()} message(s) retenté(s).")
        else:
            self.inbound(options)

    def inbound(self, options: dict[str, Any]) -> None:
        from softwhere.comms.inbound_server import Spool, make_controller

        spool = Spool(options["spool"])
        controller = make_controller(spool, host=options["host"], port=options["port"], lmtp=options["lmtp"])
        controller.start()
        proto = "LMTP" if options["lmtp"] else "SMTP"
        self.stderr.write(f"Réception {proto} sur {options['host']}:{options['port']}, spool {spool.path}")
        try:
            while True:
                try:
                    spool.process()
                except Exception:  # database down…: the mail stays in the spool, try again next round
                    logger.exception("inbound spool processing failed; retrying")
                    close_old_connections()
                time.sleep(options["poll_interval"])
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
