"""``softwhere telephony export COMPANY | import FILE.json | simulate FILE.json --to N --at T [--from N] [--state S]``.

COMPANY is a SIRET, an organisation id or its exact name. The import replaces the
company's whole configuration (the company named by ``company.siret`` or
``company.name`` of the document) and lists every problem when it refuses it.
``simulate`` needs no database: it reads the document and prints
``{"steps": [{"kind", "text", "at", …}], "outcome": {"kind", "text", "at", …}}``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from softwhere.core.models import record_audit
from softwhere.customers.models import Organisation
from softwhere.telephony.services.calendar import PARIS
from softwhere.telephony.services.config import config_from_document
from softwhere.telephony.services.document import company_issues, export_document, import_document
from softwhere.telephony.services.rules import schema_issues
from softwhere.telephony.services.simulator import simulate, state_from_dict


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"Fichier introuvable : {path}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} n'est pas un JSON valide : {exc}") from exc


def find_company(key: str) -> Organisation:
    query = Q(siret=key.replace(" ", "")) | Q(name__iexact=key)
    if key.isdigit() and len(key) < 14:
        query |= Q(pk=int(key))
    matches = list(Organisation.objects.filter(query)[:2])
    if len(matches) != 1:
        raise CommandError(
            f"Entreprise « {key} » introuvable (SIRET, identifiant ou raison sociale exacte)."
            if not matches
            else f"Plusieurs entreprises correspondent à « {key} » : utilisez le SIRET."
        )
    return matches[0]


def parse_at(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {value} » : attendu AAAA-MM-JJTHH:MM (heure de Paris).") from exc
    return at if at.tzinfo else at.replace(tzinfo=PARIS)


class Command(BaseCommand):
    help = "Téléphonie hébergée : export / import du document JSON de configuration, simulation d'un appel."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Imprime la configuration de l'entreprise (document JSON).")
        export.add_argument("company", help="SIRET, identifiant ou raison sociale.")
        export.add_argument("--with-audio", action="store_true", help="Inclut les fichiers audio (base64).")
        imp = sub.add_parser("import", help="Remplace la configuration de l'entreprise du document (tout ou rien).")
        imp.add_argument("file")
        imp.add_argument("--check", action="store_true", help="Vérifie seulement, sans rien enregistrer.")
        sim = sub.add_parser("simulate", help="Où va cet appel ? Trace JSON et issue de l'appel.")
        sim.add_argument("file")
        sim.add_argument("--to", required=True, help="Numéro appelé.")
        sim.add_argument("--at", required=True, help="Date et heure de Paris, ex. 2026-11-23T09:00.")
        sim.add_argument("--from", dest="caller", default=None, help="Numéro appelant (absent : numéro masqué).")
        sim.add_argument("--state", default=None, help="STATE.json : état des lignes et des groupements.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_export(self, *, company: str, with_audio: bool, **_: Any) -> None:
        doc = export_document(find_company(company), with_audio=with_audio)
        self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2))

    def do_import(self, *, file: str, check: bool, **_: Any) -> None:
        doc = _read_json(file)
        problems = schema_issues(doc)
        if problems:
            raise CommandError(self._listing(problems))
        company = doc["company"]
        org = find_company(company.get("siret") or company["name"])
        issues = company_issues(org, doc) if check else import_document(org, doc)
        if issues:
            raise CommandError(self._listing(issues))
        if not check:
            record_audit(None, "telephony.import", org, {"file": Path(file).name, "lines": len(doc.get("lines") or ())})
        verb = "vérifiée" if check else "importée"
        self.stdout.write(
            f"Configuration de {org.name} {verb} : {len(doc.get('lines') or ())} lignes, "
            f"{len(doc.get('call_groups') or ())} groupements, {len(doc.get('ivrs') or ())} AVI."
        )

    def do_simulate(self, *, file: str, to: str, at: str, caller: str | None, state: str | None, **_: Any) -> None:
        doc = _read_json(file)
        problems = schema_issues(doc)
        state_doc = _read_json(state) if state else None
        if state_doc is not None:
            problems += schema_issues(state_doc, "state")
        if problems:
            raise CommandError(self._listing(problems))
        sim = simulate(config_from_document(doc), to, parse_at(at), caller, state_from_dict(state_doc))
        self.stdout.write(json.dumps(sim.as_dict(), ensure_ascii=False, indent=2))

    @staticmethod
    def _listing(issues: list[Any]) -> str:
        return f"{len(issues)} erreur(s) :\n" + "\n".join(f"- {i}" for i in issues)
