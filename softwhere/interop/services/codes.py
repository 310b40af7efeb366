"""Code lists of the FTTH SAV protocol (seed 002) and their accepted spellings.

Every list has one canonical spelling (what we write) and aliases (what we accept):
peers type these fields by hand, so case, accents, ``_``/``-`` and a few synonyms
are tolerated on input. ``None`` from a ``parse_*`` function means "not in the list".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """Upper case, no accents, separators collapsed to one space: « Colonne_montante » → « COLONNE MONTANTE »."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[\s_\-./]+", " ", text).strip().upper()


# --- defect nature: « Coupure franche ou affaiblissement » --------------------------------------------
NATURE_CUT = "COUPURE"
NATURE_WEAK = "AFFAIBLISSEMENT"
NATURES = {NATURE_CUT: "Coupure franche", NATURE_WEAK: "Affaiblissement"}
_NATURE_ALIASES = {
    "COUPURE": NATURE_CUT,
    "COUPURE FRANCHE": NATURE_CUT,
    "PAS DE SIGNAL": NATURE_CUT,  # the seed's own example row
    "AUCUN SIGNAL": NATURE_CUT,
    "AFFAIBLISSEMENT": NATURE_WEAK,
    "SIGNAL FAIBLE": NATURE_WEAK,
    "SIGNAL DEGRADE": NATURE_WEAK,
}


def parse_nature(value: str) -> str | None:
    return _NATURE_ALIASES.get(fold(value))


# --- pre-location / localisation: « PTO, Raccordement palier, PBO, Colonne montante, PM, Horizontale Réseau »
PRELOCS = {
    "PTO": "Prise terminale optique (PTO)",
    "RACCO PALIER": "Raccordement palier",
    "PBO": "Point de branchement optique (PBO)",
    "COL MONTANTE": "Colonne montante",
    "PM": "Point de mutualisation (PM)",
    "HORIZONTALE RESEAU": "Horizontale réseau",
}
_PRELOC_ALIASES = {
    **{k: k for k in PRELOCS},
    "RACCORDEMENT PALIER": "RACCO PALIER",
    "RACCO": "RACCO PALIER",
    "COLONNE MONTANTE": "COL MONTANTE",
    "COLONNE": "COL MONTANTE",
    "PMI": "PM",
    "HORIZONTALE": "HORIZONTALE RESEAU",
    "RESEAU HORIZONTAL": "HORIZONTALE RESEAU",
}
# Defects that need the OI inside the client's home: an appointment proposal is mandatory (seed 002, invariants).
PRELOCS_IN_HOME = frozenset({"PTO", "RACCO PALIER"})


def parse_preloc(value: str) -> str | None:
    return _PRELOC_ALIASES.get(fold(value))


# --- closure codes: RET / ABS / STT / ERR with a two-digit sub-code ------------------------------------
CLOSURE_FAMILIES = {
    "RET": "Rétablissement du service",
    "ABS": "Absence de l'abonné",
    "STT": "Signalisation transmise à tort",
    "ERR": "Erreur dans le traitement du flux",
}


@dataclass(frozen=True)
class ClosureCode:
    family: str
    sub: str

    @property
    def code(self) -> str:
        return f"{self.family}{self.sub}"

    @property
    def label(self) -> str:
        return CLOSURE_SUBCODES.get(self.code, f"{CLOSURE_FAMILIES[self.family]} ({self.code})")


# Our sub-code list (the seed only says « RETxx »): documented in docs/interop.md.
CLOSURE_SUBCODES = {
    "RET01": "Rétablissement : réparation du câblage FTTH de l'OI",
    "RET02": "Rétablissement : intervention sur le raccordement client / la PTO",
    "RET03": "Rétablissement : service rétabli sans intervention (défaut fugitif)",
    "ABS01": "Abonné absent au rendez-vous",
    "ABS02": "Abonné injoignable pour fixer le rendez-vous",
    "STT01": "Pas de défaut sur le câblage de l'OI",
    "STT02": "Signalisation annulée à la demande de l'OC",
    "ERR01": "Accès inconnu ou contexte abonné erroné",
    "ERR02": "Informations fournies par l'OC incomplètes ou incohérentes",
}
CANCELLATION_CLOSURE = "STT02"
_CLOSURE_RE = re.compile(r"^([A-Z]{3})(?: ?(\d{1,2}))?$")


def parse_closure_code(value: str) -> ClosureCode | None:
    """« RET01 », « ret-1 », « RET » (sub-code 00): None when the family is not RET/ABS/STT/ERR."""
    m = _CLOSURE_RE.match(fold(value))
    if not m or m.group(1) not in CLOSURE_FAMILIES:
        return None
    return ClosureCode(m.group(1), f"{int(m.group(2) or 0):02d}")


# --- responsibility: OI / OC / Tiers ------------------------------------------------------------------
RESPONSIBILITIES = {"OI": "Opérateur d'infrastructure", "OC": "Opérateur commercial (client inclus)", "TIERS": "Tiers"}


def parse_responsibility(value: str) -> str | None:
    folded = fold(value)
    return folded if folded in RESPONSIBILITIES else None


# --- information messages (v1.0a « Message SAV » and v2.0 message types) ----------------------------------
INFO_TYPES = {
    "INFORMATION": "Information",
    "DEMANDE_INFO": "Demande d'information",
    "REPONSE_INFO": "Réponse d'information",
    "NOTIFICATION_INFO": "Notification d'information",
    "DEMANDE_RDV": "Demande de rendez-vous",
    "REPONSE_RDV": "Réponse de rendez-vous",
    "CONFIRMATION_RDV": "Confirmation de rendez-vous",
    "PROPOSITION_RDV": "Proposition de rendez-vous",
    "AVANCEMENT": "Avancement de la résolution",
    "DEMANDE_ANNULATION": "Demande d'annulation",
}
APPOINTMENT_CONFIRMATIONS = frozenset({"CONFIRMATION_RDV", "NOTIFICATION_INFO"})


def parse_info_type(value: str) -> str | None:
    key = fold(value).replace(" ", "_")
    return key if key in INFO_TYPES else None


# --- KO reasons: stable codes, French text --------------------------------------------------------------
class Reason:
    """Codes that start every refusal reason (« CODE : texte »): peers and our checks match on them."""

    FILE_UNREADABLE = "FICHIER_ILLISIBLE"
    UNKNOWN_FILE = "TYPE_FICHIER_INCONNU"
    FIELD_COUNT = "NB_CHAMPS"
    MANDATORY = "CHAMP_OBLIGATOIRE"
    BAD_DATE = "FORMAT_DATE"
    BAD_FORMAT = "FORMAT_CHAMP"
    BAD_VALUE = "VALEUR_HORS_LISTE"
    APPOINTMENT_REQUIRED = "RDV_OBLIGATOIRE"
    UNKNOWN_ACCESS = "ACCES_INCONNU"
    CLOSURE_CODE = "CODE_CLOTURE"
    LOCATION_NOT_RET = "LOCALISATION_HORS_RET"
    LOCATION_REQUIRED = "LOCALISATION_OBLIGATOIRE"
    RESPONSIBILITY = "RESPONSABILITE"
    UNKNOWN_TICKET = "SIGNALISATION_INCONNUE"
    UNKNOWN_SENDER = "EMETTEUR_INCONNU"
    STATE = "ETAT_INCOMPATIBLE"


def reason(code: str, text: str, line: int | None = None) -> str:
    return f"{code} : ligne {line} : {text}" if line is not None else f"{code} : {text}"
