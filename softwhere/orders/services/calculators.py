"""Dispatch of the desk calculators (fees, sizing) from a flat dict of inputs, shared by the API and the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import fees, sizing
from .money import QuoteError


def fee_quote(data: dict[str, Any]) -> dict[str, Any]:
    """Dispatch a fee calculator request to the pure rule of its kind."""
    kind = data["kind"]
    tech = data.get("technology", "")
    if kind not in ("works", "expertise", "amo") and not tech:
        raise QuoteError("Type de lien obligatoire.", field="technology")
    setup = data.get("setup_fee")
    if kind == "termination":
        quote = fees.termination(
            tech,
            commitment_months=data.get("commitment_months"),
            months_elapsed=data.get("months_elapsed") or 0,
            monthly_fee=Decimal(data.get("monthly_fee") or 0),
            carrier=data.get("carrier") or "",
            setup_fee_12m=setup,
        )
    elif kind == "cancellation":
        quote = fees.cancellation(
            tech,
            pairs=data.get("pairs"),
            desaturation=data.get("desaturation") or "",
            desaturation_found_after_orange_check=bool(data.get("desaturation_found_after_orange_check")),
        )
    elif kind == "address_error":
        quote = fees.address_error(tech, pairs=data.get("pairs"), feasibility_done=data.get("feasibility_done", True))
    elif kind == "works":
        quote = fees.works(
            desaturation=data.get("desaturation") or "", internal_wiring=bool(data.get("internal_wiring"))
        )
    elif kind == "link_change":
        if not data.get("direction"):
            raise QuoteError("Sens attendu : upgrade ou downgrade.", field="direction")
        quote = fees.link_change(
            tech,
            direction=data["direction"],
            pairs_change=bool(data.get("pairs_change")),
            commitment_months=data.get("commitment_months"),
            carrier=data.get("carrier") or "",
            setup_fee=setup,
        )
    elif kind == "move":
        quote = fees.move(
            tech,
            months_active=data.get("months_active") or 0,
            monthly_fee=Decimal(data.get("monthly_fee") or 0),
            recommit_months=data.get("recommit_months"),
            carrier=data.get("carrier") or "",
            setup_fee=setup,
        )
    elif kind == "expertise":
        quote = fees.wrongful_expertise()
    elif kind == "amo":
        if data.get("hours") is None:
            raise QuoteError("Durée d'AMO : un nombre d'heures positif est attendu.", field="hours")
        quote = fees.amo(data["hours"])
    else:
        quote = fees.extended_gtr(tech, price=data.get("price"))
    return quote.as_dict()


def sizing_result(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("stations"):
        out["low"], out["high"] = sizing.simultaneous_calls_estimate(
            data["stations"], call_centre=bool(data.get("call_centre"))
        )
    traffic = data.get("traffic_erlangs")
    if traffic is None and data.get("calls_per_hour") is not None and data.get("mean_duration_seconds") is not None:
        traffic = sizing.traffic_erlangs(data["calls_per_hour"], data["mean_duration_seconds"])
    if traffic is not None:
        out["traffic_erlangs"] = round(traffic, 4)
        out["blocking"] = data.get("blocking") or 0.01
        out["lines_needed"] = sizing.lines_for_blocking(traffic, data.get("blocking") or 0.01)
        if data.get("lines") is not None:
            out["blocking_with_lines"] = round(sizing.erlang_b(traffic, data["lines"]), 6)
    if not out:
        raise QuoteError(
            "Indiquez un nombre de postes, ou un trafic (erlangs ou appels/heure et durée).", field="stations"
        )
    return out
