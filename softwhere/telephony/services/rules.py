"""Validation of a company's telephony document: the JSON schema first, then every rule of seed 003.

``check_document(doc)`` returns every problem found (never stops at the first) as
``Issue(path, message)`` with a French message, so the import can list them all and
the actions can attach them to a form field. Rules that need other companies' data
(unique e-mails and numbers across the platform) take them as arguments: this module
stays pure.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from softwhere.core.validators import normalize_iccid, normalize_mac

from ..choices import (
    DEFAULT_ANNOUNCEMENTS,
    IVR_KEYS,
    MAX_ANNOUNCEMENT_SECONDS,
    MAX_BLOCKED_NUMBERS,
    MAX_DIRECTORY_CONTACTS,
    MAX_GROUP_RINGS,
    MAX_INTER_CALL_DELAY,
    MAX_MULTI_RING_NUMBERS,
    MAX_NO_ANSWER_RINGS,
    MAX_SUPERVISION_KEYS,
    MAX_WAIT_SECONDS,
    MAX_WAITING_CALLS,
    MOBILE_PSEUDO_SITE,
    PHONE_MODELS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    Collaboration,
    HardwareKind,
    LineKind,
    Option,
    OverflowMode,
    Plan,
)
from .calendar import parse_hhmm
from .config import FORWARD_KINDS, default_services, merge_defaults
from .numbers import (
    NumberClass,
    classify,
    forward_destination_error,
    normalize_number,
    zone_of_number,
    zone_of_postal_code,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "telephony.schema.json"


@dataclass(frozen=True)
class Issue:
    path: str
    message: str

    @property
    def field(self) -> str:
        """The last named segment of the path (``lines[+33…].services.blocked_numbers`` → ``blocked_numbers``)."""
        last = re.sub(r"\[[^\]]*\]", "", self.path.rsplit(".", 1)[-1])
        return last or "__all__"

    def __str__(self) -> str:
        return f"{self.path} : {self.message}" if self.path else self.message


def issues_to_validation_error(issues: Iterable[Issue]) -> ValidationError:
    grouped: dict[str, list[str]] = {}
    for issue in issues:
        grouped.setdefault(issue.field, []).append(issue.message)
    return ValidationError(grouped)


# --- Schema -----------------------------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _json_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_SCHEMA_MESSAGES = {
    "required": "champ obligatoire manquant",
    "additionalProperties": "champ inconnu",
    "type": "type de valeur invalide",
    "enum": "valeur inconnue",
    "const": "valeur inattendue",
    "pattern": "format invalide",
    "minimum": "valeur trop petite",
    "oneOf": "valeur invalide",
}


def schema_issues(doc: Any, definition: str | None = None) -> list[Issue]:
    """Structural errors, in French (the schema's own English messages are not shown to users)."""
    from jsonschema import Draft202012Validator

    sch = schema()
    if definition:
        sch = {**sch["$defs"][definition], "$defs": sch["$defs"]}
    issues = []
    for error in sorted(Draft202012Validator(sch).iter_errors(doc), key=lambda e: list(e.absolute_path)):
        what = _SCHEMA_MESSAGES.get(str(error.validator), "valeur invalide")
        detail = ""
        if error.validator == "required":
            detail = f" : {error.message.split(chr(39))[1]}" if "'" in error.message else ""
        elif error.validator == "additionalProperties":
            detail = f" : {', '.join(sorted(set(error.instance) - set(error.schema.get('properties', {}))))}"
        elif error.validator == "enum":
            detail = f" « {error.instance} » (attendu : {', '.join(map(str, error.validator_value))})"
        elif error.validator == "type":
            detail = f" (attendu : {error.validator_value})"
        issues.append(Issue(_json_path(error.absolute_path), f"{what}{detail}."))
    return issues


# --- Rules ------------------------------------------------------------------------------------------------

_PICKUP_NAME = re.compile(r"^[\w \-']+$")
_SHORT_NUMBER = re.compile(r"^[1-9]\d{3,8}$")

#: Which line kinds offer each service (§5.2.1 tables); any other value than the default is refused elsewhere.
SERVICE_KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "caller_id": ("Affichage du numéro", frozenset({LineKind.FIXE, LineKind.MOBILE, LineKind.ANALOGIQUE})),
    "callback_on_busy": (
        "Rappel automatique sur occupation",
        frozenset({LineKind.FIXE, LineKind.MOBILE, LineKind.ANALOGIQUE}),
    ),
    "restriction_profile": (
        "Restriction d'appels sortants",
        frozenset({LineKind.FIXE, LineKind.MOBILE, LineKind.ANALOGIQUE}),
    ),
    "do_not_disturb": ("Ne pas déranger", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "call_waiting": ("Signal d'appel", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "distinctive_ring": ("Sonnerie différenciée", frozenset({LineKind.FIXE})),
    "multi_ring": ("Sonnerie sur plusieurs lignes", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "welcome_announcement": ("Annonce d'accueil", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "hold_announcement": ("Annonce de mise en attente", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "call_waiting_announcement": ("Annonce de double appel", frozenset({LineKind.FIXE, LineKind.MOBILE})),
    "voicemail_notification": (
        "Notification de messages vocaux",
        frozenset({LineKind.FIXE, LineKind.MOBILE, LineKind.NUMERO_FIXE_MOBILE}),
    ),
}
FORWARD_KINDS_BY_LINE = {
    LineKind.FIXE: set(FORWARD_KINDS),
    LineKind.MOBILE: set(FORWARD_KINDS),
    LineKind.NUMERO_FIXE_MOBILE: {"immediate", "scheduled"},
    LineKind.ANALOGIQUE: {"immediate"},
}
FORWARD_LABELS = {
    "immediate": "Renvoi immédiat",
    "busy": "Renvoi sur occupation",
    "no_answer": "Renvoi sur non-réponse",
    "unreachable": "Renvoi sur non joignabilité",
    "scheduled": "Renvoi programmé",
}
HARDWARE_BY_LINE = {
    LineKind.FIXE: {
        HardwareKind.AUCUN,
        HardwareKind.POSTE_IP,
        HardwareKind.DECT,
        HardwareKind.PIEUVRE,
        HardwareKind.SIM,
    },
    LineKind.ANALOGIQUE: {HardwareKind.ATA},
    LineKind.NUMERO_FIXE_MOBILE: {HardwareKind.AUCUN},
    LineKind.MOBILE: {HardwareKind.AUCUN},
}
DEFAULT_NAMES = {name for name, _ in DEFAULT_ANNOUNCEMENTS.values()}


class _Checker:
    def __init__(self, doc: dict[str, Any], foreign_numbers: set[str], foreign_emails: set[str]) -> None:
        self.doc = doc
        self.issues: list[Issue] = []
        self.foreign_numbers = foreign_numbers
        self.foreign_emails = {e.lower() for e in foreign_emails}
        self.sites = {s["name"]: s for s in doc.get("sites") or ()}
        self.calendars = {c["name"] for c in doc.get("calendars") or ()}
        self.lines = {normalize_number(x["number"]): x for x in doc.get("lines") or ()}
        self.library: dict[str, set[str]] = {}
        self.line_announcements: dict[str, set[str]] = {}
        for a in doc.get("announcements") or ():
            if a.get("site"):
                self.library.setdefault(a["site"], set()).add(a["name"])
            if a.get("line"):
                self.line_announcements.setdefault(normalize_number(a["line"]), set()).add(a["name"])

    def add(self, path: str, message: str) -> None:
        self.issues.append(Issue(path, message))

    def run(self) -> list[Issue]:
        self.check_sites()
        self.check_calendars()
        self.check_announcements()
        self.check_numbers()
        for i, line in enumerate(self.doc.get("lines") or ()):
            self.check_line(f"lines[{i}]", line)
        self.check_emails()
        self.check_offer()
        for i, group in enumerate(self.doc.get("pickup_groups") or ()):
            self.check_pickup_group(f"pickup_groups[{i}]", group)
        self.check_pickup_membership()
        for i, group in enumerate(self.doc.get("call_groups") or ()):
            self.check_call_group(f"call_groups[{i}]", group)
        for i, ivr in enumerate(self.doc.get("ivrs") or ()):
            self.check_ivr(f"ivrs[{i}]", ivr)
        self.check_directory()
        return self.issues

    # -- sites, calendars, announcements --------------------------------------------------------------------

    def check_sites(self) -> None:
        names = [s["name"] for s in self.doc.get("sites") or ()]
        for i, name in enumerate(names):
            if not name.strip():
                self.add(f"sites[{i}].name", "Le nom du site est obligatoire.")
            elif name == MOBILE_PSEUDO_SITE:
                self.add(f"sites[{i}].name", f"« {MOBILE_PSEUDO_SITE} » n'est pas un site physique : nom réservé.")
            elif names.count(name) > 1:
                self.add(f"sites[{i}].name", f"Deux sites portent le nom « {name} ».")

    def check_calendars(self) -> None:
        names = [c["name"] for c in self.doc.get("calendars") or ()]
        for i, cal in enumerate(self.doc.get("calendars") or ()):
            p = f"calendars[{i}]"
            if not cal["name"].strip():
                self.add(f"{p}.name", "Le nom du calendrier est obligatoire.")
            elif names.count(cal["name"]) > 1:
                self.add(f"{p}.name", f"Deux calendriers portent le nom « {cal['name']} ».")
            self.calendar_hours(p, cal)

    def calendar_hours(self, p: str, cal: dict[str, Any]) -> None:
        pre = f"{p}." if p else ""
        if not cal.get("schedules"):
            self.add(f"{pre}schedules", "Les horaires d'ouverture sont obligatoires (au moins un type d'horaire).")
        seen: dict[str, int] = {}
        for j, s in enumerate(cal.get("schedules") or ()):
            sp = f"{pre}schedules[{j}]"
            if not s["days"]:
                self.add(f"{sp}.days", "Choisissez au moins un jour où s'applique l'horaire type.")
            for day in s["days"]:
                if day in seen:
                    self.add(
                        f"{sp}.days",
                        f"Le {WEEKDAY_NAMES[WEEKDAYS.index(day)]} a déjà un horaire (type n° {seen[day] + 1}).",
                    )
                seen[day] = j
            start, end = parse_hhmm(s["start"]), parse_hhmm(s["end"])
            if start >= end:
                self.add(f"{sp}.end", "L'heure de fin doit suivre l'heure de début.")
            lunch = s.get("lunch_break")
            if lunch:
                ls, le = parse_hhmm(lunch["start"]), parse_hhmm(lunch["end"])
                if ls >= le:
                    self.add(f"{sp}.lunch_break", "La pause déjeuner doit finir après son début.")
                elif ls <= start or le >= end:
                    self.add(f"{sp}.lunch_break", "La pause déjeuner doit être comprise dans les horaires d'ouverture.")
        for j, period in enumerate(cal.get("closure_periods") or ()):
            if period["first_day"] > period["last_day"]:
                self.add(f"{pre}closure_periods[{j}]", "Le premier jour de la période doit précéder le dernier.")

    def check_calendar_ref(self, path: str, name: str | None, *, required: bool = False) -> None:
        if not name:
            if required:
                self.add(path, "Choisissez un calendrier.")
        elif name not in self.calendars:
            self.add(path, f"Calendrier « {name} » inconnu.")

    def check_announcements(self) -> None:
        seen: Counter[tuple[str, str]] = Counter()
        for i, a in enumerate(self.doc.get("announcements") or ()):
            p = f"announcements[{i}]"
            owner = a.get("site") or a.get("line")
            if not a["name"].strip():
                self.add(f"{p}.name", "Le nom de l'annonce est obligatoire.")
            elif a["name"] in DEFAULT_NAMES:
                self.add(f"{p}.name", f"« {a['name']} » est le nom d'une annonce par défaut.")
            if bool(a.get("site")) == bool(a.get("line")):
                self.add(p, "Une annonce appartient soit à la bibliothèque d'un site, soit à une ligne.")
            elif a.get("site") and a["site"] not in self.sites:
                self.add(f"{p}.site", f"Site « {a['site']} » inconnu.")
            elif a.get("line") and normalize_number(a["line"]) not in self.lines:
                self.add(f"{p}.line", f"Ligne {a['line']} inconnue.")
            seen[(str(owner), a["name"])] += 1
            if seen[(str(owner), a["name"])] == 2:
                self.add(f"{p}.name", f"Deux annonces portent le nom « {a['name']} ».")
            if a["duration_seconds"] > MAX_ANNOUNCEMENT_SECONDS:
                self.add(f"{p}.duration_seconds", duration_error(a["duration_seconds"]))

    def check_library_use(self, path: str, use: dict[str, Any] | None, site: str, what: str) -> None:
        name = (use or {}).get("announcement")
        if name and name not in DEFAULT_NAMES and name not in self.library.get(site, set()):
            self.add(path, f"{what} : l'annonce « {name} » n'est pas dans la bibliothèque du site « {site} ».")

    # -- numbers ---------------------------------------------------------------------------------------------

    def check_numbers(self) -> None:
        owners: dict[str, str] = {}
        entries = [("lines", x) for x in self.doc.get("lines") or ()]
        entries += [("call_groups", x) for x in self.doc.get("call_groups") or ()]
        entries += [("ivrs", x) for x in self.doc.get("ivrs") or ()]
        counters: Counter[str] = Counter()
        for section, x in entries:
            i = counters[section]
            counters[section] += 1
            p = f"{section}[{i}].number"
            number = normalize_number(x["number"])
            cls = classify(number)
            if section == "lines" and x["kind"] == LineKind.MOBILE:
                if cls != NumberClass.MOBILE:
                    self.add(p, f"{x['number']} n'est pas un numéro mobile (06 ou 07).")
            elif cls != NumberClass.GEOGRAPHIC:
                self.add(p, f"{x['number']} n'est pas un numéro fixe géographique (01 à 05).")
            else:
                site = self.sites.get(x.get("site", ""))
                zone = zone_of_postal_code((site or {}).get("postal_code") or "")
                if zone and zone_of_number(number) != zone:
                    self.add(
                        p,
                        f"Le numéro {x['number']} n'est pas de la zone géographique du site « {x['site']} » "
                        f"(numéros en 0{zone}).",
                    )
            if number in owners:
                self.add(p, f"Le numéro {number} est déjà utilisé ({owners[number]}).")
            elif number in self.foreign_numbers:
                self.add(p, f"Le numéro {number} est déjà attribué à une autre entreprise.")
            owners[number] = f"{section}[{i}]"

    def check_forward_number(
        self, path: str, number: str | None, *, own: str | None = None, plus: bool = False
    ) -> None:
        error = forward_destination_error(number or "", international_format=plus)
        if error:
            self.add(path, error)
        elif own and normalize_number(number or "") == own:
            self.add(path, "Une ligne ne peut pas être renvoyée vers elle-même.")

    # -- lines -----------------------------------------------------------------------------------------------

    def check_line(self, p: str, line: dict[str, Any]) -> None:
        kind = line["kind"]
        number = normalize_number(line["number"])
        label = LineKind(kind).label
        site = line.get("site")
        if kind == LineKind.MOBILE:
            if site != MOBILE_PSEUDO_SITE:
                self.add(f"{p}.site", f"Une ligne mobile est rattachée au pseudo-site « {MOBILE_PSEUDO_SITE} ».")
        elif site not in self.sites:
            self.add(f"{p}.site", f"Site « {site} » inconnu : une ligne fixe est nécessairement rattachée à un site.")
        if kind in (LineKind.FIXE, LineKind.NUMERO_FIXE_MOBILE):
            for field, what in (("last_name", "Le nom"), ("first_name", "Le prénom"), ("email", "L'adresse e-mail")):
                if not (line.get(field) or "").strip():
                    self.add(f"{p}.{field}", f"{what} de l'utilisateur est obligatoire.")
        if kind == LineKind.ANALOGIQUE and not (line.get("name") or "").strip():
            self.add(f"{p}.name", "Le nom de la ligne est obligatoire.")
        if line.get("email"):
            try:
                validate_email(line["email"])
            except ValidationError:
                self.add(f"{p}.email", "Adresse e-mail invalide.")
        short = line.get("short_number")
        if short and not _SHORT_NUMBER.match(short):
            self.add(f"{p}.short_number", "Numéro court invalide : 4 à 9 chiffres, sans 0 initial.")
        self.check_association(p, line, number)
        collab = line.get("collaboration") or Collaboration.AUCUNE
        if collab != Collaboration.AUCUNE and kind != LineKind.FIXE:
            self.add(f"{p}.collaboration", "Les options de collaboration sont réservées au forfait fixe.")
        self.check_hardware(p, line, kind, collab)
        services = merge_defaults(default_services(kind, line.get("associated_mobile")), line.get("services"))
        defaults = default_services(kind, line.get("associated_mobile"))
        for key, (name, kinds) in SERVICE_KINDS.items():
            if kind not in kinds and services[key] != defaults[key]:
                self.add(f"{p}.services.{key}", f"« {name} » n'est pas disponible pour une ligne « {label} ».")
        self.check_services(p, line, services, number)

    def check_association(self, p: str, line: dict[str, Any], number: str) -> None:
        mobile = line.get("associated_mobile")
        if not mobile:
            return
        if line["kind"] not in (LineKind.FIXE, LineKind.NUMERO_FIXE_MOBILE):
            self.add(f"{p}.associated_mobile", "Seule une ligne fixe ou numéro fixe s'associe à une ligne mobile.")
            return
        target = self.lines.get(normalize_number(mobile))
        if target is None or target["kind"] != LineKind.MOBILE:
            self.add(f"{p}.associated_mobile", f"{mobile} n'est pas une ligne mobile de l'entreprise.")
        others = [
            n
            for n, x in self.lines.items()
            if n != number
            and x.get("associated_mobile")
            and normalize_number(x["associated_mobile"]) == normalize_number(mobile)
        ]
        if others:
            self.add(f"{p}.associated_mobile", f"La ligne mobile {mobile} est déjà associée à {others[0]}.")

    def check_hardware(self, p: str, line: dict[str, Any], kind: str, collab: str) -> None:
        hw = line.get("hardware") or {}
        hw_kind = hw.get("kind") or HardwareKind.AUCUN
        if hw_kind not in HARDWARE_BY_LINE[LineKind(kind)]:
            self.add(
                f"{p}.hardware.kind",
                f"Matériel « {HardwareKind(hw_kind).label} » impossible sur une ligne « {LineKind(kind).label} ».",
            )
            return
        if kind == LineKind.FIXE and hw_kind == HardwareKind.AUCUN and collab == Collaboration.AUCUNE:
            self.add(f"{p}.hardware.kind", "Sans option de collaboration, le modèle de matériel est obligatoire.")
        model = hw.get("model")
        if hw_kind in (HardwareKind.POSTE_IP, HardwareKind.DECT, HardwareKind.PIEUVRE, HardwareKind.ATA):
            if not model:
                self.add(f"{p}.hardware.model", "Le modèle de matériel est obligatoire.")
            elif model not in PHONE_MODELS or PHONE_MODELS[model][0] != hw_kind:
                self.add(f"{p}.hardware.model", f"Modèle « {model} » non référencé pour ce type de matériel.")
        if hw.get("mac"):
            try:
                normalize_mac(hw["mac"])
            except ValidationError as exc:
                self.add(f"{p}.hardware.mac", exc.messages[0])
        if hw.get("iccid"):
            if hw_kind != HardwareKind.SIM:
                self.add(f"{p}.hardware.iccid", "Un ICCID ne se saisit que pour une carte SIM.")
            try:
                normalize_iccid(hw["iccid"])
            except ValidationError as exc:
                self.add(f"{p}.hardware.iccid", exc.messages[0])
        self.check_keys(p, hw, hw_kind, model)

    def check_keys(self, p: str, hw: dict[str, Any], hw_kind: str, model: str | None) -> None:
        keys = hw.get("keys") or []
        if not keys:
            return
        path = f"{p}.hardware.keys"
        capacity = PHONE_MODELS.get(model or "", ("", 0))[1]
        if hw_kind != HardwareKind.POSTE_IP or capacity == 0:
            self.add(path, "Ce modèle de poste ne dispose pas de touches programmables.")
            return
        if len(keys) > capacity:
            self.add(path, f"{len(keys)} touches programmées pour {capacity} touches programmables sur ce poste.")
        types = [k["type"] for k in keys]
        supervision = types.count("supervision")
        if supervision > MAX_SUPERVISION_KEYS:
            self.add(path, f"{MAX_SUPERVISION_KEYS} touches de supervision au plus.")
        if "supervision" in types[supervision:]:
            self.add(path, "Les touches de supervision sont toujours placées avant les touches de raccourci.")
        if types.count("interception") > 1:
            self.add(path, "Une seule touche d'interception par poste.")
        for j, k in enumerate(keys):
            if k["type"] == "supervision":
                target = self.lines.get(normalize_number(k.get("number") or ""))
                if target is None or target["kind"] not in (LineKind.FIXE, LineKind.MOBILE):
                    self.add(
                        f"{path}[{j}]",
                        "Une touche de supervision ne vise qu'une ligne interne fixe ou mobile (numéro fixe pour "
                        "ligne mobile exclu).",
                    )
            elif k["type"] == "raccourci" and not (k.get("number") or "").strip():
                self.add(f"{path}[{j}]", "Numéro de la touche de raccourci obligatoire.")

    def check_services(self, p: str, line: dict[str, Any], s: dict[str, Any], number: str) -> None:
        sp = f"{p}.services"
        kind = line["kind"]
        if s["caller_id"]["mode"] == "alternatif" and not (s["caller_id"].get("number") or "").strip():
            self.add(f"{sp}.caller_id", "Saisissez ou sélectionnez le numéro alternatif à présenter.")
        blocked = s["blocked_numbers"] or []
        if len(blocked) > MAX_BLOCKED_NUMBERS:
            self.add(f"{sp}.blocked_numbers", "Le nombre de numéros bloqués ne peut pas être supérieur à 36.")
        if any(not str(b).strip() for b in blocked):
            self.add(f"{sp}.blocked_numbers", "Numéro bloqué vide.")
        multi = s["multi_ring"]
        numbers = multi.get("numbers") or []
        if len(numbers) > MAX_MULTI_RING_NUMBERS:
            self.add(
                f"{sp}.multi_ring",
                "Sonnerie sur plusieurs lignes : 5 lignes au plus en plus de celle de l'utilisateur.",
            )
        if multi.get("enabled") and not numbers:
            self.add(f"{sp}.multi_ring", "Ajoutez au moins une ligne à faire sonner.")
        for j, n in enumerate(numbers):
            self.check_forward_number(f"{sp}.multi_ring.numbers[{j}]", n, own=number, plus=True)
        allowed_forwards = FORWARD_KINDS_BY_LINE[LineKind(kind)]
        defaults = default_services(kind, line.get("associated_mobile"))["forwards"]
        for fk in FORWARD_KINDS:
            f = s["forwards"][fk]
            fp = f"{sp}.forwards.{fk}"
            if fk not in allowed_forwards:
                if f != defaults[fk]:
                    self.add(
                        fp, f"« {FORWARD_LABELS[fk]} » n'est pas disponible pour une ligne « {LineKind(kind).label} »."
                    )
                continue
            if fk == "no_answer" and not 1 <= int(f.get("rings") or 0) <= MAX_NO_ANSWER_RINGS:
                self.add(f"{fp}.rings", f"Nombre de sonneries avant renvoi : de 1 à {MAX_NO_ANSWER_RINGS}.")
            if fk == "scheduled" and f.get("enabled"):
                self.check_calendar_ref(f"{fp}.calendar", f.get("calendar"), required=True)
            if not f.get("enabled"):
                continue
            if f.get("destination") == "messagerie":
                if kind == LineKind.ANALOGIQUE:
                    self.add(
                        fp, "Une ligne analogique n'a pas de messagerie vocale : renvoi vers un numéro uniquement."
                    )
            else:
                self.check_forward_number(f"{fp}.number", f.get("number"), own=number)
        if s["forwards"]["immediate"].get("enabled") and s["forwards"]["scheduled"].get("enabled"):
            self.add(f"{sp}.forwards.scheduled", "Le renvoi programmé et le renvoi immédiat sont exclusifs.")
        welcome = s["welcome_announcement"]
        if welcome.get("enabled"):
            self.check_calendar_ref(f"{sp}.welcome_announcement.calendar", welcome.get("calendar"))
        own = self.line_announcements.get(number, set())
        for slot in ("welcome_announcement", "hold_announcement", "call_waiting_announcement"):
            name = s[slot].get("announcement")
            if name and name not in DEFAULT_NAMES and name not in own:
                self.add(f"{sp}.{slot}", f"Annonce « {name} » inconnue pour cette ligne.")
        vm = s["voicemail_notification"]
        if vm.get("enabled"):
            try:
                validate_email(vm.get("email") or "")
            except ValidationError:
                self.add(
                    f"{sp}.voicemail_notification.email", "Adresse e-mail de réception des notifications invalide."
                )

    def check_emails(self) -> None:
        seen: dict[str, str] = {}
        for i, line in enumerate(self.doc.get("lines") or ()):
            email = (line.get("email") or "").strip().lower()
            if not email:
                continue
            if email in seen:
                self.add(
                    f"lines[{i}].email",
                    f"L'adresse e-mail {email} est déjà celle de la ligne {seen[email]} : elle doit être unique.",
                )
            elif email in self.foreign_emails:
                self.add(f"lines[{i}].email", f"L'adresse e-mail {email} est déjà utilisée : elle doit être unique.")
            seen[email] = line["number"]

    def check_offer(self) -> None:
        offer = self.doc.get("offer")
        if offer is None:
            return
        plans = offer.get("plans") or {}
        used = Counter(x["kind"] for x in self.doc.get("lines") or ())
        counts = {
            Plan.FIXE: used[LineKind.FIXE],
            Plan.NUMERO_FIXE_MOBILE: used[LineKind.NUMERO_FIXE_MOBILE],
            Plan.ANALOGIQUE: used[LineKind.ANALOGIQUE],
            Plan.GROUPEMENT: len(self.doc.get("call_groups") or ()),
            Plan.AVI: len(self.doc.get("ivrs") or ()),
        }
        for plan, count in counts.items():
            if count > int(plans.get(plan, 0)):
                self.add(
                    f"offer.plans.{plan}",
                    f"Plus aucun forfait « {plan.label} » disponible : {count} attribué(s) pour "
                    f"{int(plans.get(plan, 0))} souscrit(s).",
                )
        options = offer.get("options") or {}
        collab = Counter(x.get("collaboration") for x in self.doc.get("lines") or ())
        for option in Option:
            if collab[option.value] > int(options.get(option, 0)):
                self.add(
                    f"offer.options.{option}",
                    f"Plus aucune option « {option.label} » disponible : {collab[option.value]} attribuée(s) pour "
                    f"{int(options.get(option, 0))} souscrite(s).",
                )

    # -- pickup groups ---------------------------------------------------------------------------------------

    def check_pickup_group(self, p: str, group: dict[str, Any]) -> None:
        name = group["name"].strip()
        if not name:
            self.add(f"{p}.name", "Le nom du groupe d'interception est obligatoire.")
        elif not _PICKUP_NAME.match(name):
            self.add(f"{p}.name", "Le nom du groupe d'interception ne doit pas contenir de caractères spéciaux.")
        names = [g["name"] for g in self.doc.get("pickup_groups") or ()]
        if names.count(group["name"]) > 1:
            self.add(f"{p}.name", f"Deux groupes d'interception portent le nom « {group['name']} ».")
        if group["site"] not in self.sites:
            self.add(f"{p}.site", f"Site « {group['site']} » inconnu.")
        for j, member in enumerate(group["members"]):
            line = self.lines.get(normalize_number(member))
            if line is None or line["kind"] != LineKind.FIXE:
                self.add(
                    f"{p}.members[{j}]",
                    f"{member} : seules les lignes fixes (forfait fixe) entrent dans un groupe d'interception.",
                )
            elif line.get("site") != group["site"]:
                self.add(
                    f"{p}.members[{j}]",
                    f"{member} n'est pas du site « {group['site']} » : un groupe d'interception réunit les lignes d'un même site.",
                )

    def check_pickup_membership(self) -> None:
        owner: dict[str, str] = {}
        for i, group in enumerate(self.doc.get("pickup_groups") or ()):
            for j, member in enumerate(group["members"]):
                n = normalize_number(member)
                if n in owner and owner[n] != group["name"]:
                    self.add(
                        f"pickup_groups[{i}].members[{j}]",
                        f"La ligne {n} fait déjà partie du groupe d'interception « {owner[n]} ».",
                    )
                owner.setdefault(n, group["name"])

    # -- call groups -----------------------------------------------------------------------------------------

    def check_call_group(self, p: str, g: dict[str, Any]) -> None:
        if not g["name"].strip():
            self.add(f"{p}.name", "Le nom du groupement est obligatoire.")
        if g["site"] not in self.sites:
            self.add(f"{p}.site", f"Site « {g['site']} » inconnu.")
        rings = g.get("max_rings", 5)
        if not 1 <= rings <= MAX_GROUP_RINGS:
            self.add(f"{p}.max_rings", f"Nombre de sonneries maximum : de 1 à {MAX_GROUP_RINGS}.")
        delay = g.get("inter_call_delay") or {}
        if delay.get("enabled") and not 1 <= int(delay.get("seconds") or 0) <= MAX_INTER_CALL_DELAY:
            self.add(f"{p}.inter_call_delay", f"Délai inter-appels : de 1 à {MAX_INTER_CALL_DELAY} secondes.")
        waiting = g.get("max_waiting_calls", 20)
        if not 1 <= waiting <= MAX_WAITING_CALLS:
            self.add(f"{p}.max_waiting_calls", f"Nombre maximum d'appels en attente : de 1 à {MAX_WAITING_CALLS}.")
        wait = g.get("max_wait_seconds", 300)
        if not 1 <= wait <= MAX_WAIT_SECONDS:
            self.add(
                f"{p}.max_wait_seconds",
                f"Temps d'attente maximum avant débordement : de 1 à {MAX_WAIT_SECONDS} secondes.",
            )
        overflow = g.get("overflow") or {}
        mode = overflow.get("mode", OverflowMode.DISSUASION)
        if mode in ("messagerie", "voicemail"):
            self.add(f"{p}.overflow", "Il n'existe pas de débordement vers une messagerie.")
        elif mode not in OverflowMode.values:
            self.add(
                f"{p}.overflow",
                f"Mode de débordement « {mode} » inconnu (pas de renvoi, disque de dissuasion ou numéro).",
            )
        elif mode == OverflowMode.NUMERO:
            self.check_forward_number(f"{p}.overflow.number", overflow.get("number"), own=normalize_number(g["number"]))
        closing = g.get("closing") or {}
        if bool(closing.get("calendar")) != bool(closing.get("number")):
            self.add(f"{p}.closing", "Le mode fermeture demande un calendrier et un numéro de renvoi.")
        elif closing.get("calendar"):
            self.check_calendar_ref(f"{p}.closing.calendar", closing["calendar"])
            self.check_forward_number(f"{p}.closing.number", closing["number"], own=normalize_number(g["number"]))
        self.check_library_use(
            f"{p}.welcome_announcement", g.get("welcome_announcement"), g["site"], "Annonce d'accueil"
        )
        self.check_library_use(f"{p}.hold_announcement", g.get("hold_announcement"), g["site"], "Annonce d'attente")
        seen = set()
        for j, m in enumerate(g.get("members") or ()):
            n = normalize_number(m["number"])
            line = self.lines.get(n)
            if n in seen:
                self.add(f"{p}.members[{j}]", f"{n} est déjà membre de ce groupement.")
            seen.add(n)
            if line is None or line["kind"] not in (LineKind.FIXE, LineKind.MOBILE):
                self.add(
                    f"{p}.members[{j}]",
                    f"{m['number']} ne peut pas être membre : seules les lignes fixes (forfait fixe) et les lignes "
                    "mobiles de l'entreprise le peuvent.",
                )

    # -- IVR -------------------------------------------------------------------------------------------------

    def check_ivr(self, p: str, ivr: dict[str, Any]) -> None:
        if not ivr["name"].strip():
            self.add(f"{p}.name", "Le nom de l'accueil vocal interactif est obligatoire.")
        if ivr["site"] not in self.sites:
            self.add(f"{p}.site", f"Site « {ivr['site']} » inconnu.")
        by_calendar = ivr.get("mode") == "calendrier" or (ivr.get("mode") is None and ivr.get("calendar"))
        if by_calendar:
            self.check_calendar_ref(f"{p}.calendar", ivr.get("calendar"), required=True)
            if ivr.get("closed_menu") is None:
                self.add(f"{p}.closed_menu", "Un AVI avec calendrier a un menu pour les heures de fermeture.")
        menus = [("open_menu", ivr["open_menu"])]
        if by_calendar and ivr.get("closed_menu"):
            menus.append(("closed_menu", ivr["closed_menu"]))
        for key, menu in menus:
            self.check_menu(f"{p}.{key}", menu, ivr, level=1, enabled=ivr.get("enabled", True))

    def check_menu(self, p: str, menu: dict[str, Any], ivr: dict[str, Any], *, level: int, enabled: bool) -> None:
        if enabled and not menu.get("announcement"):
            self.add(
                f"{p}.announcement",
                "Un accueil vocal interactif nécessite une annonce d'accueil pour chaque menu (il n'y a pas d'annonce "
                "par défaut).",
            )
        elif menu.get("announcement") and menu["announcement"] not in self.library.get(ivr["site"], set()):
            self.add(
                f"{p}.announcement",
                f"L'annonce « {menu['announcement']} » n'est pas dans la bibliothèque du site « {ivr['site']} ».",
            )
        keys = [k["key"] for k in menu.get("keys") or ()]
        for j, entry in enumerate(menu.get("keys") or ()):
            kp = f"{p}.keys[{j}]"
            if entry["key"] not in IVR_KEYS:
                self.add(kp, "Touches de 1 à 9 uniquement.")
            if keys.count(entry["key"]) > 1:
                self.add(kp, f"La touche {entry['key']} est configurée deux fois.")
            has_number, has_sub = bool(entry.get("number")), entry.get("submenu") is not None
            if has_number == has_sub:
                self.add(kp, f"Touche {entry['key']} : un renvoi vers un numéro ou (niveau 1) un sous-menu.")
            elif has_number:
                self.check_forward_number(f"{kp}.number", entry["number"], own=normalize_number(ivr["number"]))
            elif level == 2:
                self.add(kp, "Un sous-menu ne contient que des renvois vers un numéro (2 niveaux au plus).")
            else:
                self.check_menu(f"{kp}.submenu", entry["submenu"], ivr, level=2, enabled=enabled)

    def check_directory(self) -> None:
        directory = self.doc.get("directory") or []
        if len(directory) > MAX_DIRECTORY_CONTACTS:
            self.add(
                "directory", f"L'annuaire externe compte {len(directory)} contacts : {MAX_DIRECTORY_CONTACTS} au plus."
            )
        shorts: dict[str, str] = {}
        for i, line in enumerate(self.doc.get("lines") or ()):
            if line.get("short_number"):
                if line["short_number"] in shorts:
                    self.add(f"lines[{i}].short_number", f"Numéro court {line['short_number']} déjà attribué.")
                shorts[line["short_number"]] = line["number"]
        for i, contact in enumerate(directory):
            short = contact.get("short_number")
            if short:
                if not _SHORT_NUMBER.match(short):
                    self.add(f"directory[{i}].short_number", "Numéro court invalide : 4 à 9 chiffres, sans 0 initial.")
                elif short in shorts:
                    self.add(f"directory[{i}].short_number", f"Numéro court {short} déjà attribué.")
                shorts[short] = contact["number"]


def duration_error(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"L'annonce dure {minutes} min {secs:02d} s : 2 minutes au plus."


def check_document(doc: Any, *, foreign_numbers: Iterable[str] = (), foreign_emails: Iterable[str] = ()) -> list[Issue]:
    """Every problem of ``doc``: schema errors (then nothing else is checked) or the seed's rules."""
    structural = schema_issues(doc)
    if structural:
        return structural
    return _Checker(doc, set(foreign_numbers), set(foreign_emails)).run()


def calendar_issues(cal: dict[str, Any]) -> list[Issue]:
    """The rules of one calendar alone, with paths relative to it (``schedules[1].end``).

    Forms use it to place each error on its schedule row; the actions still re-check the whole company.
    """
    checker = _Checker({}, set(), set())
    checker.calendar_hours("", cal)
    return checker.issues


def calendar_references(doc: dict[str, Any]) -> Counter[str]:
    """How many services use each calendar (a calendar in use cannot be deleted)."""
    used: Counter[str] = Counter()
    for line in doc.get("lines") or ():
        s = line.get("services") or {}
        for name in (
            ((s.get("forwards") or {}).get("scheduled") or {}).get("calendar"),
            (s.get("welcome_announcement") or {}).get("calendar"),
        ):
            if name:
                used[name] += 1
    for g in doc.get("call_groups") or ():
        if (g.get("closing") or {}).get("calendar"):
            used[g["closing"]["calendar"]] += 1
    for ivr in doc.get("ivrs") or ():
        if ivr.get("calendar"):
            used[ivr["calendar"]] += 1
    return used
