"""Every fee of the partner handbook (seed 001), as pure functions returning a ``Quote``.

Amounts are € HT. A request the handbook forbids (cancelling after a desaturation was
found by Orange, a link type with no scale) raises ``QuoteError`` with a French message.
Where the handbook is ambiguous the choice is written in ``docs/decisions.md``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from .money import ZERO, Quote, QuoteError, QuoteLine, eur

ADSL_KINDS: Final = frozenset({"adsl", "adsl_nue"})
COPPER_KINDS: Final = frozenset({"adsl", "adsl_nue", "sdsl"})
SDSL_PAIRS: Final = (1, 2, 4)

# II.D: « frais de mise en service de l'engagement 12 mois (Orange = 740 €HT / SFR = 890 €HT) ».
SDSL_SETUP_FEE_12M: Final = {"orange": eur(740), "sfr": eur(890)}
# II.D « Pour les ADSL : frais de résiliation à hauteur de 60 €HT ».
ADSL_TERMINATION_FEE: Final = eur(60)
# II.F c: « ADSL : frais de mise en service (soit 140 €HT) », SDSL 1/2/4 paires.
ADSL_CANCELLATION_FEE: Final = eur(140)
SDSL_CANCELLATION_FEE: Final = {1: eur(350), 2: eur(400), 4: eur(500)}
# II.F d: erreur d'adresse d'installation.
ADDRESS_ERROR_FEE: Final = {"adsl": eur(60), "adsl_nue": eur(90)}
SDSL_ADDRESS_ERROR_FEE: Final = {1: eur(350), 2: eur(400), 4: eur(500)}
# II.E b: désaturation et desserte interne.
DESATURATION_FEE: Final = {"mono": eur(190), "bi": eur(990), "quadri": eur(1190)}
DESATURATION_LABELS: Final = {"mono": "monopaire", "bi": "bipaire", "quadri": "quadripaire"}
INTERNAL_WIRING_FEE: Final = eur(450)
# II.F b ii: upgrade / downgrade.
ADSL_UPGRADE_FEE: Final = eur(100)
SDSL_CHANGE_FEE: Final = eur(250)
SDSL_PAIR_CHANGE_FEE_36M: Final = eur(300)
# II.F b i: déménagement d'une SDSL active depuis moins de 12 mois, réengagement 36 mois.
SDSL_MOVE_FEE_36M: Final = eur(300)
# II.F e: intervention à tort.
WRONGFUL_EXPERTISE_FEE: Final = eur(172)
# VI: « 1 heure d'AMO = 100€HT ».
AMO_HOURLY_RATE: Final = eur(100)
# II.E f: GTR étendue (SDSL 60 €HT ; fibre de 150 à 300 €HT selon débit).
EXTENDED_GTR_PRICE: Final = {"sdsl": (eur(60), eur(60)), "fibre": (eur(150), eur(300))}

TECHNOLOGY_LABELS: Final = {
    "adsl": "ADSL",
    "adsl_nue": "ADSL nue",
    "sdsl": "SDSL",
    "fibre": "fibre optique",
}


def _label(technology: str) -> str:
    return TECHNOLOGY_LABELS.get(technology, technology)


def _check_technology(technology: str, allowed: frozenset[str] | set[str], what: str) -> None:
    if technology not in TECHNOLOGY_LABELS:
        raise QuoteError(f"Type de lien inconnu : « {technology} ».", field="technology")
    if technology not in allowed:
        raise QuoteError(
            f"Pas de barème {what} pour un lien {_label(technology)} dans le handbook : frais selon devis.",
            field="technology",
        )


def _check_pairs(pairs: int | None) -> int:
    if pairs not in SDSL_PAIRS:
        raise QuoteError("Un lien SDSL a 1, 2 ou 4 paires.", field="pairs")
    return pairs


def _check_months(months: int, field: str = "months_elapsed") -> int:
    if months < 0:
        raise QuoteError("Le nombre de mois écoulés ne peut pas être négatif.", field=field)
    return months


def _check_commitment(commitment_months: int | None) -> int:
    if commitment_months not in (12, 36):
        raise QuoteError("Engagement de 12 ou 36 mois attendu.", field="commitment_months")
    return commitment_months


def _check_money(value: Decimal, field: str) -> Decimal:
    if value < 0:
        raise QuoteError("Un montant ne peut pas être négatif.", field=field)
    return eur(value)


def sdsl_setup_fee_12m(carrier: str | None, setup_fee: Decimal | None = None) -> Decimal:
    """The 12-month commitment setup fee: Orange 740, SFR 890, or the quoted amount when given."""
    if setup_fee is not None:
        return _check_money(setup_fee, "setup_fee")
    key = (carrier or "").strip().lower()
    if key not in SDSL_SETUP_FEE_12M:
        raise QuoteError(
            "Opérateur de collecte Orange ou SFR requis pour les frais de mise en service SDSL.", field="carrier"
        )
    return SDSL_SETUP_FEE_12M[key]


def _subscription_line(months: int, monthly_fee: Decimal, label: str) -> QuoteLine:
    return QuoteLine(
        f"{label} ({months} mois × {monthly_fee} €HT)",
        eur(monthly_fee * months),
        "II.D",
        "subscription",
        {"months": months},
    )


def termination(
    technology: str,
    *,
    commitment_months: int | None = None,
    months_elapsed: int = 0,
    monthly_fee: Decimal = ZERO,
    carrier: str | None = None,
    setup_fee_12m: Decimal | None = None,
) -> Quote:
    """II.D « Résiliation client »: what the client owes when terminating a link.

    Subscription lines count the months due from the termination request: the 30-day
    notice month, or every month up to the first anniversary when that is further away.
    ``months_elapsed`` counts whole months since delivery; at exactly 12 (or 36) months the
    commitment period is reached (« + de 12 mois »).
    """
    _check_technology(technology, {"adsl", "adsl_nue", "sdsl", "fibre"}, "de résiliation")
    months = _check_months(months_elapsed)
    fee = _check_money(monthly_fee, "monthly_fee")
    notes = ["Résiliation par lettre recommandée avec accusé de réception, préavis de 30 jours."]
    if technology in ADSL_KINDS:
        lines = [QuoteLine("Frais de résiliation ADSL", ADSL_TERMINATION_FEE, "II.D", "termination_fee")]
        if fee:
            lines.append(_subscription_line(1, fee, "Préavis de 30 jours"))
        return Quote(tuple(lines), tuple(notes))
    commitment = _check_commitment(commitment_months)
    lines = []
    if months < 12:
        lines.append(_subscription_line(12 - months, fee, "Abonnement dû jusqu'à la date des 12 mois"))
    else:
        lines.append(_subscription_line(1, fee, "Préavis de 1 mois"))
    if commitment == 36 and months < 36:
        if technology == "sdsl":
            setup = sdsl_setup_fee_12m(carrier, setup_fee_12m)
        elif setup_fee_12m is None:
            raise QuoteError(
                "Fibre engagée 36 mois résiliée avant 36 mois : indiquez les frais de mise en service de "
                "l'engagement 12 mois (selon devis).",
                field="setup_fee_12m",
            )
        else:
            setup = _check_money(setup_fee_12m, "setup_fee_12m")
        lines.append(QuoteLine("Frais de mise en service de l'engagement 12 mois", setup, "II.D", "setup_fee"))
    elif months >= 12:
        notes.append("Sans frais de résiliation.")
    return Quote(tuple(lines), tuple(notes))


def _desaturation(kind: str | None) -> Decimal:
    if kind is None or kind == "":
        return ZERO
    if kind not in DESATURATION_FEE:
        raise QuoteError("Désaturation mono, bi ou quadripaire attendue.", field="desaturation")
    return DESATURATION_FEE[kind]


def cancellation(
    technology: str,
    *,
    pairs: int | None = None,
    desaturation: str | None = None,
    desaturation_found_after_orange_check: bool = False,
) -> Quote:
    """II.F c « Annulation de commande Data » after the order was validated and processed."""
    _check_technology(technology, COPPER_KINDS, "d'annulation")
    if desaturation_found_after_orange_check:
        raise QuoteError(
            "Annulation impossible : une désaturation a été détectée après la fiabilisation d'Orange ; "
            "elle sera effectuée avant l'installation du lien et facturée.",
            field="desaturation_found_after_orange_check",
        )
    if technology in ADSL_KINDS:
        lines = [
            QuoteLine("Annulation ADSL : frais de mise en service", ADSL_CANCELLATION_FEE, "II.F c", "cancellation")
        ]
    else:
        n = _check_pairs(pairs)
        lines = [
            QuoteLine(
                f"Annulation SDSL {n} paire{'s' if n > 1 else ''}", SDSL_CANCELLATION_FEE[n], "II.F c", "cancellation"
            )
        ]
    extra = _desaturation(desaturation)
    if extra:
        assert desaturation is not None
        lines.append(
            QuoteLine(
                f"Annulation d'une commande avec désaturation {DESATURATION_LABELS[desaturation]}",
                extra,
                "II.F c",
                "desaturation",
            )
        )
    return Quote(tuple(lines))


def address_error(technology: str, *, pairs: int | None = None, feasibility_done: bool = True) -> Quote:
    """II.F d: a wrong installation address once Orange's feasibility study is done cancels the order with fees."""
    _check_technology(technology, COPPER_KINDS, "d'erreur d'adresse")
    if technology == "sdsl":
        n = _check_pairs(pairs)
        amount, label = SDSL_ADDRESS_ERROR_FEE[n], f"Erreur d'adresse sur SDSL {n} paire{'s' if n > 1 else ''}"
    else:
        amount = ADDRESS_ERROR_FEE[technology]
        label = "Erreur d'adresse sur ADSL classique" if technology == "adsl" else "Erreur d'adresse sur ADSL NU"
    if not feasibility_done:
        return Quote((), ("Étude de faisabilité Orange pas encore faite : l'adresse peut être corrigée sans frais.",))
    return Quote(
        (QuoteLine(label, amount, "II.F d", "address_error"),),
        ("Orange annule la commande : une nouvelle commande est à passer à la bonne adresse.",),
    )


