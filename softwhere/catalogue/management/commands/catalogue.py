"""``softwhere catalogue export|load``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from softwhere.catalogue.actions import load_catalogue
from softwhere.catalogue.leds import export_memos
from softwhere.catalogue.models import ResolutionCase


class Command(BaseCommand):
    help = "Catalogue de résolution : export JSON ou rechargement depuis le fichier de données."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Imprime les 69 cas en JSON (liste d'objets).")
        export.add_argument("--with-leds", action="store_true", help="Objet {cases, leds} avec les mémos voyants.")
        sub.add_parser("load", help="Recharge data/cases.yaml (les modifications superviseur sont conservées).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            load = load_catalogue()
            self.stdout.write(f"Catalogue {load.version} : {load.created} créés, {load.updated} mis à jour.")
            return
        cases = [c.as_export() for c in ResolutionCase.objects.order_by("number")]
        payload: Any = {"cases": cases, "leds": export_memos()} if options["with_leds"] else cases
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
