"""``softwhere serve``: the production web server (gunicorn), started by the project command.

Workers are processes (the GIL makes threads a poor fit for Django views); the
default is 2 × cores + 1, as gunicorn recommends. Static files are served by
WhiteNoise from ``collectstatic`` output (compressed, cache-busted names), so no
separate web server is needed for them. Database connections are kept per worker
(``SOFTWHERE_DB_CONN_MAX_AGE``, 60 s in production) with health checks.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serveur de production (gunicorn, plusieurs processus ; fichiers statiques par WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("SOFTWHERE_BIND", "0.0.0.0:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SOFTWHERE_WORKERS", 2 * (os.cpu_count() or 1) + 1))
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SOFTWHERE_THREADS", "1")))
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("SOFTWHERE_TIMEOUT", "30")))
        parser.add_argument("--no-collectstatic", action="store_true", help="Ne pas lancer collectstatic.")
        parser.add_argument("--access-log", action="store_true", help="Journal des requêtes sur la sortie standard.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            "gunicorn",
            "softwhere.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "20",
            # Recycle workers now and then so a slow leak never becomes an outage.
            "--max-requests",
            "5000",
            "--max-requests-jitter",
            "500",
        ]
        if options["access_log"]:
            argv += ["--access-logfile", "-"]
        self.stdout.write(f"SoftWhere Desk : gunicorn sur {options['bind']} ({options['workers']} processus).")
        self.stdout.flush()
        os.execvp(argv[0] if os.path.isabs(argv[0]) else _gunicorn(), argv)


def _gunicorn() -> str:
    """The gunicorn of this virtualenv, whatever the PATH."""
    import sys
    from pathlib import Path

    candidate = Path(sys.executable).with_name("gunicorn")
    return str(candidate) if candidate.exists() else "gunicorn"