def works(*, desaturation: str | None = None, internal_wiring: bool = False) -> Quote:
    """II.E b: desaturation (mono/bi/quadri) and internal wiring done before the link is installed."""
    lines = []
    amount = _desaturation(desaturation)
    if amount:
        assert desaturation is not None
        lines.append(QuoteLine(f"Désaturation {DESATURATION_LABELS[desaturation]}", amount, "II.E b", "desaturation"))
    if internal_wiring:
        lines.append(QuoteLine("Desserte interne", INTERNAL_WIRING_FEE, "II.E b", "internal_wiring"))
    if not lines:
        raise QuoteError("Choisissez une désaturation et/ou la desserte interne.", field="desaturation")
    return Quote(tuple(lines))


def link_change(
    technology: str,
    *,
    direction: str,
    pairs_change: bool = False,
    commitment_months: int | None = None,
    carrier: str | None = None,
    setup_fee: Decimal | None = None,
) -> Quote:
    """II.F b ii: upgrade or downgrade of an existing link."""
    _check_technology(technology, COPPER_KINDS, "d'upgrade/downgrade")
    if direction not in ("upgrade", "downgrade"):
        raise QuoteError("Sens attendu : upgrade ou downgrade.", field="direction")
    word = "Upgrade" if direction == "upgrade" else "Downgrade"
    if technology in ADSL_KINDS:
        if pairs_change:
            raise QuoteError("Le nombre de paires ne concerne que le SDSL.", field="pairs_change")
        if direction == "upgrade":
            return Quote((QuoteLine("Upgrade ADSL", ADSL_UPGRADE_FEE, "II.F b", "link_change"),))
        return Quote(
            (QuoteLine("Downgrade ADSL", ZERO, "II.F b", "link_change"),), ("Livraison sous 1 semaine environ.",)
        )
    if not pairs_change:
        return Quote(
            (QuoteLine(f"{word} SDSL sans modification du nombre de paires", SDSL_CHANGE_FEE, "II.F b", "link_change"),)
        )
    commitment = _check_commitment(commitment_months)
    if commitment == 12:
        amount = sdsl_setup_fee_12m(carrier, setup_fee)
        label = f"{word} SDSL avec modification des paires : frais de mise en service (engagement 12 mois)"
    else:
        amount = SDSL_PAIR_CHANGE_FEE_36M
        label = f"{word} SDSL avec modification des paires (engagement 36 mois)"
    return Quote((QuoteLine(label, amount, "II.F b", "link_change"),))


