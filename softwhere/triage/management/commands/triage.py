"""``softwhere triage classify "texte" | eval FILE.jsonl | train``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from softwhere.triage import actions, engine
from softwhere.triage.services.dataset import DatasetError, evaluation_samples
from softwhere.triage.services.evaluation import evaluate


class Command(BaseCommand):
    help = "Triage des demandes : classer un texte, évaluer sur un fichier JSONL, entraîner une nouvelle version."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        classify = sub.add_parser("classify", help="Imprime en JSON le cas proposé, le top 3, l'état et les faits.")
        classify.add_argument("text", help="Texte de la demande (entre guillemets).")
        classify.add_argument("--threshold", type=float, default=None, help="Seuil de confiance (défaut : réglage).")
        ev = sub.add_parser("eval", help="Évalue le modèle actif sur un fichier JSONL {text, case}.")
        ev.add_argument("file", type=Path)
        ev.add_argument("--confusions", action="store_true", help="Ajoute les confusions les plus fréquentes.")
        sub.add_parser("train", help="Entraîne une nouvelle version (fichiers + catalogue + corrections des agents).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "classify":
            result = engine.classify(options["text"], threshold=options["threshold"])
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif action == "eval":
            path: Path = options["file"]
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {path}")
            try:
                samples = evaluation_samples(path)
            except DatasetError as exc:
                raise CommandError(str(exc)) from exc
            report = evaluate(engine.active_classifier(), samples)
            if not options["confusions"]:
                report.pop("confusions")
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            row = actions.train_model()
            self.stdout.write(
                json.dumps(
                    {
                        "version": row.version,
                        "path": row.path,
                        "samples": row.n_samples,
                        "corrections": row.n_corrections,
                        "metrics": row.metrics,
                    },
                    ensure_ascii=False,
                )
            )
