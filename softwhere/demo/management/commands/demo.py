"""``softwhere demo load [--force | --if-empty]``, ``softwhere demo logins`` and ``softwhere demo generate``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softwhere.demo import dataset
from softwhere.demo.actions import DemoRefused, demo_loaded, demo_logins, foreign_data, load_demo


class Command(BaseCommand):
    help = "Jeu de démonstration : chargement (idempotent) et identifiants de connexion."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Charge le jeu de démonstration (sans effet s'il l'est déjà).")
        mode = load.add_mutually_exclusive_group()
        mode.add_argument(
            "--force", action="store_true", help="Charger même si la base contient déjà d'autres données."
        )
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire (sans erreur) si la base contient d'autres données.",
        )
        sub.add_parser("logins", help="Affiche les identifiants de démonstration.")
        gen = sub.add_parser("generate", help="Génère un gros jeu de données réaliste (tests de charge).")
        gen.add_argument("--tickets", type=int, required=True, help="Nombre de tickets à générer.")
        gen.add_argument(
            "--companies", type=int, default=None, help="Nombre d'entreprises clientes (défaut : tickets / 100)."
        )
        gen.add_argument("--seed", type=int, default=1, help="Graine : même graine, mêmes données.")
        gen.add_argument("--batch", type=int, default=10_000, help="Tickets écrits par transaction.")
        gen.add_argument("--json", action="store_true", help="Affiche le rapport en JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "logins":
            self.print_logins()
            return
        if options["action"] == "generate":
            self.generate(options)
            return
        if options["if_empty"] and not demo_loaded() and foreign_data():
            self.stdout.write("Base déjà utilisée : jeu de démonstration non chargé.")
            return
        try:
            result = load_demo(force=options["force"])
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            summary = ", ".join(f"{n} {k}" for k, n in result.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Jeu de démonstration {dataset.VERSION} chargé : {summary}."))
        else:
            self.stdout.write("Jeu de démonstration déjà chargé : rien à faire.")
        self.print_logins()

    def print_logins(self) -> None:
        logins = demo_logins()
        if not demo_loaded() or not logins:
            self.stdout.write("Aucun jeu de démonstration dans cette base.")
            return
        self.stdout.write(f"Identifiants de démonstration (mot de passe commun : {dataset.PASSWORD}) :")
        width = max(len(u) for u, _, _ in logins)
        for username, role, who in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role:<32} {who}")

    def generate(self, options: dict[str, Any]) -> None:
        from softwhere.demo.generate import GenerationRefused, generate

        tickets = options["tickets"]
        companies = options["companies"] or max(10, tickets // 100)
        if tickets < 1 or companies < 1:
            raise CommandError("--tickets et --companies doivent être positifs.")
        verbose = options["verbosity"] > 0 and not options["json"]
        try:
            report = generate(
                tickets=tickets,
                companies=companies,
                seed=options["seed"],
                batch=options["batch"],
                progress=(lambda msg: self.stderr.write(f"  {msg}")) if verbose else None,
            )
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        summary = ", ".join(f"{n} {k}" for k, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Données générées (graine {report.seed}) : {summary}."))
        timings = ", ".join(f"{k} {v} s" for k, v in report.seconds.items())
        self.stdout.write(f"Durées : {timings} ; {report.tickets_per_second:.0f} tickets/s.")