def move(
    technology: str,
    *,
    months_active: int,
    monthly_fee: Decimal = ZERO,
    recommit_months: int | None = None,
    carrier: str | None = None,
    setup_fee: Decimal | None = None,
) -> Quote:
    """II.F b i: a move is a new link at the new address; an SDSL active < 12 months carries extra fees."""
    _check_technology(technology, {"adsl", "adsl_nue", "sdsl", "fibre"}, "de déménagement")
    months = _check_months(months_active, "months_active")
    fee = _check_money(monthly_fee, "monthly_fee")
    notes = [
        "Nouveau lien à la nouvelle adresse : nouvel abonnement et nouveaux frais de mise en service.",
        "L'ancien lien est résilié avec un mois de préavis à la livraison du nouveau (demande en recommandé AR).",
    ]
    if technology != "sdsl" or months >= 12:
        return Quote((), tuple(notes))
    commitment = _check_commitment(recommit_months)
    lines = [
        QuoteLine(
            f"Prorata de l'abonnement précédent jusqu'à la fin des 12 premiers mois ({12 - months} mois × {fee} €HT)",
            eur(fee * (12 - months)),
            "II.F b",
            "subscription",
            {"months": 12 - months},
        )
    ]
    if commitment == 12:
        lines.append(
            QuoteLine(
                "Nouveaux frais de mise en service (réengagement 12 mois)",
                sdsl_setup_fee_12m(carrier, setup_fee),
                "II.F b",
                "setup_fee",
            )
        )
    else:
        lines.append(
            QuoteLine(
                "Frais de déménagement, sans frais de mise en service (réengagement 36 mois)",
                SDSL_MOVE_FEE_36M,
                "II.F b",
                "move_fee",
            )
        )
    return Quote(tuple(lines), (notes[1],))


