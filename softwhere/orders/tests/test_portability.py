"""Portability quote (seed 001 III.D–F): the handbook's examples, the operator table, every refusal."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from softwhere.orders.services import portability as p
from softwhere.orders.services.money import QuoteError

PARIS = ZoneInfo("Europe/Paris")
REPO = Path(__file__).resolve().parents[3]
SEED = REPO.parent / "shared" / "seeds" / "001_7b9601c9e078e930.txt"


def total(**data: Any) -> Any:
    return p.quote_json(data)["total_eur"]


# --- The seed's examples ---------------------------------------------------------------------------------


def test_example_1_one_block_of_ten_is_50() -> None:
    # « Portabilité FT du 01 76 71 05 00 à 05 09, coût 50€ht. »
    assert total(operator="France TELECOM (FT)", numbers=[f"01767105{n:02d}" for n in range(10)]) == 50


def test_example_2_two_runs_in_one_block_is_100() -> None:
    # « Portabilité FT du 01 76 71 05 00 à 04 et du 01 76 71 05 07 à 09, coût 100€ht. »
    numbers = [
        "01 76 71 05 00",
        "01 76 71 05 01",
        "01 76 71 05 02",
        "01 76 71 05 03",
        "01 76 71 05 04",
        "01 76 71 05 07",
        "01 76 71 05 08",
        "01 76 71 05 09",
    ]
    result = p.quote_json({"operator": "FT", "numbers": numbers})
    assert result["total_eur"] == 100
    assert [line["numbers"][0] for line in result["lines"]] == ["0176710500", "0176710507"]


def test_postponement_example_costs_200() -> None:
    # « 2 portabilités FT prévues à l'origine (soit 100€HT) … reporter … 200€HT (100€ de commande + 100€ de report). »
    result = p.quote_json({"operator": "France Telecom", "numbers": ["0176710500", "0472102030"], "postpone": True})
    assert result["total_eur"] == 200
    assert [line["amount_eur"] for line in result["lines"]] == [50, 50, 100]
    assert result["lines"][-1]["kind"] == "postpone"


def test_cancellation_example_costs_500() -> None:
    # « 5 SDA non consécutifs apparaissent ; le client … annule la commande … 500€HT
    #   (250€ de commande des 5 numéros + 250€ d'annulation). »
    numbers = ["0176710500", "0176710520", "0176710540", "0176710560", "0176710580"]
    result = p.quote_json({"operator": "FT", "numbers": numbers, "cancel": True})
    assert result["total_eur"] == 500
    assert sum(line["amount_eur"] for line in result["lines"] if line["kind"] == "run") == 250


# --- Runs inside blocks of ten ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "runs"),
    [
        (["0176710500"], 1),
        (["0176710500", "0176710501"], 1),
        (["0176710500", "0176710502"], 2),
        # 08 → 09 → 10 → 11 crosses a block boundary: two portabilities.
        (["0176710508", "0176710509", "0176710510", "0176710511"], 2),
        (["0176710509", "0176710510"], 2),
        ([f"01767105{n:02d}" for n in range(20)], 2),
        (["0176710500", "0476710500"], 2),
        (["0176710505", "0176710503", "0176710504"], 1),  # order does not matter
    ],
)
def test_runs_in_blocks_of_ten(numbers: list[str], runs: int) -> None:
    assert len(p.runs_in_blocks_of_ten(numbers)) == runs
    assert total(operator="SFR", numbers=numbers) == 80 * runs


@pytest.mark.parametrize(
    ("operator", "unit"),
    [
        ("France TELECOM (FT)", 50),
        ("ORANGE (attributaire FT*)", 50),
        ("Orange (attributaire FT)", 50),
        ("ORANGE (autre attributaire*)", 80),
        ("SFR", 80),
        ("Free", 80),
        ("completel", 80),
        ("AB Plus", 80),
        ("isp procom", 80),  # « 80# » in the seed
        ("Syscom Foliateam", 80),
    ],
)
def test_geographic_price_per_operator(operator: str, unit: int) -> None:
    assert total(operator=operator, numbers=["0472102030"]) == unit


def test_analogue_lines_are_one_portability_per_number_even_when_consecutive() -> None:
    result = p.quote_json({"operator": "FT", "numbers": [], "analog_lines": ["0472102030", "0472102031"]})
    assert result["total_eur"] == 100
    assert [line["kind"] for line in result["lines"]] == ["analog", "analog"]


def test_analogue_lines_and_sda_block_together() -> None:
    result = p.quote_json({"operator": "SFR", "numbers": ["0472102040-0472102049"], "analog_lines": ["0472102030"]})
    assert result["total_eur"] == 160


def test_08_numbers_are_150_per_number_for_any_operator() -> None:
    assert total(operator="SFR", numbers=["0810101010", "0810101011"]) == 300
    assert total(operator="FT", numbers=["0800123456"]) == 150


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("FT", 80),
        ("Orange (attributaire FT)", 80),
        ("Orange (autre attributaire)", 150),
        ("Free", 150),
        ("Budget Telecom", 150),
    ],
)
def test_09_numbers_follow_the_operator_table(operator: str, expected: int) -> None:
    assert total(operator=operator, numbers=["0972102030", "0972102031"]) == expected


@pytest.mark.parametrize("operator", ["SFR", "OVH", "Colt", "Keyyo"])
def test_09_numbers_refused_where_the_table_says_non(operator: str) -> None:
    with pytest.raises(QuoteError, match="numéros 09"):
        p.quote_json({"operator": operator, "numbers": ["0972102030"]})


def test_postpone_and_cancel_each_cost_the_whole_request() -> None:
    assert total(operator="SFR", numbers=["0472102030"], postpone=True, cancel=True) == 240


def test_postpone_within_24_hours_of_the_confirmed_date_is_refused() -> None:
    base = {"operator": "SFR", "numbers": ["0472102030"], "postpone": True, "confirmed_date": "2025-06-12"}
    ok = p.quote_json({**base, "requested_at": "2025-06-11T00:00:00+02:00"})
    assert ok["total_eur"] == 160
    with pytest.raises(QuoteError, match="24 heures"):
        p.quote_json({**base, "requested_at": "2025-06-11T00:00:01+02:00"})


# --- Operator names ---------------------------------------------------------------------------------------


def test_operator_names_ignore_case_asterisk_accents_and_optional_parenthesis() -> None:
    assert p.find_operator("france télécom").name == "France TELECOM (FT)"
    assert p.find_operator("ft").name == "France TELECOM (FT)"
    assert p.find_operator("orange (attributaire ft*)").name == "ORANGE (attributaire FT*)"
    assert p.find_operator("Kalys").name == "KALYS (Sewan)"
    assert p.find_operator("Sewan").name == "SEWAN"  # the main name wins over a parenthesis
    assert p.find_operator("SFR").name == "SFR"


def test_orange_alone_is_ambiguous() -> None:
    with pytest.raises(QuoteError, match="ambigu"):
        p.find_operator("Orange")


@pytest.mark.parametrize("name", ["Bouygues Telecom", "", "Acropolis Telecom"])
def test_unknown_operator_refused_with_arcep_advice(name: str) -> None:
    with pytest.raises(QuoteError) as exc:
        p.quote_json({"operator": name, "numbers": ["0472102030"]})
    assert exc.value.field == "operator"
    if name:
        assert "ARCEP" in exc.value.message and "France Télécom" in exc.value.message


# --- Numbers and mandate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04 72 10 20 30", "0472102030"),
        ("+33 4 72 10 20 30", "0472102030"),
        ("0033472102030", "0472102030"),
        ("04.72.10.20.30", "0472102030"),
        ("04-72-10-20-30", "0472102030"),
    ],
)
def test_number_writings(raw: str, expected: str) -> None:
    assert p.expand_numbers([raw]) == [expected]


def test_ranges_expand() -> None:
    assert p.expand_numbers(["0176710500-0176710502"]) == ["0176710500", "0176710501", "0176710502"]
    assert len(p.expand_numbers(["01 76 71 05 00 à 01 76 71 05 09"])) == 10


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numbers": ["0472"]}, "invalide"),
        ({"numbers": ["abc"]}, "illisible"),
        ({"numbers": ["0612345678"]}, "mobile"),
        ({"numbers": ["+44 20 7946 0958"]}, "invalide"),
        ({"numbers": ["0472102030", "04 72 10 20 30"]}, "double"),
        ({"numbers": ["0472102030"], "analog_lines": ["0472102030"]}, "double"),
        ({"numbers": []}, "Aucun numéro"),
        ({"numbers": ["0176710509-0176710500"]}, "Plage"),
        ({"numbers": "0472102030"}, "liste"),
        ({"numbers": ["0472102030"], "postpone": "yes"}, "true ou false"),
        ({"numbers": ["0472102030"], "colour": "red"}, "inconnu"),
    ],
)
def test_bad_requests(data: dict[str, Any], message: str) -> None:
    with pytest.raises(QuoteError, match=message):
        p.quote_json({"operator": "SFR", **data})


def test_partial_sda_porting_is_refused_with_the_seed_advice() -> None:
    invoice = ["0472102030", "0472102040-0472102049"]
    with pytest.raises(QuoteError) as exc:
        p.quote_json(
            {"operator": "SFR", "numbers": ["0472102030", "0472102040-0472102045"], "invoice_numbers": invoice}
        )
    assert "partielle refusée" in exc.value.message
    assert "résilier" in exc.value.message and "prêter des SDA" in exc.value.message
    # The whole invoice is fine.
    assert total(operator="SFR", numbers=invoice, invoice_numbers=invoice) == 160


def test_numbers_not_on_the_invoice_are_refused() -> None:
    with pytest.raises(QuoteError, match="ne figure"):
        p.quote_json({"operator": "SFR", "numbers": ["0472102030", "0472102099"], "invoice_numbers": ["0472102030"]})


# --- Dates ------------------------------------------------------------------------------------------------


def test_lead_time_is_6_to_11_business_days() -> None:
    # Validated Friday 23 May 2025; Ascension (29 May) and Whit Monday (9 June) are holidays.
    assert p.expected_porting_dates(date(2025, 5, 23)) == (date(2025, 6, 3), date(2025, 6, 11))


def test_porting_window_and_rollback() -> None:
    start, end = p.porting_window(date(2025, 6, 3))
    assert (start.hour, end.hour) == (10, 16) and start.tzinfo is not None
    with pytest.raises(QuoteError):
        p.porting_window(date(2025, 6, 7))  # Saturday
    validated = datetime(2025, 6, 3, 11, 30, tzinfo=PARIS)
    assert p.rollback_deadline(validated) == datetime(2025, 6, 3, 13, 30, tzinfo=PARIS)


# --- The operator table is the seed's ---------------------------------------------------------------------


def _price(cell: str) -> Decimal | None:
    cell = cell.strip()
    if cell == "NON":
        return None
    return Decimal(re.sub(r"[^\d,]", "", cell).replace(",", "."))


@pytest.mark.skipif(not SEED.exists(), reason="seed documents not beside the repository")
def test_operator_data_matches_the_seed_table() -> None:
    text = SEED.read_text(encoding="utf-8")
    table = text.split("Opérateurs\tNuméros Géographiques\t08XXXXXXXX\t09XXXXXXXX", 1)[1].split("\\*", 1)[0]
    rows = [line.split("\t") for line in table.splitlines() if line.count("\t") == 3]
    assert len(rows) == 38
    data = {op.name: op for op in p.operators()}
    assert list(data) == [row[0] for row in rows]
    for name, geo, s08, s09 in rows:
        op = data[name]
        assert (op.geographic, op.special_08, op.special_09) == (_price(geo), _price(s08), _price(s09)), name
