"""Pure rules: business calendar, sizing and Erlang B, eligibility hints, lead times, completeness, flow,
item parameters and commissions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from softwhere.orders.services import calendar, commissions, completeness, eligibility, flow, items, leadtimes, sizing
from softwhere.orders.services.money import QuoteError

PARIS = ZoneInfo("Europe/Paris")

# --- Business calendar ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2025, 6, 2), 0, date(2025, 6, 2)),
        (date(2025, 6, 2), 1, date(2025, 6, 3)),
        (date(2025, 6, 6), 1, date(2025, 6, 10)),  # Friday → Tuesday (Whit Monday 9 June)
        (date(2025, 5, 28), 1, date(2025, 5, 30)),  # Ascension Thursday 29 May
        (date(2025, 12, 24), 3, date(2025, 12, 30)),
    ],
)
def test_add_business_days(start: date, count: int, expected: date) -> None:
    assert calendar.add_business_days(start, count) == expected


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime(2025, 6, 3, 10, 0, tzinfo=PARIS), datetime(2025, 6, 4, 10, 0, tzinfo=PARIS)),
        (datetime(2025, 5, 30, 15, 0, tzinfo=PARIS), datetime(2025, 6, 2, 15, 0, tzinfo=PARIS)),  # Fri → Mon
        (datetime(2025, 5, 31, 10, 0, tzinfo=PARIS), datetime(2025, 6, 3, 0, 0, tzinfo=PARIS)),  # Sat → end of Mon
        (datetime(2025, 5, 28, 17, 0, tzinfo=PARIS), datetime(2025, 5, 30, 17, 0, tzinfo=PARIS)),  # over Ascension
    ],
)
def test_24_business_hours(received: datetime, due: datetime) -> None:
    assert calendar.add_business_hours(received, 24) == due


def test_business_days_between() -> None:
    assert calendar.business_days_between(date(2025, 6, 6), date(2025, 6, 11)) == 2
    assert calendar.business_days_between(date(2025, 6, 6), date(2025, 6, 6)) == 0


# --- Sizing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stations", "expected"), [(100, (30, 35)), (10, (3, 4)), (1, (1, 1)), (30, (9, 11))])
def test_one_third_rule(stations: int, expected: tuple[int, int]) -> None:
    assert sizing.simultaneous_calls_estimate(stations) == expected


def test_one_third_rule_excludes_call_centres() -> None:
    with pytest.raises(QuoteError, match="Erlang"):
        sizing.simultaneous_calls_estimate(100, call_centre=True)
    with pytest.raises(QuoteError):
        sizing.simultaneous_calls_estimate(0)


@pytest.mark.parametrize(
    ("traffic", "lines", "expected"),
    [(1.0, 1, 0.5), (2.0, 2, 0.4), (1.0, 0, 1.0), (0.0, 3, 0.0), (10.0, 10, 0.2145823)],
)
def test_erlang_b_exact_values(traffic: float, lines: int, expected: float) -> None:
    assert sizing.erlang_b(traffic, lines) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("traffic", "target", "lines"),
    # Published Erlang B table: 10.437 E at 1 % needs 18 circuits; 5.084 E at 2 % needs 10.
    [(10.43, 0.01, 18), (10.5, 0.01, 19), (5.08, 0.02, 10), (5.09, 0.02, 11), (0.0, 0.01, 0)],
)
def test_lines_for_blocking(traffic: float, target: float, lines: int) -> None:
    assert sizing.lines_for_blocking(traffic, target) == lines


def test_traffic_and_erlang_refusals() -> None:
    assert sizing.traffic_erlangs(120, 180) == 6.0
    for bad in (0, 1, -0.1):
        with pytest.raises(QuoteError):
            sizing.lines_for_blocking(5, bad)
    with pytest.raises(QuoteError):
        sizing.erlang_b(-1, 3)


# --- Eligibility hints ------------------------------------------------------------------------------------


def codes(technology: str, **kw: Any) -> set[str]:
    return {h.code for h in eligibility.eligibility_hints(technology, **kw)}


@pytest.mark.parametrize(
    ("technology", "kw", "warned"),
    [
        ("adsl", {"distance_m": 2999, "attenuation_db": 29}, False),
        ("adsl", {"distance_m": 3000}, True),
        ("adsl", {"attenuation_db": 30}, True),
        ("adsl", {"distance_m": 3500, "attenuation_db": 35}, True),
        ("adsl_nue", {"distance_m": 4200}, True),
        ("adsl", {"distance_m": 3200, "with_voice": False}, False),
    ],
)
def test_adsl_voip_warning(technology: str, kw: dict[str, Any], warned: bool) -> None:
    assert ("voip_weak_adsl" in codes(technology, **kw)) is warned


@pytest.mark.parametrize(
    ("kw", "voip", "pairs"),
    [
        ({"distance_m": 3499, "attenuation_db": 39.9}, False, False),
        ({"distance_m": 3500}, False, True),
        ({"attenuation_db": 40}, False, True),
        ({"distance_m": 3700}, False, True),
        ({"distance_m": 3701}, True, True),
    ],
)
def test_sdsl_hints(kw: dict[str, Any], voip: bool, pairs: bool) -> None:
    found = codes("sdsl", **kw)
    assert ("voip_weak_sdsl" in found) is voip
    assert ("sdsl_pairs" in found) is pairs


def test_number_hints_per_link_type() -> None:
    assert "support_number" in codes("adsl")
    assert "eligibility_number" in codes("adsl_nue") and "eligibility_number" in codes("sdsl")
    assert "internal_wiring" in codes("fibre")


# --- Lead times -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "carrier", "expected", "deadline"),
    [
        ("adsl", "orange", date(2025, 6, 30), date(2025, 7, 7)),  # 4 weeks ± 1
        ("adsl_nue", "orange", date(2025, 7, 15), date(2025, 7, 15)),  # 6 weeks, 14 July rolled
        ("sdsl", "orange", date(2025, 6, 23), date(2025, 6, 23)),
        ("adsl", "sfr", date(2025, 6, 30), date(2025, 7, 7)),
        ("sdsl", "sfr", date(2025, 7, 7), date(2025, 7, 7)),
        ("fibre", "", date(2025, 8, 25), date(2025, 8, 25)),
    ],
)
def test_link_lead_times(technology: str, carrier: str, expected: date, deadline: date) -> None:
    lt = leadtimes.link_lead_time(technology, carrier)
    assert lt is not None
    start = date(2025, 6, 2)
    assert (lt.expected(start), lt.deadline(start)) == (expected, deadline)


def test_plan_puts_voice_and_portability_after_the_link() -> None:
    milestones = leadtimes.plan(
        leadtimes.PlanInput(
            start=date(2025, 6, 2),
            links=(("sdsl", "orange"),),
            voice=True,
            portability=True,
            fax=True,
            fax_after_portability=True,
            special_numbers=True,
        )
    )
    by_code = {m.code: m for m in milestones}
    assert by_code["link_sdsl"].expected == date(2025, 6, 23)
    assert by_code["voice"].expected == date(2025, 6, 25)  # 48 h after the link
    assert (by_code["portability"].expected, by_code["portability"].deadline) == (date(2025, 7, 1), date(2025, 7, 8))
    assert by_code["fax"].expected == date(2025, 7, 3)
    assert by_code["special_numbers"].expected == date(2025, 6, 24)  # 15 business days, Whit Monday excluded
    assert leadtimes.delivery_dates(milestones) == (date(2025, 7, 3), date(2025, 7, 10))


def test_plan_uses_actual_dates_once_known() -> None:
    milestones = leadtimes.plan(
        leadtimes.PlanInput(
            start=date(2025, 6, 2),
            links=(("sdsl", "orange"),),
            voice=True,
            link_delivered_on=date(2025, 6, 16),
        )
    )
    assert {m.code: m.expected for m in milestones}["voice"] == date(2025, 6, 18)


def test_lateness() -> None:
    assert leadtimes.is_late(date(2025, 6, 10), date(2025, 6, 11), delivered=False)
    assert not leadtimes.is_late(date(2025, 6, 10), date(2025, 6, 10), delivered=False)
    assert not leadtimes.is_late(date(2025, 6, 10), date(2025, 6, 20), delivered=True)


# --- File completeness ------------------------------------------------------------------------------------


def complete_facts(**kw: Any) -> completeness.FileFacts:
    base: dict[str, Any] = dict(
        today=date(2025, 6, 2),
        quote_signed_on=date(2025, 5, 30),
        contracts_signed_on=date(2025, 5, 30),
        direct_debit_signed_on=date(2025, 5, 30),
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="BNPAFRPPXXX",
        company_name="ACME",
        siret="73282932000074",
        billing_address="1 RUE DE LA PAIX 75002 PARIS",
        client_phone="+33142685300",
        contact_roles_with_email={"commercial", "technique", "facturation"},
    )
    base.update(kw)
    return completeness.FileFacts(**base)


def test_complete_file_has_nothing_missing() -> None:
    assert completeness.missing_items(complete_facts()) == []


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"quote_signed_on": None}, "quote"),
        ({"contracts_signed_on": None}, "contracts"),
        ({"direct_debit_signed_on": None}, "direct_debit"),
        ({"iban": ""}, "rib"),
        ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "rib"),
        ({"bic": "BNP"}, "rib"),
        ({"has_portability": True, "carrier_invoice_date": date(2025, 5, 1)}, "portability_mandate"),
        ({"has_portability": True, "mandate_signed_on": date(2025, 5, 1), "mandate_stamped": True}, "carrier_invoice"),
        (
            {
                "has_portability": True,
                "mandate_signed_on": date(2025, 5, 1),
                "mandate_stamped": True,
                "carrier_invoice_date": date(2025, 3, 2),
            },
            "carrier_invoice",
        ),
        ({"fax_items_without_email": 1}, "fax_email"),
        ({"has_pages_jaunes": True}, "pages_jaunes"),
        ({"siret": ""}, "siret"),
        ({"contact_roles_with_email": {"commercial", "technique"}}, "contacts"),
        ({"has_voice": True}, "numbers_postal_code"),
        (
            {
                "has_link": True,
                "links_missing_number": ["SDSL"],
                "installation_siret": "1",
                "installation_address": "x",
            },
            "eligibility_number",
        ),
        ({"has_link": True, "installation_address": "x"}, "installation_siret"),
    ],
)
def test_each_missing_item_blocks(kw: dict[str, Any], code: str) -> None:
    assert code in [m.code for m in completeness.missing_items(complete_facts(**kw))]


@pytest.mark.parametrize(
    ("invoice", "recent"),
    [(date(2025, 3, 2), False), (date(2025, 3, 3), True), (date(2025, 6, 2), True), (date(2025, 6, 3), False)],
)
def test_carrier_invoice_under_three_months(invoice: date, recent: bool) -> None:
    assert completeness.invoice_is_recent(invoice, date(2025, 6, 2)) is recent


def test_iban_bic_normalisation() -> None:
    assert completeness.normalize_iban("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert completeness.normalize_bic("bnpafrpp") == "BNPAFRPP"
    with pytest.raises(QuoteError, match="IBAN invalide"):
        completeness.normalize_iban("FR7630006000011234567890188")


# --- Flow -------------------------------------------------------------------------------------------------


def states(**overrides: flow.StepState) -> dict[flow.StepCode, flow.StepState]:
    result = {s.code: flow.StepState.PENDING for s in flow.STEPS}
    result.update({flow.StepCode(k): v for k, v in overrides.items()})
    return result


def test_eleven_steps_in_seed_order() -> None:
    assert [s.number for s in flow.STEPS] == list(range(1, 12))
    assert flow.STEPS[5].code == flow.StepCode.LINK_DELIVERY


def test_steps_run_in_order() -> None:
    with pytest.raises(flow.FlowError, match="étape 1"):
        flow.check_move(flow.StepCode.CARRIER_ORDER, "complete", states())
    assert flow.check_move(flow.StepCode.ELIGIBILITY, "start", states()) == flow.StepState.IN_PROGRESS


def test_portability_only_after_link_delivery() -> None:
    done = flow.StepState.DONE
    s = states(
        eligibility=done,
        carrier_order=done,
        account=done,
        study_findings=flow.StepState.SKIPPED,
        appointment=done,
        voice_go_ahead=done,
        voice_delivery=done,
    )
    with pytest.raises(flow.FlowError, match="livraison du lien"):
        flow.check_move(flow.StepCode.PORTABILITY_ORDER, "start", s)


def test_only_optional_steps_can_be_skipped() -> None:
    done = flow.StepState.DONE
    s = states(eligibility=done, carrier_order=done, account=done)
    assert flow.check_move(flow.StepCode.STUDY_FINDINGS, "skip", s) == flow.StepState.SKIPPED
    s = states(eligibility=done)
    with pytest.raises(flow.FlowError, match="ne peut pas être passée"):
        flow.check_move(flow.StepCode.CARRIER_ORDER, "skip", s)


def test_applicability() -> None:
    voice_only = flow.FlowScope(
        has_link=False, has_voice=True, has_portability=True, has_fax_after_portability=False, needs_appointment=False
    )
    assert not flow.applicable(flow.StepCode.LINK_DELIVERY, voice_only)
    assert flow.applicable(flow.StepCode.PORTABILITY_ORDER, voice_only)
    assert not flow.applicable(flow.StepCode.FAX_TO_MAIL, voice_only)
    assert flow.applicable(flow.StepCode.ACCOUNT, voice_only)


# --- Item parameters --------------------------------------------------------------------------------------


def test_opios_gets_the_seed_default_lans() -> None:
    params = items.normalize_parameters("opios", {})
    assert params["lan_data"] == {
        "network": "192.168.1.0/24",
        "gateway": "192.168.1.1",
        "dhcp": True,
        "dhcp_range": ["192.168.1.100", "192.168.1.200"],
    }
    assert params["lan_voice"]["network"] == "192.168.254.0/24"
    assert params["lan_voice"]["dhcp_range"] == ["192.168.254.100", "192.168.254.200"]


def test_given_lan_is_validated() -> None:
    lan = {"network": "10.0.0.0/24", "gateway": "10.0.0.254", "dhcp": False}
    assert items.normalize_parameters("opios", {"lan_data": lan})["lan_data"] == lan
    with pytest.raises(QuoteError, match="passerelle"):
        items.normalize_parameters("opios", {"lan_data": {"network": "10.0.0.0/24", "gateway": "10.0.1.1"}})
    with pytest.raises(QuoteError, match="IPVPN"):
        items.normalize_parameters("ipvpn", {})


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("sdsl", {"carrier": "orange", "pairs": 3, "commitment_months": 12}, "pairs"),
        ("sdsl", {"carrier": "free", "pairs": 2, "commitment_months": 12}, "carrier"),
        ("sdsl", {"carrier": "orange", "pairs": 2, "commitment_months": 24}, "commitment_months"),
        ("sip_trunk", {}, "simultaneous_calls"),
        ("centrex", {"seats": 0}, "seats"),
        ("fax_to_mail", {"email": "pas-un-mail"}, "email"),
        ("teleport", {}, "kind"),
    ],
)
def test_bad_item_parameters(kind: str, params: dict[str, Any], field: str) -> None:
    with pytest.raises(QuoteError) as exc:
        items.normalize_parameters(kind, params)
    assert exc.value.field == field


# --- Commissions ------------------------------------------------------------------------------------------


def test_last_12_months() -> None:
    months = commissions.last_12_months(date(2025, 6, 15))
    assert months[0] == date(2024, 7, 1) and months[-1] == date(2025, 6, 1) and len(months) == 12


@pytest.mark.parametrize(
    ("quarter", "deadline"),
    [(1, date(2025, 4, 30)), (2, date(2025, 7, 30)), (3, date(2025, 10, 30)), (4, date(2026, 1, 30))],
)
def test_invoice_deadline(quarter: int, deadline: date) -> None:
    assert commissions.invoice_deadline(2025, quarter) == deadline


def q1_lines(*amounts: str) -> list[commissions.InvoiceLine]:
    return [commissions.InvoiceLine(date(2025, m, 1), Decimal(a)) for m, a in zip((1, 2, 3), amounts, strict=False)]


def test_quarterly_invoice_rule() -> None:
    statement = {date(2025, 1, 1): Decimal("120"), date(2025, 2, 1): Decimal("80"), date(2025, 3, 1): Decimal("0")}
    ok = q1_lines("120", "80", "0")
    # « La facture doit être datée au plus tard du 30 avril ».
    assert commissions.check_quarterly_invoice(2025, 1, date(2025, 4, 30), ok, statement) == []
    assert "au plus tard le 30/04/2025" in commissions.check_quarterly_invoice(2025, 1, date(2025, 5, 1), ok)[0]
    assert "avant la fin" in commissions.check_quarterly_invoice(2025, 1, date(2025, 3, 31), ok)[0]
    merged = [commissions.InvoiceLine(date(2025, 1, 1), Decimal("200"))]
    assert "Une ligne par mois" in commissions.check_quarterly_invoice(2025, 1, date(2025, 4, 10), merged)[0]
    wrong = q1_lines("120", "90", "0")
    assert "Février 2025" in commissions.check_quarterly_invoice(2025, 1, date(2025, 4, 10), wrong, statement)[0]