def wrongful_expertise() -> Quote:
    """II.F e: an expertise requested from Orange on a link that turns out fine."""
    return Quote(
        (QuoteLine("Demande d'intervention à tort (expertise)", WRONGFUL_EXPERTISE_FEE, "II.F e", "expertise"),)
    )


def amo(hours: Decimal) -> Quote:
    """VI: project assistance billed by the hour (« 1 heure d'AMO = 100€HT »)."""
    if hours <= 0:
        raise QuoteError("Durée d'AMO : un nombre d'heures positif est attendu.", field="hours")
    if (hours * 2) != (hours * 2).to_integral_value():
        raise QuoteError("Durée d'AMO : par heure ou demi-heure.", field="hours")
    return Quote(
        (
            QuoteLine(
                f"AMO : {hours.normalize()} h × {AMO_HOURLY_RATE} €HT",
                eur(AMO_HOURLY_RATE * hours),
                "VI",
                "amo",
                {"hours": float(hours)},
            ),
        )
    )


def extended_gtr_price(technology: str) -> tuple[Decimal, Decimal]:
    """II.E f: extended (24/7) GTR price range; SDSL and fibre only."""
    if technology not in EXTENDED_GTR_PRICE:
        raise QuoteError("La GTR ne s'applique que sur les liens SDSL et fibre.", field="technology")
    return EXTENDED_GTR_PRICE[technology]


def extended_gtr(technology: str, *, price: Decimal | None = None) -> Quote:
    """The extended GTR line; fibre needs the price for the link's bandwidth (150 to 300 €HT)."""
    low, high = extended_gtr_price(technology)
    if low == high:
        return Quote((QuoteLine("GTR étendue 24h/24 pour SDSL", low, "II.E f", "gtr"),))
    if price is None:
        raise QuoteError(
            f"GTR étendue fibre : de {low:.0f} à {high:.0f} €HT selon débit ; indiquez le prix.", field="price"
        )
    if not low <= price <= high:
        raise QuoteError(f"GTR étendue fibre : le prix doit être entre {low:.0f} et {high:.0f} €HT.", field="price")
    return Quote((QuoteLine("GTR étendue 24h/24 pour fibre", eur(price), "II.E f", "gtr"),))
