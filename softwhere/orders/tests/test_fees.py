"""Every fee of seed 001, with the handbook's own figures and each boundary of its rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from softwhere.orders.services import fees
from softwhere.orders.services.money import QuoteError

D = Decimal


def total(quote: Any) -> Decimal:
    return quote.total


# --- II.D Résiliation -------------------------------------------------------------------------------------


@pytest.mark.parametrize("technology", ["adsl", "adsl_nue"])
def test_adsl_termination_is_60(technology: str) -> None:
    quote = fees.termination(technology)
    assert total(quote) == D(60)
    assert [line.kind for line in quote.lines] == ["termination_fee"]


def test_adsl_termination_with_monthly_fee_adds_the_notice_month() -> None:
    assert total(fees.termination("adsl", monthly_fee=D("39.90"))) == D("99.90")


@pytest.mark.parametrize(
    ("technology", "commitment", "months", "carrier", "setup", "expected_total", "expected_kinds"),
    [
        # SDSL 12 months: « - de 12 mois : abonnement mensuel dû jusqu'à la date anniversaire ».
        ("sdsl", 12, 0, "orange", None, D(12 * 300), ["subscription"]),
        ("sdsl", 12, 5, "orange", None, D(7 * 300), ["subscription"]),
        ("sdsl", 12, 11, "orange", None, D(300), ["subscription"]),
        # « + de 12 mois : préavis de 1 mois, sans frais de résiliation » (12 is the anniversary).
        ("sdsl", 12, 12, "orange", None, D(300), ["subscription"]),
        ("sdsl", 12, 40, "sfr", None, D(300), ["subscription"]),
        # SDSL 36 months: until the 12-month date + 12-month setup fee (Orange 740, SFR 890).
        ("sdsl", 36, 4, "orange", None, D(8 * 300 + 740), ["subscription", "setup_fee"]),
        ("sdsl", 36, 4, "sfr", None, D(8 * 300 + 890), ["subscription", "setup_fee"]),
        ("sdsl", 36, 11, "sfr", None, D(300 + 890), ["subscription", "setup_fee"]),
        # « + de 12 mois : préavis de 1 mois + frais de mise en service de l'engagement 12 mois ».
        ("sdsl", 36, 12, "orange", None, D(300 + 740), ["subscription", "setup_fee"]),
        ("sdsl", 36, 35, "sfr", None, D(300 + 890), ["subscription", "setup_fee"]),
        # « + de 36 mois : préavis de 1 mois ».
        ("sdsl", 36, 36, "sfr", None, D(300), ["subscription"]),
        # Fibre: same rules, the 12-month setup fee is « selon devis ».
        ("fibre", 12, 3, "", None, D(9 * 300), ["subscription"]),
        ("fibre", 12, 12, "", None, D(300), ["subscription"]),
        ("fibre", 36, 3, "", D(1200), D(9 * 300 + 1200), ["subscription", "setup_fee"]),
        ("fibre", 36, 20, "", D(1200), D(300 + 1200), ["subscription", "setup_fee"]),
        ("fibre", 36, 36, "", None, D(300), ["subscription"]),
        # An explicit setup fee overrides the carrier's SDSL amount.
        ("sdsl", 36, 20, "orange", D(500), D(300 + 500), ["subscription", "setup_fee"]),
    ],
)
def test_sdsl_and_fibre_termination(
    technology: str,
    commitment: int,
    months: int,
    carrier: str,
    setup: Decimal | None,
    expected_total: Decimal,
    expected_kinds: list[str],
) -> None:
    quote = fees.termination(
        technology,
        commitment_months=commitment,
        months_elapsed=months,
        monthly_fee=D(300),
        carrier=carrier,
        setup_fee_12m=setup,
    )
    assert total(quote) == expected_total
    assert [line.kind for line in quote.lines] == expected_kinds


def test_termination_setup_fee_lines_quote_the_seed_amounts() -> None:
    orange = fees.termination("sdsl", commitment_months=36, months_elapsed=20, carrier="Orange")
    sfr = fees.termination("sdsl", commitment_months=36, months_elapsed=20, carrier="SFR")
    assert [line.amount for line in orange.lines] == [D(0), D(740)]
    assert [line.amount for line in sfr.lines] == [D(0), D(890)]


def test_termination_after_commitment_says_no_fee() -> None:
    assert "Sans frais de résiliation." in fees.termination("sdsl", commitment_months=12, months_elapsed=12).notes
    assert "Sans frais de résiliation." not in fees.termination("sdsl", commitment_months=12, months_elapsed=11).notes


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"technology": "fibre", "commitment_months": 36, "months_elapsed": 5}, "setup_fee_12m"),
        ({"technology": "sdsl", "commitment_months": 36, "months_elapsed": 5, "carrier": "Free"}, "carrier"),
        ({"technology": "sdsl", "commitment_months": 24, "months_elapsed": 5}, "commitment_months"),
        ({"technology": "sdsl", "commitment_months": 12, "months_elapsed": -1}, "months_elapsed"),
        ({"technology": "ipvpn"}, "technology"),
        ({"technology": "sdsl", "commitment_months": 12, "monthly_fee": D(-1)}, "monthly_fee"),
    ],
)
def test_termination_refusals(kwargs: dict[str, Any], field: str) -> None:
    technology = kwargs.pop("technology")
    with pytest.raises(QuoteError) as exc:
        fees.termination(technology, **kwargs)
    assert exc.value.field == field


# --- II.F c Annulation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "pairs", "desaturation", "expected"),
    [
        ("adsl", None, None, D(140)),
        ("adsl_nue", None, None, D(140)),
        ("sdsl", 1, None, D(350)),
        ("sdsl", 2, None, D(400)),
        ("sdsl", 4, None, D(500)),
        # « des frais d'annulation supplémentaires égaux aux frais de désaturation ».
        ("sdsl", 1, "mono", D(350 + 190)),
        ("sdsl", 2, "bi", D(400 + 990)),
        ("sdsl", 4, "quadri", D(500 + 1190)),
    ],
)
def test_cancellation(technology: str, pairs: int | None, desaturation: str | None, expected: Decimal) -> None:
    assert total(fees.cancellation(technology, pairs=pairs, desaturation=desaturation)) == expected


def test_cancellation_refused_when_desaturation_found_after_orange_check() -> None:
    with pytest.raises(QuoteError) as exc:
        fees.cancellation("sdsl", pairs=2, desaturation_found_after_orange_check=True)
    assert "fiabilisation d'Orange" in exc.value.message


@pytest.mark.parametrize(("technology", "pairs"), [("sdsl", 3), ("sdsl", None), ("fibre", None)])
def test_cancellation_bad_input(technology: str, pairs: int | None) -> None:
    with pytest.raises(QuoteError):
        fees.cancellation(technology, pairs=pairs)


# --- II.F d Erreur d'adresse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "pairs", "expected"),
    [("adsl", None, D(60)), ("adsl_nue", None, D(90)), ("sdsl", 1, D(350)), ("sdsl", 2, D(400)), ("sdsl", 4, D(500))],
)
def test_address_error(technology: str, pairs: int | None, expected: Decimal) -> None:
    assert total(fees.address_error(technology, pairs=pairs)) == expected


def test_address_error_before_orange_study_is_free() -> None:
    quote = fees.address_error("sdsl", pairs=4, feasibility_done=False)
    assert total(quote) == 0 and quote.lines == ()


# --- II.E b Désaturation et desserte ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("desaturation", "wiring", "expected"),
    [
        ("mono", False, D(190)),
        ("bi", False, D(990)),
        ("quadri", False, D(1190)),
        (None, True, D(450)),
        ("bi", True, D(990 + 450)),
    ],
)
def test_works(desaturation: str | None, wiring: bool, expected: Decimal) -> None:
    assert total(fees.works(desaturation=desaturation, internal_wiring=wiring)) == expected


def test_works_needs_something() -> None:
    with pytest.raises(QuoteError):
        fees.works()
    with pytest.raises(QuoteError):
        fees.works(desaturation="tri")


# --- II.F b ii Upgrade / downgrade --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "direction", "pairs_change", "commitment", "carrier", "expected"),
    [
        ("adsl", "upgrade", False, None, None, D(100)),
        ("adsl", "downgrade", False, None, None, D(0)),
        ("adsl_nue", "upgrade", False, None, None, D(100)),
        ("sdsl", "upgrade", False, None, None, D(250)),
        ("sdsl", "downgrade", False, None, None, D(250)),
        ("sdsl", "upgrade", True, 12, "orange", D(740)),
        ("sdsl", "downgrade", True, 12, "sfr", D(890)),
        ("sdsl", "upgrade", True, 36, "orange", D(300)),
        ("sdsl", "downgrade", True, 36, None, D(300)),
    ],
)
def test_link_change(
    technology: str, direction: str, pairs_change: bool, commitment: int | None, carrier: str | None, expected: Decimal
) -> None:
    quote = fees.link_change(
        technology, direction=direction, pairs_change=pairs_change, commitment_months=commitment, carrier=carrier
    )
    assert total(quote) == expected


def test_adsl_downgrade_is_delivered_in_about_a_week() -> None:
    assert "Livraison sous 1 semaine environ." in fees.link_change("adsl", direction="downgrade").notes


def test_link_change_refusals() -> None:
    with pytest.raises(QuoteError):
        fees.link_change("adsl", direction="upgrade", pairs_change=True)
    with pytest.raises(QuoteError):
        fees.link_change("sdsl", direction="sideways")
    with pytest.raises(QuoteError):
        fees.link_change("sdsl", direction="upgrade", pairs_change=True)  # commitment needed


# --- II.F b i Déménagement ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "months", "recommit", "carrier", "expected", "kinds"),
    [
        ("sdsl", 4, 12, "orange", D(8 * 200 + 740), ["subscription", "setup_fee"]),
        ("sdsl", 4, 12, "sfr", D(8 * 200 + 890), ["subscription", "setup_fee"]),
        ("sdsl", 11, 36, "orange", D(200 + 300), ["subscription", "move_fee"]),
        ("sdsl", 0, 36, "sfr", D(12 * 200 + 300), ["subscription", "move_fee"]),
        # Active 12 months or more, or another link type: a new link at the usual terms, no extra fee.
        ("sdsl", 12, 36, "sfr", D(0), []),
        ("adsl", 3, None, None, D(0), []),
        ("fibre", 3, None, None, D(0), []),
    ],
)
def test_move(
    technology: str, months: int, recommit: int | None, carrier: str | None, expected: Decimal, kinds: list[str]
) -> None:
    quote = fees.move(technology, months_active=months, monthly_fee=D(200), recommit_months=recommit, carrier=carrier)
    assert total(quote) == expected
    assert [line.kind for line in quote.lines] == kinds


# --- II.F e, VI, II.E f -------------------------------------------------------------------------------------


def test_wrongful_expertise_is_172() -> None:
    assert total(fees.wrongful_expertise()) == D(172)


@pytest.mark.parametrize(("hours", "expected"), [(D(1), D(100)), (D("0.5"), D(50)), (D("7.5"), D(750))])
def test_amo_is_100_per_hour(hours: Decimal, expected: Decimal) -> None:
    assert total(fees.amo(hours)) == expected


@pytest.mark.parametrize("hours", [D(0), D(-1), D("1.25")])
def test_amo_refusals(hours: Decimal) -> None:
    with pytest.raises(QuoteError):
        fees.amo(hours)


def test_extended_gtr_prices() -> None:
    assert total(fees.extended_gtr("sdsl")) == D(60)
    assert fees.extended_gtr_price("fibre") == (D(150), D(300))
    assert total(fees.extended_gtr("fibre", price=D(150))) == D(150)
    assert total(fees.extended_gtr("fibre", price=D(300))) == D(300)
    for bad in (D(149), D(301)):
        with pytest.raises(QuoteError):
            fees.extended_gtr("fibre", price=bad)
    with pytest.raises(QuoteError):
        fees.extended_gtr("fibre")
    with pytest.raises(QuoteError, match="SDSL et fibre"):
        fees.extended_gtr("adsl")
