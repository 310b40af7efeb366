"""Eligibility hints before ordering a link (seed II.E b and VIII.A). Information, never a refusal:
« les résultats d'éligibilité ne correspondent pas à des engagements contractuels ».
"""

from __future__ import annotations

from dataclasses import dataclass

# VIII.A: VoIP strongly discouraged with weak eligibility.
ADSL_WEAK_DISTANCE_M = (3000, 3500)
ADSL_WEAK_ATTENUATION_DB = (30, 35)
SDSL_VOIP_MAX_DISTANCE_M = 3700
# II.E b: « à partir de 3500 mètres du répartiteur Orange et/ou de 40db d'atténuation ».
SDSL_PAIRS_DISTANCE_M = 3500
SDSL_PAIRS_ATTENUATION_DB = 40


@dataclass(frozen=True)
class Hint:
    code: str
    level: str  # "warning" or "info"
    message: str


def eligibility_hints(
    technology: str,
    *,
    distance_m: int | None = None,
    attenuation_db: float | None = None,
    with_voice: bool = True,
) -> list[Hint]:
    """Warnings for a link at ``distance_m`` from the exchange with ``attenuation_db`` of loss."""
    hints: list[Hint] = []
    d, a = distance_m, attenuation_db
    if technology in ("adsl", "adsl_nue"):
        weak_d = d is not None and d >= ADSL_WEAK_DISTANCE_M[0]
        weak_a = a is not None and a >= ADSL_WEAK_ATTENUATION_DB[0]
        if with_voice and (weak_d or weak_a):
            beyond = (d is not None and d > ADSL_WEAK_DISTANCE_M[1]) or (
                a is not None and a > ADSL_WEAK_ATTENUATION_DB[1]
            )
            hints.append(
                Hint(
                    "voip_weak_adsl",
                    "warning",
                    "VoIP fortement déconseillée : éligibilité ADSL insuffisante (3000 à 3500 m du DSLAM, 30 à 35 dB "
                    "d'atténuation)" + (" ; la ligne est même au-delà de ces seuils." if beyond else "."),
                )
            )
        if technology == "adsl":
            hints.append(
                Hint(
                    "support_number",
                    "info",
                    "ADSL classique : indiquer le numéro de la ligne analogique support (qui ne porte pas "
                    "déjà un accès Internet).",
                )
            )
        else:
            hints.append(
                Hint(
                    "eligibility_number",
                    "info",
                    "ADSL nue : indiquer un numéro d'éligibilité (NDI actif ou inactif du client, ou NDI "
                    "d'un voisin au plus près en le précisant). Sur un NDI analogique actif, les services "
                    "de la ligne seront coupés.",
                )
            )
    elif technology == "sdsl":
        if with_voice and d is not None and d > SDSL_VOIP_MAX_DISTANCE_M:
            hints.append(
                Hint("voip_weak_sdsl", "warning", "VoIP fortement déconseillée : SDSL à plus de 3700 m du DSLAM.")
            )
        if (d is not None and d >= SDSL_PAIRS_DISTANCE_M) or (a is not None and a >= SDSL_PAIRS_ATTENUATION_DB):
            hints.append(
                Hint(
                    "sdsl_pairs",
                    "warning",
                    "Affaiblissement important (à partir de 3500 m du répartiteur et/ou 40 dB) : ajouter "
                    "l'option 2 ou 4 paires et/ou une désaturation (mono, bi ou quadripaire) s'il ne reste "
                    "pas assez de paires au NRA.",
                )
            )
        hints.append(
            Hint(
                "eligibility_number",
                "info",
                "SDSL : indiquer un numéro d'éligibilité (NDI actif ou inactif du client, ou NDI d'un "
                "voisin au plus près en le précisant).",
            )
        )
    if technology in ("adsl", "adsl_nue", "sdsl", "fibre"):
        hints.append(
            Hint(
                "internal_wiring",
                "info",
                "La desserte interne (au-delà de 3 m) est à la charge du client et doit être faite avant "
                "la commande du lien (sinon 450 €HT).",
            )
        )
    return hints
