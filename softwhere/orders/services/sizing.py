"""Voice sizing: simultaneous calls for an office (seed II.E a) and a real Erlang B calculator.

II.E a: « le nombre d'appels simultanés représente environ un tiers du nombre de postes
téléphoniques de la société (hors centres d'appels). Exemple : une société de 100 personnes a
besoin d'environ 30 à 35 appels simultanés. » The range is 30 % to 35 % of the stations.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .money import QuoteError

LOW_SHARE = Decimal("0.30")
HIGH_SHARE = Decimal("0.35")


def simultaneous_calls_estimate(stations: int, *, call_centre: bool = False) -> tuple[int, int]:
    """(low, high) simultaneous calls for ``stations`` telephones: about one third (30 % to 35 %)."""
    if call_centre:
        raise QuoteError(
            "Centre d'appels : la règle du tiers ne s'applique pas ; dimensionnez avec Erlang B "
            "(trafic à l'heure chargée et taux de blocage visé).",
            field="call_centre",
        )
    if stations < 1:
        raise QuoteError("Nombre de postes : au moins 1.", field="stations")
    low = int((stations * LOW_SHARE).quantize(Decimal(1), ROUND_HALF_UP))
    high = int((stations * HIGH_SHARE).quantize(Decimal(1), ROUND_CEILING))
    low = max(low, 1)
    return low, max(high, low)


def traffic_erlangs(calls_per_hour: float, mean_duration_seconds: float) -> float:
    """Offered traffic at the busy hour: calls per hour × mean holding time in hours."""
    if calls_per_hour < 0 or mean_duration_seconds < 0:
        raise QuoteError("Le nombre d'appels et la durée moyenne ne peuvent pas être négatifs.")
    return calls_per_hour * mean_duration_seconds / 3600


def erlang_b(traffic: float, lines: int) -> float:
    """Blocking probability for ``traffic`` erlangs offered to ``lines`` circuits.

    Uses the stable recurrence B(E, 0) = 1, B(E, k) = E·B(E, k−1) / (k + E·B(E, k−1)),
    which avoids the factorials of the closed formula.
    """
    if traffic < 0 or not math.isfinite(traffic):
        raise QuoteError("Trafic en erlangs : nombre positif attendu.", field="traffic")
    if lines < 0:
        raise QuoteError("Nombre de lignes : entier positif attendu.", field="lines")
    blocking = 1.0
    for k in range(1, lines + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


MAX_LINES = 10_000


def lines_for_blocking(traffic: float, target: float) -> int:
    """Fewest circuits whose Erlang B blocking is at or below ``target`` (e.g. 0.01 for 1 %)."""
    if not 0 < target < 1:
        raise QuoteError("Taux de blocage visé : strictement entre 0 et 1 (ex. 0,01 pour 1 %).", field="blocking")
    if traffic < 0 or not math.isfinite(traffic):
        raise QuoteError("Trafic en erlangs : nombre positif attendu.", field="traffic")
    if traffic == 0:
        return 0
    blocking, lines = 1.0, 0
    while blocking > target:
        lines += 1
        if lines > MAX_LINES:
            raise QuoteError("Trafic trop élevé pour ce calcul.", field="traffic")
        blocking = traffic * blocking / (lines + traffic * blocking)
    return lines
