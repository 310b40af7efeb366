"""``softwhere worker [--once]``: run due scheduled jobs (timers, deadlines, follow-ups)."""

from __future__ import annotations

import importlib
import signal
from datetime import timedelta
from types import FrameType
from typing import Any

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandParser

from softwhere.jobs.registry import registered_kinds
from softwhere.jobs.worker import DEFAULT_LEASE_SECONDS, Worker, default_worker_id


class Command(BaseCommand):
    # Model checks only: a broken URL configuration must not stop the timers.
    requires_system_checks = [Tags.models]
    help = (
        "Exécute les tâches planifiées arrivées à échéance. Plusieurs workers peuvent tourner en parallèle "
        "sur PostgreSQL ; SIGTERM termine la tâche en cours puis arrête le worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Traite les tâches échues puis s'arrête.")
        parser.add_argument("--poll-interval", type=float, default=1.0, help="Secondes entre deux scrutations.")
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            help=f"Durée du bail d'une tâche en secondes (défaut : JOBS_LEASE_SECONDS ou {DEFAULT_LEASE_SECONDS}).",
        )
        parser.add_argument("--worker-id", default=None, help="Identifiant du worker (défaut : hôte:pid:aléa).")
        parser.add_argument(
            "--import",
            dest="imports",
            action="append",
            default=[],
            metavar="MODULE",
            help="Module Python supplémentaire déclarant des @job_handler (répétable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for module in options["imports"]:
            importlib.import_module(module)
        worker = Worker(worker_id=options["worker_id"] or default_worker_id())
        if options["lease"]:
            worker.lease = timedelta(seconds=options["lease"])

        def stop(signum: int, frame: FrameType | None) -> None:
            # First signal: finish the job in hand, then exit. A second one kills at once
            # (the job's transaction rolls back and its lease lets another worker retry it).
            worker.stop_event.set()
            signal.signal(signum, signal.SIG_DFL)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if options["once"]:
            count = worker.run_pending()
            self.stdout.write(f"{count} tâche(s) exécutée(s).")
            return
        self.stderr.write(f"Worker {worker.worker_id} : types {', '.join(registered_kinds()) or 'aucun'}.")
        worker.run_forever(options["poll_interval"])
