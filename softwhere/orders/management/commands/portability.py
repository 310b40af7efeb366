"""``softwhere portability quote --json '{...}'`` and ``softwhere portability operators``.

The quote prints ``{"total_eur": …, "lines": [...]}``; a request the handbook does not allow
(unknown or ambiguous operator, invalid number, partial SDA porting, 09 number the donor
cannot port…) prints a French message on stderr and exits with status 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from softwhere.orders.services import portability
from softwhere.orders.services.money import QuoteError, json_number

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = "Portabilité : devis selon le handbook (section III) et tableau des opérateurs."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        quote = sub.add_parser("quote", help="Devis d'une demande de portabilité (JSON sur la sortie standard).")
        quote.add_argument(
            "--json",
            dest="payload",
            required=True,
            help='{"operator": "SFR", "numbers": ["0472102030"], "analog_lines": [], "postpone": false, '
            '"cancel": false} ; "-" pour lire l\'entrée standard.',
        )
        sub.add_parser("operators", help="Tableau des opérateurs ayant une convention (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "operators":
            rows = [
                {
                    "name": op.name,
                    "geographic_eur": json_number(op.geographic),
                    "special_08_eur": json_number(op.special_08),
                    "special_09_eur": None if op.special_09 is None else json_number(op.special_09),
                }
                for op in portability.operators()
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        raw = sys.stdin.read() if options["payload"] == "-" else options["payload"]
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            self._refuse(f"JSON illisible : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno}).")
        try:
            result = portability.quote_json(data)
        except QuoteError as exc:
            self._refuse(exc.message)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _refuse(self, message: str) -> None:
        self.stderr.write(f"Demande impossible : {message}")
        raise SystemExit(EXIT_REFUSED)
