"""GTR penalty tiers (seed 001, II–E f) as a table: restoration time T → % of the access's monthly fee.

"4h < Temps de Rétablissement <= 6h30 : 20 % … 10h < Temps de Rétablissement : 100 %".
T is measured in the GTR calendar (business hours for the standard GTR, real time for
the extended 24/7 option). T ≤ 4 h means the guarantee was met: no penalty.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

GTR_TARGET_MINUTES = 4 * 60

#: (upper bound of T in minutes, inclusive, percent). Above the last bound: 100 %.
PENALTY_TIERS: tuple[tuple[int, int], ...] = (
    (GTR_TARGET_MINUTES, 0),
    (6 * 60 + 30, 20),
    (8 * 60 + 30, 40),
    (10 * 60, 60),
)
PENALTY_ABOVE_LAST_TIER = 100


def penalty_percent(restoration_minutes: float) -> int:
    for upper_bound, percent in PENALTY_TIERS:
        if restoration_minutes <= upper_bound:
            return percent
    return PENALTY_ABOVE_LAST_TIER


def penalty_amount(monthly_fee: Decimal, percent: int) -> Decimal:
    """``percent`` of the monthly fee, in euros rounded to the cent."""
    return (Decimal(monthly_fee) * percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
