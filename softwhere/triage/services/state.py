"""Proposed service state (seed 004: interrompu, dégradé, avec secours actif, sans perturbation).

No labelled data exists for the state, so it is a readable rule: explicit cues
in the text win (a backup that took over, slowness or intermittence, a total
outage); otherwise the case's usual state applies. Requests (settings, orders,
admin) are "sans perturbation" unless the text reports an outage.
"""

from __future__ import annotations

import re

from softwhere.tickets.choices import ServiceState

from .text import fold

_BACKUP = re.compile(
    r"(?:bascul\w*|passe\w*|tourn\w*|sommes|on est|est|fonctionn\w*|marche\w*)\s+(?:bien\s+)?(?:sur|en)\s+(?:le\s+|la\s+)?"
    r"(?:lien\s+de\s+)?(?:4g|5g|backup|secours)"
    r"|(?:secours|backup)(?:\s+4g)?\s+(?:est\s+)?(?:actif|a pris le relais|a pris la main|fonctionne|ok\b|marche)"
    r"|(?:4g|backup|secours)\s+(?:a\s+)?pris\s+le\s+relais"
)
_BACKUP_FAILED = re.compile(
    r"(?:secours|backup|4g)[^.]{0,40}(?:ne\s+\w+\s+pas|n'a\s+pas|pas\s+pris|ko\b|hs\b|inactif|inoperant)"
)
_DEGRADED = re.compile(
    r"\b(?:lent\w*|lenteurs?|rame\w*|latence|ping\s+(?:eleve|a|de)|hache\w*|intermitt\w*|par\s+moments|de\s+temps\s+en\s+temps"
    r"|parfois|aleatoire\w*|instable|bagot\w*|micro[- ]?coupures?|coupures?\s+(?:repetees|frequentes|regulieres|aleatoires|intermittentes)"
    r"|plusieurs\s+fois\s+par\s+jour|debit\s+(?:faible|insuffisant|tres\s+faible)|degrad\w*|grésill\w*|gresill\w*|saccad\w*"
    r"|une\s+fois\s+sur\s+\w+|certains\s+appels|partiel\w*)"
)
_INTERRUPTED = re.compile(
    r"\b(?:plus\s+(?:du\s+tout|aucun\w*|de\s+\w+|d'\w+|rien|internet|acces|personne)|aucun\w*\s+(?:acces|appel|connexion|service|reseau|signal|voyant)"
    r"|hs\b|ko\b|down\b|coupe\w*\s+(?:totale|complete|generale)|(?:totalement|completement)\s+(?:coupe|hs|ko|muet|isole|eteint)\w*"
    r"|ne\s+(?:fonctionne|marche|repond|capte|s'allume|sonne)\s+plus|injoignable|impossible|en\s+panne|tombe\w*|mort\w*|inerte)"
)

# The usual state of each family/case when the text says nothing decisive.
_DEGRADED_CASES = frozenset(
    {
        "incident_internet_debit_latence",
        "incident_internet_bridge_nat",
        "incident_mobile_coupures",
        "incident_materiel_routeur",
        "incident_materiel_casque",
        "incident_fixe_poste_isole",
        "incident_materiel_port",
        "sav_internet_coupures",
        "sav_internet_reconfiguration",
        "sav_internet_test_ligne",
        "sav_fixe_sda_routage",
        "sav_fixe_reset_ipbx",
        "sav_mobile_reception",
        "sav_mobile_batterie",
        "sav_materiel_alimentation",
        "incident_internet_nat",
    }
)
_QUIET_FAMILIES = ("parametrage", "administratif", "commande")
_QUIET_CASES = frozenset({"sav_fixe_validation", "sav_materiel_validation", "sav_materiel_rma"})


def default_state(case: str | None) -> str:
    if case is None:
        return ServiceState.NO_DISRUPTION
    if case.startswith(_QUIET_FAMILIES) or case in _QUIET_CASES:
        return ServiceState.NO_DISRUPTION
    if case in _DEGRADED_CASES:
        return ServiceState.DEGRADED
    return ServiceState.INTERRUPTED


def propose_state(text: str, case: str | None) -> str:
    folded = fold(text)
    if _BACKUP.search(folded) and not _BACKUP_FAILED.search(folded):
        return ServiceState.BACKUP_ACTIVE
    default = default_state(case)
    quiet_request = case is not None and (case.startswith(("administratif", "commande")))
    if quiet_request:
        return ServiceState.NO_DISRUPTION
    degraded, interrupted = bool(_DEGRADED.search(folded)), bool(_INTERRUPTED.search(folded))
    if degraded and (not interrupted or default == ServiceState.DEGRADED):
        return ServiceState.DEGRADED
    if interrupted:
        return ServiceState.INTERRUPTED if default != ServiceState.DEGRADED else ServiceState.DEGRADED
    return default
